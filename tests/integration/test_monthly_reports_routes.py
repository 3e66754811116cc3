"""The monthly-report routes through the function's handler: files, submission, compliance, generation."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest

from nazer.dal import monthly_reports as store
from nazer.jalali import Period, now_utc, parse_iso
from tests.integration import monthly_scenario as scenario
from tests.support.events import api_event, claims, load_event
from tests.support.lambdas import invoke

FN = "monthly_reports"
FILE = "/provinces/{provinceCode}/monthly-reports/{period}/file"
LIST = "/provinces/{provinceCode}/monthly-reports"
SUBMIT = "/provinces/{provinceCode}/monthly-reports/{period}/submission"
COMPLIANCE = "/admin/monthly-reports/{period}"
GENERATE = "/admin/monthly-reports/{period}/generation"

HQ = claims("hq-admin")
OFFICER_23 = claims("province-officer", province="23")
OFFICER_10 = claims("province-officer", province="10")
INSPECTOR = claims("inspector")


def call(method, resource, *, caller, params, query=None, body=None, raw_body=None, headers=None):
    path = resource
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    event = api_event(
        method,
        path,
        resource=resource,
        path_parameters=params,
        query=query,
        body=body,
        raw_body=raw_body,
        caller=caller,
        headers=headers,
    )
    return invoke(FN, event)


def file_of(province="23", period="1403-07", fmt=None, caller=OFFICER_23):
    query = {"format": fmt} if fmt else None
    return call("GET", FILE, caller=caller, params={"provinceCode": province, "period": period}, query=query)


def generate(period="1403-07", caller=HQ, headers=None):
    return call("POST", GENERATE, caller=caller, params={"period": period}, headers=headers)


def generate_some(period="1403-07", provinces=("23", "10")):
    """Generate a few directorates directly (the 32-directorate run is tested through the API once)."""
    from nazer.logic import monthly_reports

    monthly_reports.generate_period(Period.parse(period), now_utc(), provinces=list(provinces))


def submit(body, province="23", period="1403-07", caller=OFFICER_23, headers=None, raw_body=None):
    return call(
        "POST",
        SUBMIT,
        caller=caller,
        params={"provinceCode": province, "period": period},
        body=body,
        raw_body=raw_body,
        headers=headers,
    )


def compliance(period="1403-07", caller=HQ):
    return call("GET", COMPLIANCE, caller=caller, params={"period": period})


def test_a_file_is_not_found_before_the_period_is_generated(aws):
    reply = call(
        "GET",
        FILE,
        caller=OFFICER_23,
        params={"provinceCode": "23", "period": "1403-07"},
        headers={"Accept-Language": "fa"},
    )
    assert reply.status == 404
    assert reply.content_type == "application/problem+json"
    assert reply.json["type"] == "not-found"
    assert reply.json["detail"] == "گزارش این دوره هنوز تولید نشده است"


def test_hq_generates_every_directorate_and_the_officer_gets_short_lived_links(aws):
    scenario.seed()
    # When HQ generates the period through the API (the sample event of the route)
    reply = invoke(FN, load_event("monthly_reports_generation"))
    assert reply.status == 200
    assert set(reply.json) == {"period", "generatedAt", "provinces"}
    assert reply.json["period"] == "1403-07" and reply.json["provinces"] == 32
    # Then the officer gets a presigned link to each file, living at most 5 minutes
    for fmt, extension in ((None, "xlsx"), ("xlsx", "xlsx"), ("csv", "csv"), ("json", "json")):
        link = file_of(fmt=fmt)
        assert link.status == 200, link.text
        assert set(link.json) == {"url", "expiresAt", "fileName"}
        assert link.json["fileName"] == f"nazer-monthly-1403-07-23.{extension}"
        url = urlparse(link.json["url"])
        assert url.path.endswith(f"reports/1403-07/23/nazer-monthly-1403-07-23.{extension}")
        assert int(parse_qs(url.query)["X-Amz-Expires"][0]) <= 300
        lifetime = (parse_iso(link.json["expiresAt"]) - now_utc()).total_seconds()
        assert 0 < lifetime <= 300
    # And HQ may fetch any directorate's files
    assert file_of("00", caller=HQ).status == 200
    # And the manifest behind the json link is the generated one
    record = store.get_record(scenario.PERIOD, "23")
    assert json.loads(store.read_file(record["files"]["json"]["key"]))["generatedAt"] == reply.json["generatedAt"]


def test_who_may_read_a_directorates_files(aws):
    assert file_of(caller=OFFICER_10).status == 403
    assert file_of(caller=INSPECTOR).status == 403
    assert file_of(caller=claims(None)).status == 403
    assert file_of("99", caller=HQ).status == 404
    no_claims = api_event(
        "GET",
        "/provinces/23/monthly-reports/1403-07/file",
        resource=FILE,
        path_parameters={"provinceCode": "23", "period": "1403-07"},
    )
    assert invoke(FN, no_claims).status == 401


@pytest.mark.parametrize("period", ["1403-13", "1403-00", "1403-7", "۱۴۰۳-۱۳", "latest"])
def test_a_malformed_period_is_a_validation_error_on_that_field(aws, period):
    for reply in (file_of(period=period), generate(period), compliance(period), submit({}, period=period)):
        assert reply.status == 422, reply.text
        assert reply.json["errors"][0]["field"] == "period"


@pytest.mark.parametrize("period", ["۱۴۰۳-۰۷", "١٤٠٣-٠٧", "14۰3-0٧"])
def test_a_period_in_persian_or_mixed_digits_is_that_period(aws, period):
    reply = compliance(period)
    assert reply.status == 200, reply.text
    assert reply.json["period"] == "1403-07"


def test_an_unknown_format_is_a_validation_error(aws):
    reply = file_of(fmt="pdf")
    assert reply.status == 422
    assert reply.json["errors"][0]["field"] == "format"


def test_a_future_period_cannot_be_generated(aws):
    future = Period.of(now_utc()).next()
    reply = generate(str(future))
    assert reply.status == 422
    assert reply.json["errors"][0]["field"] == "period"


def test_only_hq_generates_and_sees_compliance(aws):
    assert generate(caller=OFFICER_23).status == 403
    assert compliance(caller=OFFICER_23).status == 403
    assert compliance(caller=INSPECTOR).status == 403


def test_submitting_before_generation_is_an_invalid_state(aws):
    reply = submit({"remarks": "ارسال"}, headers={"Accept-Language": "fa"})
    assert reply.status == 409
    assert reply.json["type"] == "invalid-state"
    assert "تولید نشده" in reply.json["detail"]


def test_only_the_directorates_officer_submits_and_the_body_must_be_an_object(aws):
    assert submit({}, caller=HQ).status == 403
    assert submit({}, caller=OFFICER_10).status == 403
    assert submit(None, raw_body="[1, 2]").status == 422
    assert submit(None, raw_body="not json").status == 422
    unknown = submit({"remarks": "x", "late": False})
    assert unknown.status == 422 and unknown.json["errors"][0]["field"] == "late"
    too_long = submit({"remarks": "x" * 2001})
    assert too_long.status == 422 and too_long.json["errors"][0]["field"] == "remarks"


def test_a_late_submission_keeps_its_first_time_and_takes_new_remarks(aws):
    # Given Mehr 1403 generated (its deadline, 1403/08/07, is long past)
    generate_some()
    # When the officer submits, then submits again with other remarks
    first = submit({"remarks": "گزارش ماه مهر"})
    second = submit({"remarks": "اصلاحیه: آمار شهرستان ری"})
    # Then both answers carry the first time, and it is late
    assert first.status == 200 and second.status == 200
    assert set(first.json) == {"submittedAt", "late"}
    assert first.json["late"] is True
    assert second.json == first.json
    record = store.get_record(scenario.PERIOD, "23")
    assert record["remarks"] == "اصلاحیه: آمار شهرستان ری"
    assert record["submittedAt"] == first.json["submittedAt"]


def test_a_submission_repeated_with_its_idempotency_key_returns_the_first_reply(aws):
    generate_some()
    key = {"Idempotency-Key": "b9c4a1f2-3d5e-4f60-8a7b-9c0d1e2f3a4b"}
    first = submit({"remarks": "یک"}, headers=key)
    again = submit({"remarks": "یک"}, headers=key)
    assert again.status == 200 and again.json == first.json
    reused = submit({"remarks": "دو"}, headers=key)
    assert reused.status == 422


def test_compliance_shows_each_directorates_state_and_a_current_national_file(aws):
    # Given the period generated for two directorates, and Tehran's submitted (late: the deadline is past)
    generate_some()
    before = compliance()
    assert before.status == 200
    assert submit({"remarks": "ارسال شد"}).status == 200
    # When HQ looks at the period
    reply = compliance()
    assert reply.status == 200
    body = reply.json
    assert body["period"] == "1403-07"
    assert body["deadline"] == "2024-10-27T20:30:00Z"
    provinces = {row["provinceCode"]: row for row in body["provinces"]}
    assert len(provinces) == 32 and list(provinces) == sorted(provinces)
    assert provinces["23"]["state"] == "late" and provinces["23"]["late"] is True
    assert provinces["23"]["submittedAt"] is not None and provinces["23"]["generatedAt"] is not None
    assert provinces["10"] == {
        "provinceCode": "10",
        "generatedAt": provinces["23"]["generatedAt"],
        "submittedAt": None,
        "late": None,
        "state": "missing",
    }
    # And the national roll-up was re-rendered with Tehran's submission
    link = body["nationalFile"]
    assert link["fileName"] == "nazer-monthly-1403-07-national.xlsx"
    assert link["url"] != before.json["nationalFile"]["url"]
    national = store.get_national(scenario.PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(store.read_file(national["file"]["key"])))
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft is True
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert len(rows) == 32
    assert rows["23"][1] == "تهران" and rows["23"][2] == "ارسال با تأخیر" and rows["23"][4] == "ارسال شد"
    assert rows["10"][2] == "ارسال‌نشده"
    assert rows["11"][2] == "تولیدنشده"
    assert rows["00"][0] == "00"
    # And asking again does not render it again
    assert compliance().json["nationalFile"]["url"].split("?")[0] == link["url"].split("?")[0]


def test_compliance_of_a_period_never_generated(aws):
    body = compliance("1402-01").json
    assert body["nationalFile"] is None
    assert {row["state"] for row in body["provinces"]} == {"not_generated"}


def test_the_directorates_periods_are_listed_newest_first(aws):
    # Given two periods generated for Tehran, one submitted
    from nazer.logic import monthly_reports

    now = datetime(2024, 12, 1, tzinfo=UTC)
    monthly_reports.generate_period(Period.parse("1403-07"), now, provinces=["23", "10"])
    monthly_reports.generate_period(Period.parse("1403-08"), now, provinces=["23"])
    store.submit(Period.parse("1403-07"), "23", remarks=None, now="2024-10-25T08:00:00Z", late=False)
    # When the officer lists them
    reply = call("GET", LIST, caller=OFFICER_23, params={"provinceCode": "23"})
    # Then
    assert reply.status == 200
    assert reply.json == {
        "items": [
            {
                "period": "1403-08",
                "provinceCode": "23",
                "generatedAt": "2024-12-01T00:00:00Z",
                "submittedAt": None,
                "late": None,
            },
            {
                "period": "1403-07",
                "provinceCode": "23",
                "generatedAt": "2024-12-01T00:00:00Z",
                "submittedAt": "2024-10-25T08:00:00Z",
                "late": False,
            },
        ],
        "nextCursor": None,
    }
    page = call("GET", LIST, caller=OFFICER_23, params={"provinceCode": "23"}, query={"limit": "1"})
    assert [item["period"] for item in page.json["items"]] == ["1403-08"]
    rest = call(
        "GET", LIST, caller=OFFICER_23, params={"provinceCode": "23"}, query={"cursor": page.json["nextCursor"]}
    )
    assert [item["period"] for item in rest.json["items"]] == ["1403-07"]
    assert call("GET", LIST, caller=HQ, params={"provinceCode": "23"}).status == 200
    assert call("GET", LIST, caller=OFFICER_10, params={"provinceCode": "23"}).status == 403
    bad_cursor = call("GET", LIST, caller=HQ, params={"provinceCode": "10"}, query={"cursor": page.json["nextCursor"]})
    assert bad_cursor.status == 422


def test_sample_events_of_the_routes_are_served(aws):
    generate_some()
    for name, status in (
        ("monthly_reports_list", 200),
        ("monthly_reports_file", 200),
        ("monthly_reports_submission", 200),
        ("monthly_reports_compliance", 200),
    ):
        reply = invoke(FN, load_event(name))
        assert reply.status == status, (name, reply.text)
