"""The applicant's exam through the handler: attempts, scoring, deadline, limits, the key kept secret."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from nazer import jalali
from nazer.dal import applications, attempts, questions, stats
from nazer.jalali import Period
from nazer.logic.exam_expiry import settle_expired_attempt
from tests.support.events import api_event, claims
from tests.support.exam_factories import Clock, answer_key, answers_for, put_exam_application, seed_bank
from tests.support.lambdas import invoke

T0 = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)
HQ = claims("hq-admin")

# Every key an applicant-facing exam reply may contain; anything else (a key!) fails the tests.
APPLICANT_KEYS = {
    "attemptId",
    "deadline",
    "questions",
    "questionId",
    "text",
    "choices",
    "choiceId",
    "score",
    "correct",
    "total",
    "passed",
    "applicationStatus",
    "status",
    "startedAt",
    "submittedAt",
    "gradedAt",
    "passMarkPercent",
    # problem+json
    "type",
    "title",
    "detail",
    "errors",
    "field",
    "message",
}


@pytest.fixture
def clock(aws, monkeypatch) -> Clock:
    seed_bank()
    now = Clock(T0)
    monkeypatch.setattr(jalali, "now_utc", now)
    return now


@pytest.fixture
def key(clock) -> dict[str, str]:
    return answer_key(list(questions.iterate_bank()))


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


def assert_no_key(reply, key: dict[str, str] | None = None):
    """The raw JSON holds no key field, and no choice is marked correct in any way."""
    assert "correctChoice" not in reply.text and "correctIndex" not in reply.text and "isCorrect" not in reply.text
    assert keys_in(json.loads(reply.text)) <= APPLICANT_KEYS, reply.text


def start(user, **headers):
    return invoke("exam", api_event("POST", "/exam/attempts", caller=user, headers=headers or None))


def submit(user, attempt_id, answers, **headers):
    event = api_event(
        "POST",
        f"/exam/attempts/{attempt_id}/submission",
        body={"answers": answers},
        caller=user,
        headers=headers or None,
    )
    return invoke("exam", event)


def view(user, attempt_id):
    return invoke("exam", api_event("GET", f"/exam/attempts/{attempt_id}", caller=user))


def applicant(status="TRAINING", **fields):
    application = put_exam_application(status, **fields)
    return application, claims(sub=application["userSub"])


def put_settings(**values):
    body = {"questionsPerAttempt": 20, "passMarkPercent": 70, "timeLimitMinutes": 30, "maxAttempts": 3} | values
    body.setdefault("cooldownHours", 24)
    reply = invoke("exam", api_event("PUT", "/admin/exam-settings", body=body, caller=HQ))
    assert reply.status == 200, reply.text


def test_a_passing_attempt(clock, key):
    application, user = applicant()
    started = start(user)
    assert started.status == 201
    attempt = started.json
    assert set(attempt) == {"attemptId", "deadline", "questions"}
    assert attempt["deadline"] == "2024-09-26T07:00:00Z"
    assert started.headers["Location"] == f"/exam/attempts/{attempt['attemptId']}"
    assert len(attempt["questions"]) == 20
    assert len({q["questionId"] for q in attempt["questions"]}) == 20
    assert_no_key(started)

    clock.advance(minutes=12)
    reply = submit(user, attempt["attemptId"], answers_for(attempt, key, correct=17))
    assert reply.status == 200, reply.text
    assert reply.json == {"score": 85, "correct": 17, "total": 20, "passed": True, "applicationStatus": "EXAM_PASSED"}
    assert_no_key(reply)

    stored = applications.get(application["applicationId"])
    assert stored["status"] == "EXAM_PASSED"
    assert stored["gsi2pk"] == "APPPROV#23#EXAM_PASSED"
    assert stored["examAttemptsUsed"] == 1 and stored["examBestScore"] == 85
    assert stored["examLastAttemptAt"] == "2024-09-26T06:42:00Z"
    assert "examOpenAttemptId" not in stored
    counters = stats.read_period(Period.of(T0), "23")["01"]
    assert counters["examAttempts"] >= 1 and counters["examsPassed"] >= 1

    shown = view(user, attempt["attemptId"])
    assert shown.status == 200
    assert shown.json["status"] == "SUBMITTED" and shown.json["score"] == 85 and shown.json["questions"] == []
    assert_no_key(shown)


def test_a_failing_attempt_leaves_attempts_and_unanswered_questions_count_as_wrong(clock, key):
    application, user = applicant()
    attempt = start(user).json
    reply = submit(user, attempt["attemptId"], answers_for(attempt, key, correct=13, answered=13))
    assert reply.json == {"score": 65, "correct": 13, "total": 20, "passed": False, "applicationStatus": "EXAM_FAILED"}
    stored = applications.get(application["applicationId"])
    assert stored["status"] == "EXAM_FAILED" and stored["examAttemptsUsed"] == 1 and stored["examBestScore"] == 65


def test_exactly_the_pass_mark_passes_and_scores_round_down(clock, key):
    put_settings(questionsPerAttempt=6, passMarkPercent=66)
    _, user = applicant()
    attempt = start(user).json
    reply = submit(user, attempt["attemptId"], answers_for(attempt, key, correct=4))
    assert reply.json["score"] == 66  # 4/6 = 66.67 rounded down
    assert reply.json["passed"] is True


def test_an_empty_submission_scores_zero(clock, key):
    _, user = applicant()
    attempt = start(user).json
    reply = submit(user, attempt["attemptId"], [])
    assert reply.status == 200 and reply.json["score"] == 0 and reply.json["correct"] == 0


def test_unknown_question_or_choice_ids_are_422_and_the_attempt_stays_open(clock, key):
    _, user = applicant()
    attempt = start(user).json
    first, second = attempt["questions"][:2]
    foreign_choice = second["choices"][0]["choiceId"]
    answers = [
        {"questionId": "not-in-this-attempt", "choiceId": "x"},
        {"questionId": first["questionId"], "choiceId": foreign_choice},
        {"questionId": second["questionId"], "choiceId": None},
        {"questionId": second["questionId"], "choiceId": foreign_choice},
    ]
    reply = submit(user, attempt["attemptId"], answers, **{"Accept-Language": "fa"})
    assert reply.status == 422
    assert reply.content_type == "application/problem+json"
    fields = {err["field"] for err in reply.json["errors"]}
    assert fields == {"answers.0.questionId", "answers.1.choiceId", "answers.3.questionId"}
    assert all(re.search("[آ-ی]", err["message"]) for err in reply.json["errors"])
    assert view(user, attempt["attemptId"]).json["status"] == "OPEN"
    assert submit(user, attempt["attemptId"], answers_for(attempt, key)).status == 200


def test_a_malformed_submission_body_is_422(clock):
    _, user = applicant()
    attempt = start(user).json
    path = f"/exam/attempts/{attempt['attemptId']}/submission"
    for raw in ("[]", "not json", '{"answers": "all"}', '{"answers": [{"questionId": 1}]}'):
        reply = invoke("exam", api_event("POST", path, raw_body=raw, caller=user))
        assert reply.status == 422, raw


def test_a_second_submission_is_refused(clock, key):
    _, user = applicant()
    attempt = start(user).json
    assert submit(user, attempt["attemptId"], answers_for(attempt, key)).status == 200
    again = submit(user, attempt["attemptId"], answers_for(attempt, key))
    assert again.status == 409 and again.json["type"] == "attempt-submitted"


def test_a_repeated_submission_with_the_same_idempotency_key_replays_the_result(clock, key):
    _, user = applicant()
    attempt = start(user).json
    answers = answers_for(attempt, key, correct=15)
    first = submit(user, attempt["attemptId"], answers, **{"Idempotency-Key": "7f1d3c5e-sub-0001"})
    again = submit(user, attempt["attemptId"], answers, **{"Idempotency-Key": "7f1d3c5e-sub-0001"})
    assert first.status == again.status == 200 and first.json == again.json


def test_another_users_attempt_looks_missing(clock, key):
    _, owner = applicant()
    attempt = start(owner).json
    _, stranger = applicant()
    for reply in (view(stranger, attempt["attemptId"]), submit(stranger, attempt["attemptId"], [])):
        assert reply.status == 404 and reply.json["type"] == "not-found"
    for missing in ("d2f1e7c4-0000-4000-8000-000000000000", "x" * 3000, "..%2F"):
        assert view(owner, missing).status == 404
    assert view(owner, attempt["attemptId"]).json["status"] == "OPEN"


def test_the_deadline_is_enforced_with_a_60_second_grace(clock, key):
    _, user = applicant()
    on_time = start(user).json
    clock.advance(minutes=30, seconds=60)
    assert submit(user, on_time["attemptId"], answers_for(on_time, key)).status == 200

    clock.advance(hours=25)
    application, late_user = applicant()
    late = start(late_user).json
    clock.advance(minutes=30, seconds=61)
    reply = submit(late_user, late["attemptId"], answers_for(late, key))
    assert reply.status == 409 and reply.json["type"] == "attempt-expired"
    stored = applications.get(application["applicationId"])
    assert stored["status"] == "EXAM_FAILED" and stored["examBestScore"] == 0
    assert stored["examLastAttemptAt"] == late["deadline"]  # the cooldown runs from the deadline
    assert "examOpenAttemptId" not in stored
    assert submit(late_user, late["attemptId"], answers_for(late, key)).json["type"] == "attempt-expired"
    shown = view(late_user, late["attemptId"]).json
    assert shown["status"] == "EXPIRED" and shown["passed"] is False and shown["submittedAt"] is None


def test_an_expired_attempt_counts_as_failed_as_soon_as_the_application_is_read(clock, key):
    application, user = applicant()
    attempt = start(user).json
    current = applications.get(application["applicationId"])
    assert settle_expired_attempt(current, T0 + timedelta(minutes=31)) == current  # still within grace
    settled = settle_expired_attempt(current, T0 + timedelta(minutes=31, seconds=1))
    assert settled["status"] == "EXAM_FAILED" and "examOpenAttemptId" not in settled
    assert attempts.get(attempt["attemptId"])["status"] == "EXPIRED"
    # Settling again changes nothing and counts nothing twice.
    assert settle_expired_attempt(settled, T0 + timedelta(hours=2)) == settled
    assert settle_expired_attempt(current, T0 + timedelta(hours=2)) == applications.get(application["applicationId"])
    assert applications.get(application["applicationId"])["examAttemptsUsed"] == 1


def test_the_attempt_view_fails_an_overdue_attempt(clock, key):
    application, user = applicant()
    attempt = start(user).json
    assert view(user, attempt["attemptId"]).json["questions"]  # open: the questions, to carry on
    clock.advance(hours=1)
    shown = view(user, attempt["attemptId"])
    assert shown.json["status"] == "EXPIRED" and shown.json["questions"] == []
    assert applications.get(application["applicationId"])["status"] == "EXAM_FAILED"


def test_starting_again_settles_an_abandoned_attempt_first(clock, key):
    application, user = applicant()
    abandoned = start(user).json
    clock.advance(hours=25)
    fresh = start(user)
    assert fresh.status == 201, fresh.text
    assert attempts.get(abandoned["attemptId"])["status"] == "EXPIRED"
    stored = applications.get(application["applicationId"])
    assert stored["examAttemptsUsed"] == 2 and stored["examOpenAttemptId"] == fresh.json["attemptId"]


def test_attempt_limit_locks_the_application(clock, key):
    application, user = applicant()
    for number in (1, 2, 3):
        attempt = start(user)
        assert attempt.status == 201, (number, attempt.text)
        result = submit(user, attempt.json["attemptId"], answers_for(attempt.json, key, correct=0))
        assert result.json["applicationStatus"] == ("EXAM_LOCKED" if number == 3 else "EXAM_FAILED")
        clock.advance(hours=24)
    refused = start(user)
    assert refused.status == 409 and refused.json["type"] == "attempts-exhausted"
    stored = applications.get(application["applicationId"])
    assert stored["status"] == "EXAM_LOCKED" and stored["examAttemptsUsed"] == 3


def test_cooldown_between_attempts(clock, key):
    _, user = applicant()
    attempt = start(user).json
    clock.advance(minutes=10)
    submit(user, attempt["attemptId"], answers_for(attempt, key, correct=0))
    clock.advance(hours=23, minutes=59, seconds=59)
    refused = start(user)
    assert refused.status == 409 and refused.json["type"] == "cooldown-active"
    assert refused.headers["Retry-After"] == "1"
    clock.advance(seconds=1)
    assert start(user).status == 201


def test_no_cooldown_when_hq_sets_it_to_zero(clock, key):
    put_settings(cooldownHours=0)
    _, user = applicant()
    attempt = start(user).json
    submit(user, attempt["attemptId"], [])
    assert start(user).status == 201


def test_only_one_attempt_open_at_a_time(clock):
    _, user = applicant()
    attempt = start(user).json
    again = start(user)
    assert again.status == 409 and again.json["type"] == "invalid-state"
    assert again.headers["Location"] == f"/exam/attempts/{attempt['attemptId']}"


@pytest.mark.parametrize(
    ("status", "slug"),
    [
        ("SUBMITTED", "training-required"),
        ("EXAM_PASSED", "invalid-state"),
        ("APPROVED", "invalid-state"),
        ("REJECTED", "invalid-state"),
        ("EXAM_LOCKED", "attempts-exhausted"),
    ],
)
def test_who_cannot_start(clock, status, slug):
    _, user = applicant(status)
    reply = start(user, **{"Accept-Language": "fa"})
    assert reply.status == 409 and reply.json["type"] == slug
    assert re.search("[آ-ی]", reply.json["detail"])


def test_no_application_no_attempt(clock):
    reply = start(claims())
    assert reply.status == 404 and reply.json["type"] == "not-found"


def test_applicant_routes_need_a_signed_in_caller(clock):
    for event in (
        api_event("POST", "/exam/attempts"),
        api_event("GET", "/exam/attempts/abc"),
        api_event("POST", "/exam/attempts/abc/submission", body={"answers": []}),
    ):
        reply = invoke("exam", event)
        assert reply.status == 401 and reply.json["type"] == "unauthorized"


def test_an_attempt_keeps_its_snapshot_when_hq_edits_the_bank_and_settings(clock, key):
    _, user = applicant()
    attempt = start(user).json
    first, second = attempt["questions"][:2]
    # HQ rewrites the first question (new text, the key moved), deletes the second, raises the pass mark.
    admin_view = invoke("exam", api_event("GET", f"/admin/questions/{first['questionId']}", caller=HQ)).json
    wrong_index = next(i for i, c in enumerate(admin_view["choices"]) if c["choiceId"] != admin_view["correctChoiceId"])
    edited = {
        "text": "متن تازه",
        "choices": [{"text": c["text"]} for c in admin_view["choices"]],
        "correctChoiceIndex": wrong_index,
        "category": "دسته تازه",
        "active": True,
    }
    put = invoke("exam", api_event("PUT", f"/admin/questions/{first['questionId']}", body=edited, caller=HQ))
    assert put.status == 200
    assert invoke("exam", api_event("DELETE", f"/admin/questions/{second['questionId']}", caller=HQ)).status == 204
    put_settings(passMarkPercent=100)

    shown = view(user, attempt["attemptId"]).json
    assert shown["questions"][0]["text"] == first["text"] and shown["questions"][1] == second
    assert shown["passMarkPercent"] == 70
    reply = submit(user, attempt["attemptId"], answers_for(attempt, key, correct=19))
    assert reply.json["score"] == 95 and reply.json["passed"] is True


def test_the_key_never_reaches_the_applicant(clock, key):
    _, user = applicant()
    replies = [start(user)]
    attempt = replies[0].json
    replies.append(view(user, attempt["attemptId"]))
    replies.append(submit(user, attempt["attemptId"], [{"questionId": "x", "choiceId": "y"}]))
    replies.append(submit(user, attempt["attemptId"], answers_for(attempt, key, correct=10)))
    replies.append(view(user, attempt["attemptId"]))
    replies.append(submit(user, attempt["attemptId"], []))
    for reply in replies:
        assert_no_key(reply)
    # And the choice order does not give it away: the key is not always in one place.
    positions = {[c["choiceId"] for c in q["choices"]].index(key[q["questionId"]]) for q in attempt["questions"]}
    assert len(positions) > 1


def test_the_conditional_write_refuses_a_second_grading_even_from_a_stale_read(clock, key):
    from nazer.logic.exam_grading import AlreadyGradedError, grade_attempt

    application, user = applicant()
    attempt = start(user).json
    stale_attempt = attempts.get(attempt["attemptId"])
    stale_application = applications.get(application["applicationId"])
    assert submit(user, attempt["attemptId"], answers_for(attempt, key)).status == 200
    with pytest.raises(AlreadyGradedError) as refused:
        grade_attempt(stale_application, stale_attempt, {}, T0, expired=True)
    assert refused.value.status == "SUBMITTED"
    assert applications.get(application["applicationId"])["status"] == "EXAM_PASSED"
