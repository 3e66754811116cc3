"""Seed the shipped question bank and the default exam settings into a table (idempotent).

Used by the local stack and by the deploy step ``python -m infra.seed exam-defaults --table …``.
Nothing HQ did is undone by a second run:

- the settings item is written only when absent;
- each shipped question has a fixed id (derived from its key) and is written only when absent;
- a marker ``CONFIG`` / ``QUESTION_BANK#<version>`` records that this bank version was seeded, so
  a question HQ deleted afterwards is not brought back by the next run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from nazer.dal.base import is_conditional_failure
from nazer.dal.exam_settings import settings_item
from nazer.dal.questions import question_item
from nazer.domain.exam import DEFAULT_SETTINGS, derived_choice_ids
from nazer.jalali import iso
from nazer.question_bank import QuestionBank, default_question_bank

_NAMESPACE = uuid.UUID("6f1c3a52-6c1e-4c55-9d0e-5a7e1b0c9d21")
SEEDED_BY = "seed"


@dataclass(frozen=True)
class SeedReport:
    settings_written: bool
    questions_written: int
    bank_version: str
    bank_already_seeded: bool


def bank_question_id(key: str) -> str:
    """The fixed id of a shipped question (the same in every environment and on every run)."""
    return str(uuid.uuid5(_NAMESPACE, f"nazer-question-bank:{key}"))


def bank_marker_key(version: str) -> dict[str, str]:
    return {"pk": "CONFIG", "sk": f"QUESTION_BANK#{version}"}


def _put_if_absent(table: Any, item: dict[str, Any]) -> bool:
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def bank_items(bank: QuestionBank, now: datetime) -> list[dict[str, Any]]:
    """The stored items of the shipped questions (fixed ids, opaque fixed choice ids, all active)."""
    items = []
    for index, question in enumerate(bank.questions):
        question_id = bank_question_id(question.key)
        choice_ids = derived_choice_ids(question_id, len(question.choices))
        items.append(
            question_item(
                question_id=question_id,
                text=question.text,
                choices=[{"choiceId": c, "text": t} for c, t in zip(choice_ids, question.choices, strict=True)],
                correct_choice_id=choice_ids[question.correct_index],
                category=question.category,
                active=True,
                # One second apart, so the admin list shows the bank in its file order.
                created_at=iso(now + timedelta(seconds=index)),
                bank_key=question.key,
            )
        )
    return items


def seed(table: Any, now: datetime, bank: QuestionBank | None = None) -> SeedReport:
    """Write the default settings and the bank into ``table`` (a boto3 Table) where absent."""
    bank = bank or default_question_bank()
    settings_written = _put_if_absent(table, settings_item(DEFAULT_SETTINGS, iso(now), SEEDED_BY))
    marker = bank_marker_key(bank.version)
    if table.get_item(Key=marker, ConsistentRead=True).get("Item"):
        return SeedReport(settings_written, 0, bank.version, True)
    written = sum(_put_if_absent(table, item) for item in bank_items(bank, now))
    table.put_item(Item={**marker, "type": "seedMarker", "seededAt": iso(now), "questions": len(bank.questions)})
    return SeedReport(settings_written, written, bank.version, False)
