"""The default question bank: a versioned data file, validated when loaded, seeded into the table.

``data/question_bank.json`` holds ``{"version", "questions": [{"key", "category", "text",
"choices": [...], "correctIndex"}]}``. The rules are the admin API's: 2–6 distinct choices, exactly
one correct, text and category within the same lengths. Replace the file to ship another bank.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from nazer.domain.exam import CATEGORY_MAX, CHOICE_TEXT_MAX, MAX_CHOICES, MIN_CHOICES, QUESTION_TEXT_MAX
from nazer.text import normalize_text


class BankQuestion(BaseModel):
    key: str = Field(pattern=r"^[a-z0-9_-]{1,32}$")
    category: str = Field(min_length=1, max_length=CATEGORY_MAX)
    text: str = Field(min_length=1, max_length=QUESTION_TEXT_MAX)
    choices: list[str] = Field(min_length=MIN_CHOICES, max_length=MAX_CHOICES)
    correct_index: int = Field(alias="correctIndex", ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> BankQuestion:
        if self.correct_index >= len(self.choices):
            raise ValueError(f"{self.key}: correctIndex out of range")
        texts = [self.text, self.category, *self.choices]
        if any(normalize_text(value) != value for value in texts):
            raise ValueError(f"{self.key}: text is not normalised (Arabic letters, digits or spaces)")
        if any(not choice or len(choice) > CHOICE_TEXT_MAX for choice in self.choices):
            raise ValueError(f"{self.key}: a choice is empty or too long")
        if len(set(self.choices)) != len(self.choices):
            raise ValueError(f"{self.key}: duplicate choices")
        return self


class QuestionBank(BaseModel):
    version: str = Field(min_length=1)
    questions: list[BankQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> QuestionBank:
        keys = [question.key for question in self.questions]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate question keys")
        return self


def load_question_bank(path: Path | None = None) -> QuestionBank:
    """Parse and validate a bank file (the shipped default unless a path is given)."""
    if path is None:
        text = resources.files("nazer.data").joinpath("question_bank.json").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return QuestionBank.model_validate(json.loads(text))


@cache
def default_question_bank() -> QuestionBank:
    return load_question_bank()
