"""The applicant's exam: start an attempt, submit it, look at it; and the exam summary of an application.

Every function takes the caller's ``sub`` and the time ``now``; an attempt of another user looks
exactly like a missing one (404).
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from nazer.dal import applications, attempts, exam_settings, questions, stats
from nazer.dal.transactions import TransactionRefusedError, transact
from nazer.domain import exam
from nazer.domain.exam import STARTABLE, ExamSettings, StartRefusal
from nazer.domain.statuses import ApplicationStatus
from nazer.errors import DomainError, FieldError, invalid_state, not_found
from nazer.jalali import iso
from nazer.logic.exam_expiry import settle_expired_attempt
from nazer.logic.exam_grading import AlreadyGradedError, grade_attempt, is_overdue, parse_time
from nazer.models.exam import AnswerIn, AttemptQuestionOut, AttemptStarted, AttemptView, SubmissionResult
from nazer.observability import logger, metrics

_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}")


def plausible_id(value: str) -> bool:
    """Ids are short ASCII tokens; anything else cannot exist (and must not reach a key)."""
    return bool(_ID.fullmatch(value))


# ---------------------------------------------------------------- starting


def start_attempt(caller_sub: str, now: datetime, rng: random.Random | None = None) -> AttemptStarted:
    """Draw a new attempt for the caller's application, if every rule of starting allows it."""
    application = applications.get_for_user(caller_sub)
    if application is None:
        raise not_found("You have not applied yet", "هنوز درخواست عضویت ثبت نکرده‌اید")
    application = settle_expired_attempt(application, now)
    settings = exam_settings.get()
    _refuse_if_not_startable(application, settings, now)

    bank = questions.active_questions()
    if len(bank) < settings.questions_per_attempt:
        raise invalid_state(
            "The question bank has fewer active questions than an attempt needs",
            "تعداد پرسش‌های فعال بانک برای برگزاری آزمون کافی نیست",
        )
    drawn = exam.draw(bank, settings.questions_per_attempt, rng or random.SystemRandom())
    attempt_id = str(uuid.uuid4())
    started_at = iso(now)
    deadline = iso(exam.deadline_of(now, settings))
    used = int(application.get("examAttemptsUsed") or 0)
    item = attempts.attempt_item(
        attempt_id=attempt_id,
        application=application,
        number=used + 1,
        started_at=started_at,
        deadline=deadline,
        settings=settings,
        questions=drawn,
    )
    operations = attempts.start_operations(
        item,
        application,
        startable_statuses=[str(status) for status in STARTABLE],
        max_attempts=settings.max_attempts,
        cooldown_edge=iso(now - timedelta(hours=settings.cooldown_hours)),
        now=started_at,
        counter=stats.counter_update(application["provinceCode"], application["countyCode"], now, examAttempts=1),
    )
    try:
        transact(operations)
    except TransactionRefusedError as refused:
        # Someone changed the application since we read it (a concurrent start, most likely).
        current = applications.get(application["applicationId"]) or application
        _refuse_if_not_startable(current, settings, now)
        raise DomainError(
            "conflict",
            "The application changed while the attempt was being drawn; try again",
            "درخواست شما هم‌زمان تغییر کرد؛ دوباره تلاش کنید",
        ) from refused
    metrics.add_metric(name="ExamAttemptsStarted", unit=MetricUnit.Count, value=1)
    logger.info("attempt started", extra={"attempt_id": attempt_id, "number": used + 1})
    return AttemptStarted(
        attempt_id=attempt_id,
        deadline=deadline,
        questions=[AttemptQuestionOut.from_snapshot(question) for question in item["questions"]],
    )


def _last_attempt_at(application: dict[str, Any]) -> datetime | None:
    value = application.get("examLastAttemptAt")
    return parse_time(str(value)) if value else None


def _refuse_if_not_startable(application: dict[str, Any], settings: ExamSettings, now: datetime) -> None:
    refusal = exam.start_refusal(
        str(application["status"]),
        attempts_used=int(application.get("examAttemptsUsed") or 0),
        open_attempt=bool(application.get("examOpenAttemptId")),
        last_attempt_at=_last_attempt_at(application),
        settings=settings,
        now=now,
    )
    if refusal is not None:
        raise _refusal_error(refusal, application, settings, now)


def _refusal_error(
    refusal: StartRefusal, application: dict[str, Any], settings: ExamSettings, now: datetime | None = None
) -> DomainError:
    if refusal is StartRefusal.TRAINING_REQUIRED:
        return DomainError(
            "training-required",
            "Download the training material before the exam",
            "پیش از آزمون باید فایل آموزشی را دریافت کنید",
        )
    if refusal is StartRefusal.ATTEMPTS_EXHAUSTED:
        return DomainError(
            "attempts-exhausted",
            f"All {settings.max_attempts} attempts have been used",
            f"هر {settings.max_attempts} فرصت آزمون استفاده شده است",
        )
    if refusal is StartRefusal.ATTEMPT_OPEN:
        open_id = str(application.get("examOpenAttemptId") or "")
        error = invalid_state(
            "An attempt is already open: finish it first",
            "یک آزمون نیمه‌تمام دارید؛ نخست آن را به پایان برسانید",
        )
        if open_id:
            error.headers["Location"] = f"/exam/attempts/{open_id}"
        return error
    if refusal is StartRefusal.COOLDOWN:
        until = exam.cooldown_until(_last_attempt_at(application), settings)
        assert until is not None
        wait = max(1, int((until - (now or until)).total_seconds()))
        return DomainError(
            "cooldown-active",
            f"The next attempt may start at {iso(until)}",
            f"آزمون بعدی از {iso(until)} ممکن است",
            headers={"Retry-After": str(wait)},
        )
    return invalid_state(
        f"An application in status {application['status']} cannot take the exam",
        "در وضعیت فعلی درخواست، شرکت در آزمون ممکن نیست",
    )


