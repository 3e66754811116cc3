"""Pure rules of the exam: settings and their ranges, drawing, scoring, the outcome, who may start.

No I/O here: the repositories store what these functions decide, and property tests pin them.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from nazer.domain.statuses import ApplicationStatus

# A submission is accepted up to this long after the deadline (network, clock skew).
GRACE = timedelta(seconds=60)

# Question limits. They also bound an attempt's snapshot (100 questions × text + 6 choices) well
# under DynamoDB's 400 KB item size, Persian text being two bytes a character in UTF-8.
MIN_CHOICES = 2
MAX_CHOICES = 6
QUESTION_TEXT_MAX = 300
CHOICE_TEXT_MAX = 150
CATEGORY_MAX = 50
CHOICE_ID_LENGTH = 8


@dataclass(frozen=True)
class ExamSettings:
    """HQ's exam settings; an attempt keeps a copy of the ones it was drawn with."""

    questions_per_attempt: int = 20
    pass_mark_percent: int = 70
    time_limit_minutes: int = 30
    max_attempts: int = 3
    cooldown_hours: int = 24

    def as_item(self) -> dict[str, int]:
        """The stored (and wire) form: camelCase attribute names."""
        return {
            "questionsPerAttempt": self.questions_per_attempt,
            "passMarkPercent": self.pass_mark_percent,
            "timeLimitMinutes": self.time_limit_minutes,
            "maxAttempts": self.max_attempts,
            "cooldownHours": self.cooldown_hours,
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any] | None) -> ExamSettings:
        """Settings from a stored item; an absent attribute takes its default."""
        item = item or {}
        defaults = cls()
        return cls(
            questions_per_attempt=int(item.get("questionsPerAttempt", defaults.questions_per_attempt)),
            pass_mark_percent=int(item.get("passMarkPercent", defaults.pass_mark_percent)),
            time_limit_minutes=int(item.get("timeLimitMinutes", defaults.time_limit_minutes)),
            max_attempts=int(item.get("maxAttempts", defaults.max_attempts)),
            cooldown_hours=int(item.get("cooldownHours", defaults.cooldown_hours)),
        )


DEFAULT_SETTINGS = ExamSettings()

# Allowed ranges, inclusive (shared/spec/api.md).
SETTINGS_RANGES: dict[str, tuple[int, int]] = {
    "questionsPerAttempt": (5, 100),
    "passMarkPercent": (1, 100),
    "timeLimitMinutes": (5, 180),
    "maxAttempts": (1, 10),
    "cooldownHours": (0, 720),
}


@dataclass(frozen=True)
class Grade:
    correct: int
    total: int

    @property
    def score(self) -> int:
        return score_percent(self.correct, self.total)


def score_percent(correct: int, total: int) -> int:
    """An integer percentage, rounded down (19 of 20 is 95; 2 of 3 is 66)."""
    if total <= 0:
        return 0
    return (correct * 100) // total


def grade(questions: Sequence[Mapping[str, Any]], answers: Mapping[str, str | None]) -> Grade:
    """Count the questions whose chosen choice is the key; unanswered ones are wrong."""
    correct = sum(1 for question in questions if answers.get(question["questionId"]) == question["correctChoiceId"])
    return Grade(correct=correct, total=len(questions))


def passes(score: int, pass_mark_percent: int) -> bool:
    return score >= pass_mark_percent


def outcome_status(passed: bool, attempts_used: int, max_attempts: int) -> ApplicationStatus:
    """Where a graded attempt leaves the application (attempts used counts this attempt)."""
    if passed:
        return ApplicationStatus.EXAM_PASSED
    if attempts_used >= max_attempts:
        return ApplicationStatus.EXAM_LOCKED
    return ApplicationStatus.EXAM_FAILED


