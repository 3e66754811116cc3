"""GET /applications/me: the caller's own application, exam progress and code, never another's."""

from __future__ import annotations

from datetime import UTC, datetime

from nazer.aws import table
from nazer.logic import applications as logic
from tests.support.applications_factories import application_body, freeze_clock, get_route, post_application
from tests.support.events import claims
from tests.support.factories import put_application


def test_before_applying_it_is_404(aws):
    reply = get_route("/applications/me", claims())
    assert reply.status == 404 and reply.json["type"] == "not-found"


def test_the_own_application_with_its_progress(aws):
    citizen = claims()
    created = post_application(citizen, application_body(email="")).json
    # When the applicant reads their application
    reply = get_route("/applications/me", citizen)
    # Then it is the stored application plus training, exam summary and code (all still empty)
    assert reply.status == 200
    me = reply.json
    assert {k: me[k] for k in created} == created
    assert me["email"] is None
    assert me["trainingDownloadedAt"] is None and me["inspectorCode"] is None
    assert me["exam"] == {"attemptsUsed": 0, "attemptsLeft": 3, "bestScore": None, "cooldownUntil": None}


def test_exam_summary_follows_the_stored_settings_and_attempts(aws, monkeypatch):
    # Given HQ allows 4 attempts with 12 hours between them, and an applicant who failed once
    table().put_item(Item={"pk": "CONFIG", "sk": "EXAM_SETTINGS", "maxAttempts": 4, "cooldownHours": 12})
    citizen = claims()
    put_application(
        "EXAM_FAILED",
        sub=citizen["sub"],
        examAttemptsUsed=1,
        examBestScore=60,
        examLastAttemptAt="2024-09-26T02:00:00Z",
        trainingDownloadedAt="2024-09-25T08:00:00Z",
    )
    freeze_clock(monkeypatch, datetime(2024, 9, 26, 6, 30, tzinfo=UTC))
    # When they read their application
    me = get_route("/applications/me", citizen).json
    # Then attempts left and the end of the cooldown come from those settings
    assert me["exam"] == {
        "attemptsUsed": 1,
        "attemptsLeft": 3,
        "bestScore": 60,
        "cooldownUntil": "2024-09-26T14:00:00Z",
    }
    assert me["trainingDownloadedAt"] == "2024-09-25T08:00:00Z"


def test_the_inspector_code_once_issued(aws):
    citizen = claims()
    put_application("ACTIVE", sub=citizen["sub"], inspectorCode="2301400001")
    assert get_route("/applications/me", citizen).json["inspectorCode"] == "2301400001"


def test_an_expired_attempt_is_settled_before_the_reply(aws, monkeypatch):
    # Given the exam context settles an open attempt whose time is over
    citizen = claims()
    put_application("TRAINING", sub=citizen["sub"], examOpenAttemptId="attempt-1")
    seen: list[datetime] = []

    def settle(application, now):
        seen.append(now)
        return {**application, "status": "EXAM_FAILED", "examAttemptsUsed": 1, "examOpenAttemptId": None}

    monkeypatch.setattr(logic, "settle_expired_attempt", settle)
    # When the applicant reads their application
    me = get_route("/applications/me", citizen).json
    # Then they see the settled state, never a hanging one
    assert len(seen) == 1
    assert me["status"] == "EXAM_FAILED" and me["exam"]["attemptsUsed"] == 1


def test_another_users_application_is_never_returned(aws):
    put_application("SUBMITTED")
    reply = get_route("/applications/me", claims())
    assert reply.status == 404


def test_without_a_token_it_is_401(aws):
    assert get_route("/applications/me", None).status == 401
