"""HQ's exam routes through the handler: who may call them, the question bank, the settings."""

from __future__ import annotations

import re

import pytest

from nazer.dal import questions
from tests.support.events import api_event, claims, load_event
from tests.support.exam_factories import seed_bank
from tests.support.lambdas import invoke

HQ = claims("hq-admin")
NEW_QUESTION = {
    "text": "فروشنده کالایی را که تاریخ مصرفش گذشته است می‌فروشد. این کدام تخلف است؟",
    "choices": [{"text": "عرضهٔ کالای تاریخ‌گذشته"}, {"text": "احتکار"}, {"text": "کم‌فروشی"}],
    "correctChoiceIndex": 0,
    "category": "انواع تخلف",
}
ADMIN_ROUTES = [
    ("GET", "/admin/questions", None),
    ("POST", "/admin/questions", NEW_QUESTION),
    ("GET", "/admin/questions/q1", None),
    ("PUT", "/admin/questions/q1", NEW_QUESTION),
    ("DELETE", "/admin/questions/q1", None),
    ("GET", "/admin/exam-settings", None),
    ("PUT", "/admin/exam-settings", {"questionsPerAttempt": 20}),
    ("POST", "/admin/announcements", {"provinceCode": "23", "applicationIds": ["a"]}),
    ("POST", "/admin/applications/a1/rejection", {"reason": "دلیل"}),
    ("GET", "/admin/liaisons", None),
    ("PUT", "/admin/provinces/23/liaison", {"fullName": "علی", "phone": "02188901234"}),
]
SETTINGS = {
    "questionsPerAttempt": 20,
    "passMarkPercent": 70,
    "timeLimitMinutes": 30,
    "maxAttempts": 3,
    "cooldownHours": 24,
}


@pytest.fixture
def bank(aws) -> list[dict]:
    seed_bank()
    return list(questions.iterate_bank())


def call(method, path, body=None, caller=HQ, **kwargs):
    return invoke("exam", api_event(method, path, body=body, caller=caller, **kwargs))


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_only_hq_reaches_admin_routes(aws, method, path, body):
    for caller in (claims(), claims("inspector"), claims("province-officer", province="23")):
        reply = call(method, path, body, caller=caller)
        assert reply.status == 403 and reply.json["type"] == "forbidden", (caller, reply.text)
    reply = invoke("exam", api_event(method, path, body=body))
    assert reply.status == 401 and reply.json["type"] == "unauthorized"


def test_a_question_is_added_read_replaced_and_deleted(bank):
    added = call("POST", "/admin/questions", NEW_QUESTION)
    assert added.status == 201, added.text
    question = added.json
    assert set(question) == {"questionId", "text", "choices", "correctChoiceId", "category", "active"}
    ids = [c["choiceId"] for c in question["choices"]]
    assert len(set(ids)) == 3 and all(re.fullmatch("[0-9a-f]{8}", i) for i in ids)
    assert question["correctChoiceId"] == ids[0] and question["active"] is True
    path = f"/admin/questions/{question['questionId']}"
    assert call("GET", path).json == question

    replacement = NEW_QUESTION | {
        "choices": [{"text": "کم‌فروشی"}, {"text": "گران‌فروشی"}, {"text": "عرضهٔ کالای تاریخ‌گذشته"}],
        "correctChoiceIndex": 2,
        "active": False,
    }
    replaced = call("PUT", path, replacement).json
    new_ids = [c["choiceId"] for c in replaced["choices"]]
    assert new_ids[0] == ids[2] and new_ids[2] == ids[0]  # unchanged texts keep their ids
    assert new_ids[1] not in ids
    assert replaced["correctChoiceId"] == ids[0] and replaced["active"] is False
    assert call("GET", path).json == replaced

    assert call("DELETE", path).status == 204
    for method, body in (("GET", None), ("PUT", NEW_QUESTION), ("DELETE", None)):
        reply = call(method, path, body)
        assert reply.status == 404 and reply.json["type"] == "not-found"


def test_the_bank_lists_in_pages_with_filters(bank):
    seen, cursor = [], None
    while True:
        query = {"limit": "25"} | ({"cursor": cursor} if cursor else {})
        page = call("GET", "/admin/questions", query=query).json
        seen += page["items"]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert len(seen) == len(bank) == 59
    assert len({q["questionId"] for q in seen}) == 59
    assert seen[0]["text"].startswith("خریداری از فروشنده")  # the file's order
    assert all(q["correctChoiceId"] in {c["choiceId"] for c in q["choices"]} for q in seen)

    call("POST", "/admin/questions", NEW_QUESTION | {"active": False})
    inactive = call("GET", "/admin/questions", query={"active": "false"}).json["items"]
    assert [q["active"] for q in inactive] == [False]
    category = call("GET", "/admin/questions", query={"category": "گزارش محرمانه", "limit": "100"}).json["items"]
    assert len(category) == 13

    for query in ({"limit": "0"}, {"limit": "101"}, {"cursor": "garbage!"}, {"active": "maybe"}):
        reply = call("GET", "/admin/questions", query=query)
        assert reply.status == 422 and reply.json["type"] == "validation-error", query