def draw(questions: Sequence[Mapping[str, Any]], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` distinct questions at random, each with its choices shuffled (copies; inputs untouched)."""
    if count > len(questions):
        raise ValueError("not enough questions to draw from")
    drawn: list[dict[str, Any]] = []
    for question in rng.sample(list(questions), count):
        choices = [dict(choice) for choice in question["choices"]]
        rng.shuffle(choices)
        drawn.append({**question, "choices": choices})
    return drawn


def deadline_of(started_at: datetime, settings: ExamSettings) -> datetime:
    return started_at + timedelta(minutes=settings.time_limit_minutes)


def is_overdue(deadline: datetime, now: datetime) -> bool:
    """True once the deadline and its grace have passed: a submission is refused, the attempt failed."""
    return now > deadline + GRACE


def cooldown_until(last_attempt_at: datetime | None, settings: ExamSettings) -> datetime | None:
    """When the next attempt may start (the last attempt's end plus the cooldown)."""
    if last_attempt_at is None:
        return None
    return last_attempt_at + timedelta(hours=settings.cooldown_hours)


class StartRefusal(StrEnum):
    TRAINING_REQUIRED = "training-required"
    WRONG_STATUS = "wrong-status"
    ATTEMPT_OPEN = "attempt-open"
    ATTEMPTS_EXHAUSTED = "attempts-exhausted"
    COOLDOWN = "cooldown"


STARTABLE = frozenset({ApplicationStatus.TRAINING, ApplicationStatus.EXAM_FAILED})


def start_refusal(
    status: str,
    *,
    attempts_used: int,
    open_attempt: bool,
    last_attempt_at: datetime | None,
    settings: ExamSettings,
    now: datetime,
) -> StartRefusal | None:
    """Why an application may not start an attempt now, or None when it may."""
    if status == ApplicationStatus.SUBMITTED:
        return StartRefusal.TRAINING_REQUIRED
    if status == ApplicationStatus.EXAM_LOCKED:
        return StartRefusal.ATTEMPTS_EXHAUSTED
    if status not in STARTABLE:
        return StartRefusal.WRONG_STATUS
    if open_attempt:
        return StartRefusal.ATTEMPT_OPEN
    if attempts_used >= settings.max_attempts:
        return StartRefusal.ATTEMPTS_EXHAUSTED
    until = cooldown_until(last_attempt_at, settings)
    if until is not None and now < until:
        return StartRefusal.COOLDOWN
    return None


def new_choice_ids(count: int, token: Callable[[], str] | None = None) -> list[str]:
    """``count`` distinct opaque choice ids (random: an id says nothing about a choice's place or truth)."""
    make = token or (lambda: secrets.token_hex(CHOICE_ID_LENGTH // 2))
    ids: list[str] = []
    while len(ids) < count:
        candidate = make()
        if candidate not in ids:
            ids.append(candidate)
    return ids


def derived_choice_ids(seed: str, count: int) -> list[str]:
    """Deterministic, opaque, distinct choice ids for a shipped question (seeding stays idempotent)."""
    ids: list[str] = []
    salt = 0
    while len(ids) < count:
        candidate = hashlib.sha256(f"{seed}:{len(ids)}:{salt}".encode()).hexdigest()[:CHOICE_ID_LENGTH]
        if candidate in ids:
            salt += 1
            continue
        ids.append(candidate)
    return ids


def keep_choice_ids(
    old: Sequence[Mapping[str, str]], new_texts: Sequence[str], token: Callable[[], str] | None = None
) -> list[str]:
    """Ids for an edited question's choices: an unchanged text keeps its id, any other text takes a fresh one."""
    available = {choice["text"]: choice["choiceId"] for choice in old}
    used = set(available.values())
    ids: list[str | None] = [available.pop(text) if text in available else None for text in new_texts]
    fresh = iter(candidate for candidate in _endless(token) if candidate not in used)
    result: list[str] = []
    for choice_id in ids:
        if choice_id is None:
            choice_id = next(fresh)
            used.add(choice_id)
        result.append(choice_id)
    return result


def _endless(token: Callable[[], str] | None) -> Iterator[str]:
    make = token or (lambda: secrets.token_hex(CHOICE_ID_LENGTH // 2))
    while True:
        yield make()
