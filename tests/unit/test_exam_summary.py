"""The exam summary an application shows: attempts used and left, best score, cooldown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nazer.domain.exam import ExamSettings
from nazer.jalali import iso
from nazer.logic.exam import exam_summary

NOW = datetime(2024, 9, 26, 12, 0, tzinfo=UTC)
SETTINGS = ExamSettings()


def test_before_any_attempt():
    summary = exam_summary({"status": "TRAINING"}, SETTINGS, NOW)
    assert summary == {"attemptsUsed": 0, "attemptsLeft": 3, "bestScore": None, "cooldownUntil": None}


def test_after_a_recent_failure_the_cooldown_shows():
    last = NOW - timedelta(hours=2)
    application = {"status": "EXAM_FAILED", "examAttemptsUsed": 1, "examBestScore": 55, "examLastAttemptAt": iso(last)}
    summary = exam_summary(application, SETTINGS, NOW)
    assert summary == {
        "attemptsUsed": 1,
        "attemptsLeft": 2,
        "bestScore": 55,
        "cooldownUntil": iso(last + timedelta(hours=24)),
    }
    assert exam_summary(application, SETTINGS, NOW + timedelta(hours=22))["cooldownUntil"] is None


def test_locked_or_passed_applications_wait_for_nothing():
    locked = {"status": "EXAM_LOCKED", "examAttemptsUsed": 3, "examBestScore": 60, "examLastAttemptAt": iso(NOW)}
    assert exam_summary(locked, SETTINGS, NOW) == {
        "attemptsUsed": 3,
        "attemptsLeft": 0,
        "bestScore": 60,
        "cooldownUntil": None,
    }
    passed = {"status": "EXAM_PASSED", "examAttemptsUsed": 1, "examBestScore": 90, "examLastAttemptAt": iso(NOW)}
    assert exam_summary(passed, SETTINGS, NOW)["cooldownUntil"] is None
    # HQ lowering the allowance never shows a negative number.
    assert exam_summary(locked | {"status": "EXAM_FAILED"}, ExamSettings(max_attempts=2), NOW)["attemptsLeft"] == 0
