"""Shapes of the exam routes: question bank, settings, attempts, announcements, liaisons.

No applicant-facing model has a field for the answer key: what is not declared is never dumped.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from nazer.domain.exam import (
    CATEGORY_MAX,
    CHOICE_TEXT_MAX,
    MAX_CHOICES,
    MIN_CHOICES,
    QUESTION_TEXT_MAX,
    SETTINGS_RANGES,
    ExamSettings,
)
from nazer.messages import register
from nazer.models.base import RequestModel, WireModel
from nazer.regions import regions
from nazer.text import normalize_text, to_ascii_digits

register(
    {
        "choices_not_unique": "گزینه‌ها نباید تکراری باشند",
        "correct_index_out_of_range": "شمارهٔ گزینهٔ درست باید یکی از گزینه‌ها باشد",
        "blank_text": "متن نباید خالی باشد",
        "phone_invalid": "شمارهٔ تلفن معتبر نیست (مثلاً ۰۲۱۸۸۰۰۰۰۰۰ یا ۰۹۱۲۱۲۳۴۵۶۷)",
        "unknown_question": "این پرسش در این آزمون نیست",
        "unknown_choice": "این گزینه از گزینه‌های همین پرسش نیست",
        "duplicate_answer": "به این پرسش بیش از یک بار پاسخ داده شده است",
        "too_few_active_questions": "تعداد پرسش‌های فعال بانک کمتر از این مقدار است",
    }
)

_PHONE = re.compile(r"0[1-9][0-9]{9}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
ID_MAX = 64


def _normalised(value: Any) -> Any:
    """Normalise text before the length checks (an all-space value becomes empty, and is refused)."""
    return normalize_text(value) if isinstance(value, str) else value


# ---------------------------------------------------------------- question bank (HQ)


class ChoiceIn(RequestModel):
    text: str = Field(min_length=1, max_length=CHOICE_TEXT_MAX)

    _text = field_validator("text", mode="before")(_normalised)


class QuestionIn(RequestModel):
    """POST /admin/questions and PUT /admin/questions/{id}: the whole question."""

    text: str = Field(min_length=1, max_length=QUESTION_TEXT_MAX)
    choices: list[ChoiceIn] = Field(min_length=MIN_CHOICES, max_length=MAX_CHOICES)
    correct_choice_index: int = Field(ge=0, le=MAX_CHOICES - 1, strict=True)
    category: str = Field(min_length=1, max_length=CATEGORY_MAX)
    active: bool = True

    _text = field_validator("text", "category", mode="before")(_normalised)

    @field_validator("choices")
    @classmethod
    def _distinct(cls, choices: list[ChoiceIn]) -> list[ChoiceIn]:
        texts = [choice.text for choice in choices]
        if len(set(texts)) != len(texts):
            raise PydanticCustomError("choices_not_unique", "choices must be distinct")
        return choices

    @field_validator("correct_choice_index")
    @classmethod
    def _in_range(cls, index: int, info: ValidationInfo) -> int:
        choices = info.data.get("choices")
        if choices is not None and index >= len(choices):
            raise PydanticCustomError("correct_index_out_of_range", "must be the index of one of the choices (0-based)")
        return index


class ChoiceOut(WireModel):
    choice_id: str
    text: str


class QuestionAdminOut(WireModel):
    question_id: str
    text: str
    choices: list[ChoiceOut]
    correct_choice_id: str
    category: str
    active: bool

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> QuestionAdminOut:
        return cls(
            question_id=item["questionId"],
            text=item["text"],
            choices=[ChoiceOut(choice_id=c["choiceId"], text=c["text"]) for c in item["choices"]],
            correct_choice_id=item["correctChoiceId"],
            category=item["category"],
            active=bool(item["active"]),
        )


class QuestionPage(WireModel):
    items: list[QuestionAdminOut]
    next_cursor: str | None


# ---------------------------------------------------------------- settings (HQ)


def _range(name: str) -> Any:
    low, high = SETTINGS_RANGES[name]
    return Field(ge=low, le=high, strict=True)


class ExamSettingsBody(RequestModel):
    """GET and PUT /admin/exam-settings (PUT replaces all five)."""

    questions_per_attempt: int = _range("questionsPerAttempt")
    pass_mark_percent: int = _range("passMarkPercent")
    time_limit_minutes: int = _range("timeLimitMinutes")
    max_attempts: int = _range("maxAttempts")
    cooldown_hours: int = _range("cooldownHours")

    def to_settings(self) -> ExamSettings:
        return ExamSettings(
            questions_per_attempt=self.questions_per_attempt,
            pass_mark_percent=self.pass_mark_percent,
            time_limit_minutes=self.time_limit_minutes,
            max_attempts=self.max_attempts,
            cooldown_hours=self.cooldown_hours,
        )

    @classmethod
    def of(cls, settings: ExamSettings) -> ExamSettingsBody:
        return cls.model_validate(settings.as_item())


# ---------------------------------------------------------------- attempts (applicant)


class AttemptChoiceOut(WireModel):
    choice_id: str
    text: str


class AttemptQuestionOut(WireModel):
    question_id: str
    text: str
    choices: list[AttemptChoiceOut]

    @classmethod
    def from_snapshot(cls, question: dict[str, Any]) -> AttemptQuestionOut:
        # Only the id, text and choices: the snapshot's correctChoiceId stays on the server.
        return cls(
            question_id=question["questionId"],
            text=question["text"],
            choices=[AttemptChoiceOut(choice_id=c["choiceId"], text=c["text"]) for c in question["choices"]],
        )


class AttemptStarted(WireModel):
    attempt_id: str
    deadline: str
    questions: list[AttemptQuestionOut]


class AnswerIn(RequestModel):
    question_id: str = Field(min_length=1, max_length=ID_MAX)
    # null (or leaving the question out) is unanswered, which counts as wrong.
    choice_id: str | None = Field(default=None, min_length=1, max_length=ID_MAX)


class SubmissionIn(RequestModel):
    answers: list[AnswerIn] = Field(max_length=SETTINGS_RANGES["questionsPerAttempt"][1])


class SubmissionResult(WireModel):
    score: int
    correct: int
    total: int
    passed: bool
    application_status: str


class AttemptView(WireModel):
    """GET /exam/attempts/{id}: state and result; the questions only while the attempt is open."""

    attempt_id: str
    status: str
    started_at: str
    deadline: str
    submitted_at: str | None
    graded_at: str | None
    questions: list[AttemptQuestionOut]
    score: int | None
    correct: int | None
    total: int
    passed: bool | None
    pass_mark_percent: int


# ---------------------------------------------------------------- announcements and rejection (HQ)


def _known_province(value: str) -> str:
    if regions().province(value) is None:
        raise PydanticCustomError("province_unknown", "not a directorate code")
    return value


class AnnouncementIn(RequestModel):
    province_code: str = Field(pattern=r"^[0-9]{2}$")
    application_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=ID_MAX)]] = Field(
        min_length=1, max_length=100
    )

    _province = field_validator("province_code", mode="before")(
        lambda value: to_ascii_digits(value).strip() if isinstance(value, str) else value
    )
    _known = field_validator("province_code")(_known_province)


class AnnouncementResult(WireModel):
    application_id: str
    outcome: str


class AnnouncementResults(WireModel):
    results: list[AnnouncementResult]


class RejectionIn(RequestModel):
    reason: str = Field(min_length=1, max_length=500)

    _reason = field_validator("reason", mode="before")(_normalised)


class RejectionOut(WireModel):
    application_id: str
    status: str
    rejection_reason: str
    rejected_at: str


# ---------------------------------------------------------------- liaisons (HQ)


class LiaisonIn(RequestModel):
    full_name: str = Field(min_length=1, max_length=100)
    phone: str
    email: str | None = Field(default=None, max_length=254)

    _name = field_validator("full_name", mode="before")(_normalised)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        digits = re.sub(r"[\s\-()]", "", to_ascii_digits(value))
        for prefix in ("+98", "0098"):
            if digits.startswith(prefix):
                digits = "0" + digits[len(prefix) :]
        if not _PHONE.fullmatch(digits):
            raise PydanticCustomError("phone_invalid", "an Iranian phone number: 0 and 10 digits (021…, 09…)")
        return digits

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text:
            return None
        if not _EMAIL.fullmatch(text) or len(text) > 254:
            raise PydanticCustomError("email_invalid", "not an email address")
        return text.lower()


class LiaisonOut(WireModel):
    province_code: str
    province_name_fa: str
    full_name: str | None
    phone: str | None
    email: str | None
    updated_at: str | None


class LiaisonList(WireModel):
    items: list[LiaisonOut]
    next_cursor: str | None = None
