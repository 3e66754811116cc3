"""Exam settings repository: one item, ``pk=CONFIG``, ``sk=EXAM_SETTINGS``.

Attributes ``questionsPerAttempt``, ``passMarkPercent``, ``timeLimitMinutes``, ``maxAttempts``,
``cooldownHours`` (each defaults when absent, see ``nazer.domain.exam.ExamSettings``),
``updatedAt``, ``updatedBy``.
"""

from __future__ import annotations

from typing import Any

from nazer.aws import table
from nazer.dal.base import plain
from nazer.domain.exam import ExamSettings

SETTINGS_KEY = {"pk": "CONFIG", "sk": "EXAM_SETTINGS"}


def settings_item(settings: ExamSettings, updated_at: str, updated_by: str) -> dict[str, Any]:
    return {
        **SETTINGS_KEY,
        "type": "examSettings",
        **settings.as_item(),
        "updatedAt": updated_at,
        "updatedBy": updated_by,
    }


def get() -> ExamSettings:
    """The current settings (defaults for anything not stored)."""
    item = table().get_item(Key=SETTINGS_KEY, ConsistentRead=True).get("Item")
    return ExamSettings.from_item(plain(item) if item else None)


def put(settings: ExamSettings, updated_at: str, updated_by: str) -> None:
    table().put_item(Item=settings_item(settings, updated_at, updated_by))
