"""POST /provinces/{p}/inspectors through the handler: one code per applicant, in county order."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from nazer.aws import cognito_client, table
from nazer.dal import inspectors as repository
from nazer.dal.stats import stats_key
from nazer.jalali import Period
from nazer.settings import get_settings
from tests.support.events import load_event
from tests.support.inspectors_factories import (
    hq_admin,
    issue_event,
    officer,
    put_application,
    read_counter,
    set_counter,
)
from tests.support.lambdas import invoke


def issue(application_id: str, province: str = "23", caller=None, headers=None):
    return invoke(
        "inspectors", issue_event(province, {"applicationId": application_id}, caller or officer(province), headers)
    )


def stored(application_id: str) -> dict:
    return table().get_item(Key={"pk": f"APP#{application_id}", "sk": "APP"}, ConsistentRead=True)["Item"]


def test_the_first_code_of_a_county_is_0001_and_the_application_becomes_active(aws):
    # Given an approved applicant of Tehran (23), county 05
    application = put_application(table(), province="23", county="05")
    # When the province's officer issues the code
    reply = issue(application["applicationId"])
    # Then 201 with the code, and the application is ACTIVE and holds it
    assert reply.status == 201
    body = reply.json
    assert body == {
        "inspectorCode": "2305400001",
        "applicationId": application["applicationId"],
        "provinceCode": "23",
        "countyCode": "05",
        "issuedAt": body["issuedAt"],
    }
    item = stored(application["applicationId"])
    assert item["status"] == "ACTIVE" and item["inspectorCode"] == "2305400001"
    assert item["gsi1pk"] == "APPSTATUS#ACTIVE" and item["gsi2pk"] == "APPPROV#23#ACTIVE"
    assert item["codeIssuedAt"] == body["issuedAt"]
    # And the counter, the guard and the inspector record exist
    assert read_counter(table(), "23", "05") == 1
    guard = table().get_item(Key=repository.code_guard_key("2305400001"))["Item"]
    assert guard["applicationId"] == application["applicationId"]
    inspector = repository.get("2305400001")
    assert inspector is not None and inspector["status"] == "ACTIVE" and inspector["gsi1sk"] == "05#2305400001"


def test_a_repeat_returns_the_same_code_with_200_and_issues_nothing(aws):
    application = put_application(table(), province="23", county="06")
    first = issue(application["applicationId"])
    second = issue(application["applicationId"])
    assert (first.status, second.status) == (201, 200)
    assert second.json == first.json
    assert read_counter(table(), "23", "06") == 1


def test_codes_follow_the_county_sequence_and_counties_are_independent(aws):
    # Given three applicants of county 07 and one of county 08
    sevens = [put_application(table(), province="23", county="07") for _ in range(3)]
    eight = put_application(table(), province="23", county="08")
    # When each is issued
    codes = [issue(app["applicationId"]).json["inspectorCode"] for app in [*sevens, eight]]
    # Then county 07 counts 1, 2, 3 and county 08 starts at 1
    assert codes == ["2307400001", "2307400002", "2307400003", "2308400001"]


def test_the_month_counts_the_code(aws):
    application = put_application(table(), province="23", county="09")
    issue(application["applicationId"])
    counters = table().get_item(Key=stats_key(Period.of(datetime.now(UTC)), "23", "09"))["Item"]
    assert counters["codesIssued"] == 1


def test_metrics_report_the_code_and_the_county_codes_remaining(aws, capsys):
    application = put_application(table(), province="23", county="10")
    capsys.readouterr()
    issue(application["applicationId"])
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    remaining = next(m for m in emitted if "CountyCodesRemaining" in m)
    assert remaining["CountyCodesRemaining"] == [9998.0]
    assert (remaining["province"], remaining["county"]) == ("23", "10")
    assert ["province", "county", "service"] in remaining["_aws"]["CloudWatchMetrics"][0]["Dimensions"]
    assert any("CodesIssued" in m for m in emitted)


def test_a_full_county_issues_its_last_code_then_refuses_with_nothing_written(aws, capsys):
    # Given county 11 at 9998 and two approved applicants
    set_counter(table(), "23", "11", 9998)
    last, late = (put_application(table(), province="23", county="11") for _ in range(2))
    # When both are issued
    first = issue(last["applicationId"])
    before = stored(late["applicationId"])
    capsys.readouterr()
    second = issue(late["applicationId"])
    # Then the first gets …9999, the second 409 county-codes-exhausted and nothing changed
    assert first.status == 201 and first.json["inspectorCode"] == "2311409999"
    assert second.status == 409 and second.json["type"] == "county-codes-exhausted"
    assert second.content_type == "application/problem+json"
    assert stored(late["applicationId"]) == before
    assert read_counter(table(), "23", "11") == 9999
    assert "Item" not in table().get_item(Key=repository.code_guard_key("2311410000"))
    # And the metric says no codes remain
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    assert any(m.get("CountyCodesRemaining") == [0.0] and m.get("county") == "11" for m in emitted)


def test_the_exhausted_problem_speaks_persian(aws):
    set_counter(table(), "23", "12", 9999)
    application = put_application(table(), province="23", county="12")
    reply = issue(application["applicationId"], headers={"Accept-Language": "fa"})
    assert reply.status == 409
    assert reply.json["title"] == "ظرفیت کد ناظر این شهرستان تمام شده است"


@pytest.mark.parametrize("status", ["SUBMITTED", "TRAINING", "EXAM_PASSED", "REJECTED", "EXAM_LOCKED"])
def test_only_an_approved_application_gets_a_code(aws, status):
    application = put_application(table(), status, province="23", county="13")
    reply = issue(application["applicationId"])
    assert reply.status == 409 and reply.json["type"] == "invalid-state"
    assert read_counter(table(), "23", "13") is None


def test_an_unknown_application_is_not_found(aws):
    reply = issue("5b1f3a7e-0000-4000-8000-000000000000")
    assert reply.status == 404 and reply.json["type"] == "not-found"


def test_an_application_of_another_province_is_forbidden(aws):
    application = put_application(table(), province="10", county="01")
    reply = issue(application["applicationId"], province="23")
    assert reply.status == 403 and reply.json["type"] == "forbidden"
    assert stored(application["applicationId"])["status"] == "APPROVED"


def test_hq_and_other_provinces_cannot_issue(aws):
    application = put_application(table(), province="23", county="14")
    assert issue(application["applicationId"], caller=hq_admin()).status == 403
    assert issue(application["applicationId"], caller=officer("10")).status == 403
    from tests.support.events import claims

    assert issue(application["applicationId"], caller=claims()).status == 403
    assert issue(application["applicationId"], caller=claims("inspector")).status == 403
    assert stored(application["applicationId"])["status"] == "APPROVED"


def test_no_token_is_unauthorized(aws):
    reply = invoke("inspectors", issue_event("23", {"applicationId": "x"}, None))
    assert reply.status == 401


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("[]", "body"),
        ('"text"', "body"),
        ("{", "body"),
        ("{}", "applicationId"),
        ('{"applicationId": ""}', "applicationId"),
        ('{"applicationId": "a b"}', "applicationId"),
        ('{"applicationId": 12}', "applicationId"),
        ('{"applicationId": "x", "extra": 1}', "extra"),
    ],
)
def test_a_malformed_body_is_a_validation_problem(aws, raw, field):
    event = issue_event("23", None, officer("23"))
    event["body"] = raw
    reply = invoke("inspectors", event)
    assert reply.status == 422, reply.text
    assert reply.json["type"] == "validation-error"
    assert field in {error["field"] for error in reply.json["errors"]}


def test_an_idempotency_key_replays_the_first_reply(aws):
    application = put_application(table(), province="23", county="15")
    caller = officer("23")
    headers = {"Idempotency-Key": "4c0f6c7e-2d1b-4b7a-9a51-0e4f3c2b1a09"}
    first = issue(application["applicationId"], caller=caller, headers=headers)
    again = issue(application["applicationId"], caller=caller, headers=headers)
    assert first.status == again.status == 201
    assert again.json == first.json


def test_the_sample_event_issues_a_code(aws):
    # Given the sample event's application, approved in Tehran county 16
    event = load_event("inspectors_issue")
    application_id = json.loads(event["body"])["applicationId"]
    application = put_application(table(), province="23", county="16")
    table().delete_item(Key={"pk": f"APP#{application['applicationId']}", "sk": "APP"})
    table().put_item(Item={**application, "pk": f"APP#{application_id}", "applicationId": application_id})
    # When the sample event is handled
    reply = invoke("inspectors", event)
    # Then the code is issued
    assert reply.status == 201 and reply.json["inspectorCode"] == "2316400001"


# ---------------------------------------------------------------- the Cognito group


def _pool_user(username: str) -> None:
    cognito_client().admin_create_user(
        UserPoolId=get_settings().user_pool_id, Username=username, MessageAction="SUPPRESS"
    )


def _groups(username: str) -> set[str]:
    reply = cognito_client().admin_list_groups_for_user(UserPoolId=get_settings().user_pool_id, Username=username)
    return {group["GroupName"] for group in reply["Groups"]}


def test_the_applicant_joins_the_inspector_group(aws):
    _pool_user("+989121110001")
    application = put_application(table(), province="23", county="17", username="+989121110001")
    assert issue(application["applicationId"]).status == 201
    assert _groups("+989121110001") == {"inspector"}


def test_a_failed_grant_keeps_the_code_and_a_repeat_grants_it(aws, capsys, caplog):
    # Given an applicant whose Cognito user cannot be found yet (the grant will fail)
    application = put_application(table(), province="23", county="18", username="+989121110002")
    capsys.readouterr()
    # When the code is issued
    first = issue(application["applicationId"])
    # Then the code stands; the failure is logged without personal data and counted
    assert first.status == 201 and stored(application["applicationId"])["status"] == "ACTIVE"
    assert "InspectorGroupSyncFailed" in capsys.readouterr().out
    (record,) = [r for r in caplog.records if r.getMessage() == "inspector group sync failed"]
    logged = json.dumps({k: str(v) for k, v in vars(record).items()}, ensure_ascii=False)
    assert record.inspectorCode == first.json["inspectorCode"] and record.error == "UserNotFoundException"
    for personal in ("+989121110002", application["nationalId"], application["firstName"], application["userSub"]):
        assert personal not in logged
    # When the user exists and the officer asks again
    _pool_user("+989121110002")
    second = issue(application["applicationId"])
    # Then the same code, no second code, and the group is granted
    assert second.status == 200 and second.json["inspectorCode"] == first.json["inspectorCode"]
    assert read_counter(table(), "23", "18") == 1
    assert _groups("+989121110002") == {"inspector"}
