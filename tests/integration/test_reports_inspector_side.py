"""The reporter's side: own reports only, statuses and dates without officers' notes; confidentiality."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from nazer.auth import caller_from_claims
from nazer.logic import reports as logic
from nazer.models.reports import TransitionIn
from tests.support.events import api_event
from tests.support.lambdas import invoke
from tests.support.reports_factories import (
    FIRST_NAME,
    LAST_NAME,
    MOBILE,
    an_inspector,
    hq,
    officer,
    officer_body,
    report_body,
)

SECRET_NOTE = "یادداشت محرمانه کارشناس دربارهٔ واحد صنفی"


def call(method, path, resource, caller, params=None, body=None, query=None):
    event = api_event(method, path, resource=resource, path_parameters=params, caller=caller, body=body, query=query)
    return invoke("reports", event)


def file(caller):
    reply = call("POST", "/reports", "/reports", caller, body=report_body())
    assert reply.status == 201, reply.text
    return reply.json["reportId"]


def mine(caller, **query):
    return call("GET", "/reports/mine", "/reports/mine", caller, query=query or None)


def my_report(report_id, caller):
    return call("GET", f"/reports/{report_id}", "/reports/{reportId}", caller, {"reportId": report_id})


def move(report_id, status, note=None):
    body = TransitionIn.model_validate({"status": status, "note": note})
    logic.transition(caller_from_claims(officer()), "23", report_id, body, None, datetime.now(UTC))


def test_an_inspector_follows_their_reports_without_officers_notes(aws):
    # Given a report an officer has reviewed and confirmed, with internal notes
    caller, _, _ = an_inspector()
    report_id = file(caller)
    move(report_id, "UNDER_REVIEW", SECRET_NOTE)
    move(report_id, "CONFIRMED", SECRET_NOTE)
    # When the reporter looks at it
    reply = my_report(report_id, caller)
    # Then they see the statuses and dates, and nothing of the officers' notes or names
    assert reply.status == 200, reply.text
    view = reply.json
    assert view["status"] == "CONFIRMED" and view["finalAt"]
    assert [entry["status"] for entry in view["history"]] == ["RECEIVED", "UNDER_REVIEW", "CONFIRMED"]
    assert all(set(entry) == {"status", "at"} for entry in view["history"])
    assert SECRET_NOTE not in reply.text and "officer-23" not in reply.text
    assert "ageDays" not in view and "possibleDuplicateOf" not in view


def test_my_reports_lists_only_mine_newest_first_with_pagination(aws):
    caller, _, _ = an_inspector()
    other, _, _ = an_inspector()
    mine_ids = [file(caller) for _ in range(3)]
    file(other)
    first = mine(caller, limit="2")
    assert first.status == 200
    second = mine(caller, limit="2", cursor=first.json["nextCursor"])
    listed = [item["reportId"] for item in first.json["items"] + second.json["items"]]
    assert listed == list(reversed(mine_ids))
    assert second.json["nextCursor"] is None


def test_reports_registered_for_me_by_an_officer_appear_in_my_list(aws):
    caller, code, _ = an_inspector()
    registered = call(
        "POST",
        "/provinces/23/reports",
        "/provinces/{provinceCode}/reports",
        officer(),
        {"provinceCode": "23"},
        body=officer_body(code, "in_person"),
    ).json["reportId"]
    assert [item["reportId"] for item in mine(caller).json["items"]] == [registered]
    assert my_report(registered, caller).json["channel"] == "in_person"


def test_inspector_b_cannot_read_inspector_as_report(aws):
    caller_a, _, _ = an_inspector()
    caller_b, _, _ = an_inspector()
    report_id = file(caller_a)
    reply = my_report(report_id, caller_b)
    assert reply.status == 404 and reply.json["type"] == "not-found"
    # exactly like a report that does not exist
    missing = my_report("01J8Z3ZZZZZZZZZZZZZZZZZZZZ", caller_b)
    assert (missing.status, missing.json["detail"]) == (reply.status, reply.json["detail"])
    assert mine(caller_b).json["items"] == []


def test_a_suspended_inspector_still_follows_their_reports(aws):
    caller, code, _ = an_inspector()
    report_id = file(caller)
    from nazer.aws import table
    from nazer.dal.inspectors import inspector_key

    table().update_item(
        Key=inspector_key(code),
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": "SUSPENDED"},
    )
    assert my_report(report_id, caller).status == 200
    assert call("POST", "/reports", "/reports", caller, body=report_body()).status == 409


def test_officers_and_applicants_cannot_use_the_inspector_routes(aws):
    caller, _, _ = an_inspector()
    report_id = file(caller)
    assert my_report(report_id, officer()).status == 403
    assert mine(hq()).status == 403


def test_no_report_response_contains_the_reporters_name_national_id_or_mobile(aws):
    # Given an inspector whose application holds their name, national ID, mobile and username
    caller, code, application = an_inspector()
    personal = [
        application["nationalId"],
        application["mobile"],
        MOBILE,
        application["username"],
        application["username"].lstrip("+"),
        FIRST_NAME,
        LAST_NAME,
        application["fatherName"],
        caller["sub"],
    ]
    # When the report goes through every route that returns a report
    report_id = file(caller)
    registered = call(
        "POST",
        "/provinces/23/reports",
        "/provinces/{provinceCode}/reports",
        officer(),
        {"provinceCode": "23"},
        body=officer_body(code, "written"),
    )
    move(report_id, "UNDER_REVIEW", "بررسی")
    replies = [
        registered,
        my_report(report_id, caller),
        mine(caller),
        call("GET", "/provinces/23/reports", "/provinces/{provinceCode}/reports", officer(), {"provinceCode": "23"}),
        call("GET", "/provinces/23/reports", "/provinces/{provinceCode}/reports", hq(), {"provinceCode": "23"}),
        call(
            "GET",
            f"/provinces/23/reports/{report_id}",
            "/provinces/{provinceCode}/reports/{reportId}",
            officer(),
            {"provinceCode": "23", "reportId": report_id},
        ),
        call(
            "POST",
            f"/provinces/23/reports/{report_id}/transitions",
            "/provinces/{provinceCode}/reports/{reportId}/transitions",
            officer(),
            {"provinceCode": "23", "reportId": report_id},
            body={"status": "REFERRED"},
        ),
    ]
    # Then the raw JSON of each carries the inspector code and none of the personal data
    for reply in replies:
        assert reply.status in (200, 201), reply.text
        raw = reply.text
        decoded = json.dumps(json.loads(raw), ensure_ascii=False)
        for secret in personal:
            assert secret not in raw and secret not in decoded, (secret, raw[:200])
    assert code in replies[3].text
