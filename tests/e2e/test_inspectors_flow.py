"""Codes end to end over HTTP: the applicant's refreshed token carries the group, exhaustion writes
nothing, and every route is scoped to its province."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest

from nazer.dal.stats import stats_key
from nazer.jalali import Period
from tests.support.inspectors_factories import put_application, read_counter, set_counter, stack_table

pytestmark = pytest.mark.e2e


def groups_in(token: str) -> set[str]:
    claims = jwt.decode(token, options={"verify_signature": False})
    return set(claims.get("cognito:groups", []))


def test_from_approved_to_a_code_and_a_token_with_the_inspector_group(stack):
    # Given a citizen who signed up and whose application was approved in Sistan and Baluchestan (11)
    username, token = stack.sign_up()
    sub = jwt.decode(token, options={"verify_signature": False})["sub"]
    assert "inspector" not in groups_in(token)
    table = stack_table(stack.descriptor)
    application = put_application(table, province="11", county="02", sub=sub, username=username)
    officer = stack.demo_token("province-officer", "11")
    # When it is in the province's queue and the officer issues the code
    queue = stack.call("GET", "/provinces/11/applications", officer).json()["items"]
    assert application["applicationId"] in [item["applicationId"] for item in queue]
    reply = stack.call(
        "POST", "/provinces/11/inspectors", officer, json={"applicationId": application["applicationId"]}
    )
    # Then the code is issued, and the applicant's next token says "inspector"
    assert reply.status_code == 201, reply.text
    assert reply.json()["inspectorCode"].startswith("110240")
    assert groups_in(stack.sign_in(username, "Citizen-Pass-1403")) == {"inspector"}
    # And the application left the queue
    queue = stack.call("GET", "/provinces/11/applications", officer).json()["items"]
    assert application["applicationId"] not in [item["applicationId"] for item in queue]

    # When the officer revokes the code
    code = reply.json()["inspectorCode"]
    revoked = stack.call(
        "POST", f"/provinces/11/inspectors/{code}/status", officer, json={"status": "REVOKED", "reason": "تخلف"}
    )
    # Then the next token no longer carries the group, and asking again returns the same (revoked) code
    assert revoked.status_code == 200 and revoked.json()["status"] == "REVOKED"
    assert groups_in(stack.sign_in(username, "Citizen-Pass-1403")) == set()
    again = stack.call(
        "POST", "/provinces/11/inspectors", officer, json={"applicationId": application["applicationId"]}
    )
    assert again.status_code == 200 and again.json()["inspectorCode"] == code


def test_a_full_county_issues_9999_then_409_and_nothing_else_changes(stack):
    # Given Kermanshah (05) county 03 has issued 9998 codes, and two applicants wait
    table = stack_table(stack.descriptor)
    set_counter(table, "05", "03", 9998)
    last, late = (put_application(table, province="05", county="03") for _ in range(2))
    officer = stack.demo_token("province-officer", "05")
    # When both are issued
    first = stack.call("POST", "/provinces/05/inspectors", officer, json={"applicationId": last["applicationId"]})
    before = table.get_item(Key={"pk": f"APP#{late['applicationId']}", "sk": "APP"}, ConsistentRead=True)["Item"]
    refused = stack.call("POST", "/provinces/05/inspectors", officer, json={"applicationId": late["applicationId"]})
    # Then …9999 is issued and the next is refused as a 409 problem
    assert first.status_code == 201 and first.json()["inspectorCode"] == "0503409999"
    assert refused.status_code == 409
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["type"] == "county-codes-exhausted"
    # And nothing else changed: the late application, the counter, the month's figures
    after = table.get_item(Key={"pk": f"APP#{late['applicationId']}", "sk": "APP"}, ConsistentRead=True)["Item"]
    assert after == before and after["status"] == "APPROVED"
    assert read_counter(table, "05", "03") == 9999
    month = table.get_item(Key=stats_key(Period.of(datetime.now(UTC)), "05", "03"), ConsistentRead=True)["Item"]
    assert month["codesIssued"] == 1
    listed = stack.call("GET", "/provinces/05/inspectors", officer, params={"county": "03"}).json()["items"]
    assert [item["inspectorCode"] for item in listed] == ["0503409999"]


def test_every_route_is_scoped_to_its_province(stack):
    # Given an approved application and an inspector of Kurdistan (12)
    table = stack_table(stack.descriptor)
    application = put_application(table, province="12", county="01")
    inspector_app = put_application(table, province="12", county="02")
    own = stack.demo_token("province-officer", "12")
    code = stack.call("POST", "/provinces/12/inspectors", own, json={"applicationId": inspector_app["applicationId"]})
    code = code.json()["inspectorCode"]
    other = stack.demo_token("province-officer", "13")
    hq = stack.demo_token("hq-admin")
    _, citizen = stack.sign_up()
    routes = [
        ("GET", "/provinces/12/applications", None),
        ("GET", "/provinces/12/inspectors", None),
        ("POST", "/provinces/12/inspectors", {"applicationId": application["applicationId"]}),
        ("POST", f"/provinces/12/inspectors/{code}/status", {"status": "SUSPENDED", "reason": "بررسی"}),
    ]
    # Then another province's officer and a citizen are refused on every route
    for method, path, body in routes:
        for token in (other, citizen):
            reply = stack.call(method, path, token, json=body)
            assert reply.status_code == 403 and reply.json()["type"] == "forbidden", (method, path)
    # And HQ reads but cannot issue or change a status
    for method, path, body in routes:
        reply = stack.call(method, path, hq, json=body)
        assert reply.status_code == (200 if method == "GET" else 403), (method, path)
    # And without a token nothing is served
    for method, path, body in routes:
        assert stack.call(method, path, None, json=body).status_code == 401
    # And nothing was issued or changed by the refused calls
    assert read_counter(table, "12", "01") is None
    listed = stack.call("GET", "/provinces/12/inspectors", own).json()["items"]
    assert [(item["inspectorCode"], item["status"]) for item in listed] == [(code, "ACTIVE")]
