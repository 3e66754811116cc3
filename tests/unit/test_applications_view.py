"""What the applicant sees of their exam progress (pure: settings and time given)."""

from __future__ import annotations

from datetime import UTC, datetime

from nazer.logic.applications import exam_summary

NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)


def test_before_any_attempt():
    summary = exam_summary({"status": "TRAINING"}, 3, 24, NOW)
    assert (summary.attempts_used, summary.attempts_left, summary.best_score, summary.cooldown_until) == (
        0,
        3,
        None,
        None,
    )


def test_failed_once_waits_for_the_cooldown():
    application = {
        "status": "EXAM_FAILED",
        "examAttemptsUsed": 1,
        "examBestScore": 55,
        "examLastAttemptAt": "2024-09-26T02:00:00Z",
    }
    summary = exam_summary(application, 3, 24, NOW)
    assert summary.attempts_used == 1 and summary.attempts_left == 2 and summary.best_score == 55
    assert summary.cooldown_until == "2024-09-27T02:00:00Z"


def test_cooldown_over_or_zero_is_null():
    application = {"status": "EXAM_FAILED", "examAttemptsUsed": 1, "examLastAttemptAt": "2024-09-24T02:00:00Z"}
    assert exam_summary(application, 3, 24, NOW).cooldown_until is None
    recent = {**application, "examLastAttemptAt": "2024-09-26T06:00:00Z"}
    assert exam_summary(recent, 3, 0, NOW).cooldown_until is None


def test_settings_decide_the_attempts_left():
    application = {"status": "EXAM_FAILED", "examAttemptsUsed": 2}
    assert exam_summary(application, 5, 24, NOW).attempts_left == 3
    assert exam_summary(application, 2, 24, NOW).attempts_left == 0


def test_locked_has_no_attempts_left_and_passed_has_no_cooldown():
    assert exam_summary({"status": "EXAM_LOCKED", "examAttemptsUsed": 1}, 3, 24, NOW).attempts_left == 0
    passed = {
        "status": "EXAM_PASSED",
        "examAttemptsUsed": 1,
        "examBestScore": 90,
        "examLastAttemptAt": "2024-09-26T06:00:00Z",
    }
    summary = exam_summary(passed, 3, 24, NOW)
    assert summary.best_score == 90 and summary.cooldown_until is None
