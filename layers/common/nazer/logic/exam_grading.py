"""Grading an attempt, once: by the applicant's submission, or as failed when its time ran out.

Shared by the submission route and by ``settle_expired_attempt`` (which every reader of an
application calls), so an expired attempt is graded the same way whoever notices it first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from nazer.dal import attempts, exam_settings, stats
from nazer.dal.transactions import TransactionRefusedError, transact
from nazer.domain import exam
from nazer.domain.exam import STARTABLE, ExamSettings
from nazer.errors import invalid_state
from nazer.jalali import iso
from nazer.observability import logger, metrics


@dataclass(frozen=True)
class Graded:
    score: int
    correct: int
    total: int
    passed: bool
    application_status: str


class AlreadyGradedError(Exception):
    """The attempt was graded by someone else first; ``status`` is SUBMITTED or EXPIRED."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def is_overdue(attempt: dict[str, Any], now: datetime) -> bool:
    return exam.is_overdue(parse_time(attempt["deadline"]), now)


def grade_attempt(
    application: dict[str, Any],
    attempt: dict[str, Any],
    answers: dict[str, str],
    now: datetime,
    *,
    expired: bool,
) -> Graded:
    """Grade ``attempt`` and move ``application`` in one transaction; AlreadyGradedError if it lost a race.

    The pass mark is the attempt's snapshot; whether attempts are left is judged against the
    current settings (attempts allowed belong to the application, as ``attemptsLeft`` shows).
    An expired attempt scores 0 and fails whatever was answered.
    """
    snapshot = ExamSettings.from_item(attempt["settings"])
    current = exam_settings.get()
    result = exam.grade(attempt["questions"], {} if expired else answers)
    passed = not expired and exam.passes(result.score, snapshot.pass_mark_percent)
    used = int(application.get("examAttemptsUsed") or 0)
    to_status = exam.outcome_status(passed, used, current.max_attempts)
    previous_best = application.get("examBestScore")
    best = result.score if previous_best is None else max(int(previous_best), result.score)
    graded_at = iso(now)
    attributes: dict[str, Any] = {
        "status": attempts.EXPIRED if expired else attempts.SUBMITTED,
        "gradedAt": graded_at,
        "answers": {} if expired else answers,
        "correct": result.correct,
        "total": result.total,
        "score": result.score,
        "passed": passed,
        "applicationStatus": str(to_status),
    }
    if not expired:
        attributes["submittedAt"] = graded_at
    counter = (
        stats.counter_update(application["provinceCode"], application["countyCode"], now, examsPassed=1)
        if passed
        else None
    )
    operations = attempts.grade_operations(
        attempt,
        application,
        result=attributes,
        to_status=str(to_status),
        from_statuses=[str(status) for status in STARTABLE],
        best_score=best,
        # The cooldown runs from the attempt's end: its submission, or its deadline if it ran out.
        ended_at=attempt["deadline"] if expired else graded_at,
        now=graded_at,
        counter=counter,
    )
    try:
        transact(operations)
    except TransactionRefusedError as refused:
        if refused.failed(0):
            stored = attempts.get(attempt["attemptId"])
            raise AlreadyGradedError(str(stored["status"]) if stored else attempts.SUBMITTED) from refused
        logger.warning("attempt grading refused", extra={"attempt_id": attempt["attemptId"], "codes": refused.codes})
        raise invalid_state(
            "The application no longer allows this attempt to be graded",
            "وضعیت درخواست دیگر اجازهٔ ثبت نتیجهٔ این آزمون را نمی‌دهد",
        ) from refused
    metrics.add_metric(name="ExamsPassed" if passed else "ExamsFailed", unit=MetricUnit.Count, value=1)
    logger.info(
        "attempt graded",
        extra={"attempt_id": attempt["attemptId"], "score": result.score, "expired": expired, "status": str(to_status)},
    )
    return Graded(result.score, result.correct, result.total, passed, str(to_status))