# ---------------------------------------------------------------- submitting


def submit_attempt(caller_sub: str, attempt_id: str, answers: Sequence[AnswerIn], now: datetime) -> SubmissionResult:
    """Grade the caller's open attempt on the server; refused after the deadline and its grace."""
    attempt = _own_attempt(caller_sub, attempt_id)
    if attempt.get("gradedAt"):
        raise _graded_error(str(attempt["status"]))
    application = applications.get(str(attempt["applicationId"]))
    if application is None:
        raise not_found()
    if is_overdue(attempt, now):
        try:
            grade_attempt(application, attempt, {}, now, expired=True)
        except AlreadyGradedError as graded:
            raise _graded_error(graded.status) from graded
        raise _graded_error(attempts.EXPIRED)
    chosen = validated_answers(attempt, answers)
    try:
        result = grade_attempt(application, attempt, chosen, now, expired=False)
    except AlreadyGradedError as graded:
        raise _graded_error(graded.status) from graded
    return SubmissionResult(
        score=result.score,
        correct=result.correct,
        total=result.total,
        passed=result.passed,
        application_status=result.application_status,
    )


def validated_answers(attempt: dict[str, Any], answers: Sequence[AnswerIn]) -> dict[str, str]:
    """``{questionId: choiceId}`` of the answered questions; 422 naming each unknown or repeated id."""
    choices_of = {q["questionId"]: {c["choiceId"] for c in q["choices"]} for q in attempt["questions"]}
    errors: list[FieldError] = []
    chosen: dict[str, str] = {}
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        if answer.question_id not in choices_of:
            errors.append(
                FieldError(
                    f"answers.{index}.questionId", "not a question of this attempt", "این پرسش در این آزمون نیست"
                )
            )
            continue
        if answer.question_id in seen:
            errors.append(
                FieldError(
                    f"answers.{index}.questionId",
                    "answered more than once",
                    "به این پرسش بیش از یک بار پاسخ داده شده است",
                )
            )
            continue
        seen.add(answer.question_id)
        if answer.choice_id is None:
            continue
        if answer.choice_id not in choices_of[answer.question_id]:
            errors.append(
                FieldError(
                    f"answers.{index}.choiceId",
                    "not a choice of this question",
                    "این گزینه از گزینه‌های همین پرسش نیست",
                )
            )
            continue
        chosen[answer.question_id] = answer.choice_id
    if errors:
        raise DomainError(
            "validation-error",
            "; ".join(f"{error.field}: {error.message}" for error in errors[:5]),
            "برخی پاسخ‌ها به پرسش‌ها یا گزینه‌های این آزمون اشاره نمی‌کنند",
            errors,
        )
    return chosen


def _graded_error(status: str) -> DomainError:
    if status == attempts.EXPIRED:
        return DomainError(
            "attempt-expired",
            "The attempt's time ran out; it counts as failed",
            "مهلت این آزمون به پایان رسیده و ناموفق به شمار می‌آید",
        )
    return DomainError("attempt-submitted", "This attempt was already submitted", "پاسخ این آزمون قبلاً ثبت شده است")


def _own_attempt(caller_sub: str, attempt_id: str) -> dict[str, Any]:
    attempt = attempts.get(attempt_id) if plausible_id(attempt_id) else None
    if attempt is None or attempt.get("userSub") != caller_sub:
        raise not_found("No such attempt", "چنین آزمونی یافت نشد")
    return attempt


# ---------------------------------------------------------------- reading


def view_attempt(caller_sub: str, attempt_id: str, now: datetime) -> AttemptView:
    """The caller's attempt: state and result, never the key (an overdue one is failed first)."""
    attempt = _own_attempt(caller_sub, attempt_id)
    if not attempt.get("gradedAt") and is_overdue(attempt, now):
        application = applications.get(str(attempt["applicationId"]))
        if application is not None:
            settle_expired_attempt(application, now)
        attempt = attempts.get(attempt_id) or attempt
    is_open = attempt["status"] == attempts.OPEN
    return AttemptView(
        attempt_id=attempt["attemptId"],
        status=attempt["status"],
        started_at=attempt["startedAt"],
        deadline=attempt["deadline"],
        submitted_at=attempt.get("submittedAt"),
        graded_at=attempt.get("gradedAt"),
        questions=[AttemptQuestionOut.from_snapshot(q) for q in attempt["questions"]] if is_open else [],
        score=attempt.get("score"),
        correct=attempt.get("correct"),
        total=len(attempt["questions"]),
        passed=attempt.get("passed"),
        pass_mark_percent=int(attempt["settings"]["passMarkPercent"]),
    )


def exam_summary(application: dict[str, Any], settings: ExamSettings, now: datetime) -> dict[str, Any]:
    """``{"attemptsUsed", "attemptsLeft", "bestScore", "cooldownUntil"}`` of an application.

    For ``GET /applications/me``: ``cooldownUntil`` is set only while it is still in the future
    and the applicant may otherwise start again (status ``EXAM_FAILED``, attempts left).
    """
    used = int(application.get("examAttemptsUsed") or 0)
    left = 0 if application.get("status") == ApplicationStatus.EXAM_LOCKED else max(0, settings.max_attempts - used)
    best = application.get("examBestScore")
    until = exam.cooldown_until(_last_attempt_at(application), settings)
    waiting = application.get("status") == ApplicationStatus.EXAM_FAILED and left > 0 and until is not None
    return {
        "attemptsUsed": used,
        "attemptsLeft": left,
        "bestScore": int(best) if best is not None else None,
        "cooldownUntil": iso(until) if waiting and until is not None and until > now else None,
    }