def test_question_validation_lists_each_bad_field_in_persian(bank):
    bad = {"text": "", "choices": [{"text": "یک"}], "correctChoiceIndex": 3, "category": "ا" * 60, "extra": 1}
    reply = call("POST", "/admin/questions", bad, headers={"Accept-Language": "fa"})
    assert reply.status == 422
    fields = {err["field"] for err in reply.json["errors"]}
    assert {"text", "choices", "category", "extra"} <= fields
    assert all(re.search("[آ-ی]", err["message"]) for err in reply.json["errors"])
    for raw in ("[1]", "null", "{"):
        assert invoke("exam", api_event("POST", "/admin/questions", raw_body=raw, caller=HQ)).status == 422


def test_the_bank_is_never_left_too_small_to_draw_an_attempt(bank):
    assert call("PUT", "/admin/exam-settings", SETTINGS | {"questionsPerAttempt": 59}).status == 200
    question = bank[0]
    path = f"/admin/questions/{question['questionId']}"
    reply = call("DELETE", path)
    assert reply.status == 409 and reply.json["type"] == "invalid-state"
    body = {
        "text": question["text"],
        "choices": [{"text": c["text"]} for c in question["choices"]],
        "correctChoiceIndex": 0,
        "category": question["category"],
        "active": False,
    }
    assert call("PUT", path, body).status == 409
    assert call("PUT", path, body | {"active": True}).status == 200  # an edit that keeps it active is fine
    assert call("POST", "/admin/questions", NEW_QUESTION).status == 201
    assert call("DELETE", path).status == 204  # one more active question: now it can go


def test_settings_default_then_change_within_their_ranges(bank):
    assert call("GET", "/admin/exam-settings").json == SETTINGS
    changed = SETTINGS | {"questionsPerAttempt": 10, "maxAttempts": 5, "cooldownHours": 0}
    assert call("PUT", "/admin/exam-settings", changed).json == changed
    assert call("GET", "/admin/exam-settings").json == changed


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("questionsPerAttempt", 4),
        ("questionsPerAttempt", 101),
        ("passMarkPercent", 0),
        ("passMarkPercent", 101),
        ("timeLimitMinutes", 4),
        ("timeLimitMinutes", 181),
        ("maxAttempts", 0),
        ("maxAttempts", 11),
        ("cooldownHours", -1),
        ("cooldownHours", 721),
        ("maxAttempts", "3"),
        ("passMarkPercent", None),
    ],
)
def test_settings_out_of_range_are_422_on_the_field(bank, field, value):
    reply = call("PUT", "/admin/exam-settings", SETTINGS | {field: value})
    assert reply.status == 422 and [err["field"] for err in reply.json["errors"]] == [field]
    assert call("GET", "/admin/exam-settings").json == SETTINGS


def test_settings_cannot_ask_for_more_questions_than_the_bank_has_active(bank):
    reply = call(
        "PUT", "/admin/exam-settings", SETTINGS | {"questionsPerAttempt": 60}, headers={"Accept-Language": "fa"}
    )
    assert reply.status == 422
    assert reply.json["errors"][0]["field"] == "questionsPerAttempt"
    assert "59" in reply.json["errors"][0]["message"]
    assert call("PUT", "/admin/exam-settings", SETTINGS | {"questionsPerAttempt": 59}).status == 200


def test_choice_ids_are_the_same_in_the_admin_view_and_in_an_attempt(bank):
    from tests.support.exam_factories import put_exam_application

    application = put_exam_application()
    attempt = invoke("exam", api_event("POST", "/exam/attempts", caller=claims(sub=application["userSub"]))).json
    for drawn in attempt["questions"]:
        admin = call("GET", f"/admin/questions/{drawn['questionId']}").json
        assert sorted(c["choiceId"] for c in drawn["choices"]) == sorted(c["choiceId"] for c in admin["choices"])
        assert {c["choiceId"]: c["text"] for c in drawn["choices"]} == {
            c["choiceId"]: c["text"] for c in admin["choices"]
        }


@pytest.mark.parametrize(
    "name",
    [
        "admin_questions_list",
        "admin_question_create",
        "admin_question_get",
        "admin_question_replace",
        "admin_question_delete",
        "admin_exam_settings_get",
        "admin_exam_settings_put",
        "admin_announcement",
        "admin_application_rejection",
        "admin_liaisons_list",
        "admin_liaison_put",
        "exam_attempt_start",
        "exam_attempt_get",
        "exam_attempt_submission",
    ],
)
def test_every_sample_event_is_answered_without_a_server_error(bank, name):
    reply = invoke("exam", load_event(name))
    assert reply.status < 500, reply.text
    if reply.status == 204:  # no body, so no content type
        assert (reply.text, reply.content_type) == ("", "")
    else:
        assert reply.content_type in {"application/json", "application/problem+json"}
