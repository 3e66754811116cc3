"""POST /reports: an ACTIVE inspector files a confidential report and gets a tracking number."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from nazer.aws import table
from nazer.dal import reports as store
from nazer.domain.ulid import is_ulid, timestamp_ms
from tests.support.events import api_event, claims
from tests.support.lambdas import invoke
from tests.support.reports_factories import an_inspector, report_body


def file(caller, body, headers=None):
    return invoke("reports", api_event("POST", "/reports", body=body, caller=caller, headers=headers))


def test_an_active_inspector_files_a_report_routed_to_the_business_province(aws):
    # Given an ACTIVE inspector of Tehran reporting a business in Isfahan (10/01)
    caller, code, _ = an_inspector(province="23")
    body = report_body()
    body["business"] |= {"provinceCode": "10", "countyCode": "01"}
    # When they file it
    reply = file(caller, body)
    # Then they get a tracking number, and the report sits in Isfahan's queue under their code
    assert reply.status == 201, reply.text
    created = reply.json
    assert set(created) == {"reportId", "status", "receivedAt"}
    assert created["status"] == "RECEIVED" and is_ulid(created["reportId"])
    assert abs(timestamp_ms(created["reportId"]) / 1000 - datetime.now(UTC).timestamp()) < 60
    item = store.get(created["reportId"])
    assert item["provinceCode"] == "10" and item["countyCode"] == "01"
    assert item["gsi1pk"] == "REPPROV#10" and item["gsi1sk"] == f"{created['receivedAt']}#{created['reportId']}"
    assert item["gsi2pk"] == f"REPINSP#{code}"
    assert item["gsi3pk"].startswith("REPBIZ#10#01#")
    assert item["channel"] == "web" and item["inspectorCode"] == code
    assert item["violationTypes"] == ["overpricing"]
    details = store.get_details(created["reportId"])
    assert [entry["status"] for entry in details.history] == ["RECEIVED"]


def test_tracking_numbers_are_unique_and_sort_by_filing_time(aws):
    caller, _, _ = an_inspector()
    ids = [file(caller, report_body()).json["reportId"] for _ in range(5)]
    assert len(set(ids)) == 5
    assert ids == sorted(ids)


@pytest.mark.parametrize("status", ["SUSPENDED", "REVOKED"])
def test_a_suspended_or_revoked_inspector_cannot_file(aws, status):
    caller, _, _ = an_inspector(status=status)
    reply = file(caller, report_body())
    assert reply.status == 409 and reply.json["type"] == "invalid-state"
    assert reply.content_type == "application/problem+json"


def test_a_user_without_the_inspector_group_is_forbidden(aws):
    reply = file(claims(None), report_body())
    assert reply.status == 403 and reply.json["type"] == "forbidden"
    reply = file(claims("province-officer", province="23"), report_body())
    assert reply.status == 403


def test_an_inspector_group_member_without_a_code_is_forbidden(aws):
    reply = file(claims("inspector"), report_body())
    assert reply.status == 403 and reply.json["type"] == "forbidden"


def test_no_token_is_unauthorized(aws):
    reply = invoke("reports", api_event("POST", "/reports", body=report_body(), caller=None))
    assert reply.status == 401


def test_the_twenty_first_report_of_a_tehran_day_is_rate_limited(aws):
    caller, code, _ = an_inspector()
    for _ in range(20):
        assert file(caller, report_body()).status == 201
    reply = file(caller, report_body())
    assert reply.status == 429 and reply.json["type"] == "rate-limited"
    assert int(reply.headers["Retry-After"]) > 0
    # Nothing of the refused report was written
    assert len(store.list_for_inspector(code, 100, None).items) == 20


def test_an_idempotent_retry_returns_the_first_reply_and_files_nothing_more(aws):
    caller, code, _ = an_inspector()
    body = report_body()
    key = {"Idempotency-Key": "5f0c2a52-8f7e-4f5a-9c3b-1d2e3f4a5b6c"}
    first = file(caller, body, key)
    again = file(caller, body, key)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert len(store.list_for_inspector(code, 100, None).items) == 1
    # the same key with another body is refused
    other = file(caller, report_body(description="توضیح دیگری برای همین کلید"), key)
    assert other.status == 422
    # another inspector using the same key files their own report
    caller_b, _, _ = an_inspector()
    assert file(caller_b, body, key).json["reportId"] != first.json["reportId"]


def test_a_retry_does_not_count_against_the_daily_allowance(aws):
    caller, code, _ = an_inspector()
    body = report_body()
    for _ in range(3):
        assert file(caller, body, {"Idempotency-Key": "retry-key-000001"}).status == 201
    counters = table().query(
        KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": f"RATE#{code}#" + _tehran_day()}
    )["Items"]
    assert int(counters[0]["count"]) == 1


def _tehran_day() -> str:
    from nazer.jalali import tehran_day_key

    return tehran_day_key(datetime.now(UTC))


def test_persian_digits_and_arabic_letters_are_normalised(aws):
    caller, _, _ = an_inspector()
    body = report_body()
    body["business"] |= {"provinceCode": "۲۳", "countyCode": "۰۱", "name": "فروشگاه علي"}
    reply = file(caller, body)
    assert reply.status == 201, reply.text
    item = store.get(reply.json["reportId"])
    assert item["business"]["provinceCode"] == "23"
    assert item["business"]["name"] == "فروشگاه علی"


def test_the_metric_reports_received_is_emitted_with_province_and_channel(aws, capsys):
    caller, _, _ = an_inspector()
    assert file(caller, report_body()).status == 201
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    metrics = [line for line in lines if "ReportsReceived" in line]
    assert metrics, lines
    emitted = metrics[0]
    assert emitted["province"] == "23" and emitted["channel"] == "web"
    assert emitted["ReportsReceived"] == [1.0]
    directives = emitted["_aws"]["CloudWatchMetrics"][0]
    assert directives["Namespace"] == "Nazer"
    assert set(directives["Dimensions"][0]) >= {"province", "channel"}


def test_observed_time_in_the_future_or_older_than_30_days_is_refused(aws):
    caller, _, _ = an_inspector()
    now = datetime.now(UTC)
    for observed in (now + timedelta(hours=1), now - timedelta(days=31)):
        reply = file(caller, report_body(observedAt=observed.isoformat()))
        assert reply.status == 422, reply.text
        assert [err["field"] for err in reply.json["errors"]] == ["observedAt"]
