"""Races against the locked moto server: two threads, one winner, nothing counted twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nazer.dal import applications, attempts, questions, stats
from nazer.errors import DomainError
from nazer.jalali import Period
from nazer.logic import exam
from nazer.logic.exam_expiry import settle_expired_attempt
from nazer.models.exam import AnswerIn
from tests.support.exam_factories import answer_key, answers_for, put_exam_application, seed_bank

T0 = datetime(2024, 10, 1, 8, 0, tzinfo=UTC)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result is a value or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # the outcome is what we compare
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def bank(served) -> dict[str, str]:
    seed_bank()  # idempotent: the server's state is shared by the whole session
    return answer_key(list(questions.iterate_bank()))


def counters(county: str) -> dict[str, int]:
    return stats.read_period(Period.of(T0), "23").get(county, {})


@pytest.mark.parametrize("round_", range(3))
def test_two_simultaneous_submissions_grade_once(bank, round_):
    application = put_exam_application(county="17")
    sub = application["userSub"]
    attempt = exam.start_attempt(sub, T0).model_dump(by_alias=True)
    answers = [AnswerIn.model_validate(a) for a in answers_for(attempt, bank, correct=18)]
    before = counters("17").get("examsPassed", 0)

    results = race(
        lambda: exam.submit_attempt(sub, attempt["attemptId"], answers, T0 + timedelta(minutes=5)),
        lambda: exam.submit_attempt(sub, attempt["attemptId"], answers, T0 + timedelta(minutes=5)),
    )

    wins = [r for r in results if not isinstance(r, Exception)]
    losses = [r for r in results if isinstance(r, Exception)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert wins[0].score == 90 and wins[0].application_status == "EXAM_PASSED"
    assert isinstance(losses[0], DomainError) and losses[0].slug == "attempt-submitted"
    stored = applications.get(application["applicationId"])
    assert stored["status"] == "EXAM_PASSED" and stored["examAttemptsUsed"] == 1
    assert counters("17")["examsPassed"] == before + 1


def test_a_submission_racing_the_expiry_is_graded_once(bank):
    application = put_exam_application(county="18")
    sub = application["userSub"]
    attempt = exam.start_attempt(sub, T0).model_dump(by_alias=True)
    answers = [AnswerIn.model_validate(a) for a in answers_for(attempt, bank)]
    late = T0 + timedelta(minutes=31, seconds=30)  # past the deadline and its grace
    current = applications.get(application["applicationId"])

    results = race(
        lambda: exam.submit_attempt(sub, attempt["attemptId"], answers, late),
        lambda: settle_expired_attempt(current, late),
    )

    assert isinstance(results[0], DomainError) and results[0].slug == "attempt-expired"
    stored = applications.get(application["applicationId"])
    assert stored["status"] == "EXAM_FAILED" and stored["examAttemptsUsed"] == 1
    assert attempts.get(attempt["attemptId"])["status"] == "EXPIRED"


def test_two_simultaneous_starts_open_one_attempt(bank):
    application = put_exam_application(county="19")
    sub = application["userSub"]
    before = counters("19").get("examAttempts", 0)

    results = race(lambda: exam.start_attempt(sub, T0), lambda: exam.start_attempt(sub, T0))

    started = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(started) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], DomainError) and refused[0].status == 409
    stored = applications.get(application["applicationId"])
    assert stored["examAttemptsUsed"] == 1 and stored["examOpenAttemptId"] == started[0].attempt_id
    assert counters("19")["examAttempts"] == before + 1
