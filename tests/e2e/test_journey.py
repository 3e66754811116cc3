"""The whole plan over HTTP, as its people live it: a citizen signs up, applies, studies, passes
the exam; HQ announces them; their province issues a code; the inspector reports a violation;
the province confirms it; the month's report counts all of it and is submitted on time."""

from __future__ import annotations

import csv
import io

import jwt
import pytest
import requests

from nazer.jalali import Period, now_utc
from tests.e2e.test_exam_flow import answer_key_from_admin_list
from tests.support.applications_factories import application_body
from tests.support.exam_factories import answers_for
from tests.support.reports_factories import report_body

pytestmark = pytest.mark.e2e

# A county no other end-to-end test touches, so its figures are exactly this journey's.
PROVINCE, COUNTY = "24", "07"


def test_from_sign_up_to_the_monthly_report(stack):
    hq = stack.demo_token("hq-admin")
    officer = stack.demo_token("province-officer", PROVINCE)

    # A citizen signs up and fills the membership form
    username, token = stack.sign_up()
    applied = stack.call(
        "POST", "/applications", token, json=application_body(provinceCode=PROVINCE, countyCode=COUNTY)
    )
    assert applied.status_code == 201, applied.text
    application_id = applied.json()["applicationId"]

    # …downloads the training file (a real PDF) and takes the exam
    training = stack.call("GET", "/training-material", token)
    assert training.status_code == 200, training.text
    assert requests.get(training.json()["url"], timeout=30).content.startswith(b"%PDF")
    attempt = stack.call("POST", "/exam/attempts", token)
    assert attempt.status_code == 201, attempt.text
    key = answer_key_from_admin_list(stack, hq)
    graded = stack.call(
        "POST",
        f"/exam/attempts/{attempt.json()['attemptId']}/submission",
        token,
        json={"answers": answers_for(attempt.json(), key)},
    )
    assert graded.json()["applicationStatus"] == "EXAM_PASSED", graded.text

    # HQ finds them among the passed applicants of the province and announces them
    passed = stack.call("GET", "/admin/applications", hq, params={"status": "EXAM_PASSED", "province": PROVINCE})
    assert application_id in {item["applicationId"] for item in passed.json()["items"]}
    announced = stack.call(
        "POST", "/admin/announcements", hq, json={"provinceCode": PROVINCE, "applicationIds": [application_id]}
    )
    assert announced.json()["results"] == [{"applicationId": application_id, "outcome": "approved"}]

    # The province sees them in its queue and issues the code
    queue = stack.call("GET", f"/provinces/{PROVINCE}/applications", officer)
    assert application_id in {item["applicationId"] for item in queue.json()["items"]}
    issued = stack.call("POST", f"/provinces/{PROVINCE}/inspectors", officer, json={"applicationId": application_id})
    assert issued.status_code == 201, issued.text
    code = issued.json()["inspectorCode"]
    assert code.startswith(f"{PROVINCE}{COUNTY}40") and len(code) == 10

    # The citizen's application shows the code; signing in again carries the inspector group
    mine = stack.call("GET", "/applications/me", token).json()
    assert (mine["status"], mine["inspectorCode"]) == ("ACTIVE", code)
    inspector = stack.sign_in(username, "Citizen-Pass-1403")
    assert "inspector" in jwt.decode(inspector, options={"verify_signature": False})["cognito:groups"]

    # The inspector reports a violation in their county; the province confirms it
    business = report_body()["business"] | {"provinceCode": PROVINCE, "countyCode": COUNTY}
    filed = stack.call("POST", "/reports", inspector, json=report_body(business=business))
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["reportId"]
    seen = stack.call("GET", f"/provinces/{PROVINCE}/reports/{report_id}", officer).json()
    assert seen["inspectorCode"] == code and username not in str(seen)
    for status in ("UNDER_REVIEW", "CONFIRMED"):
        moved = stack.call(
            "POST",
            f"/provinces/{PROVINCE}/reports/{report_id}/transitions",
            officer,
            json={"status": status, "note": "-"},
        )
        assert moved.status_code == 200, moved.text
    assert stack.call("GET", f"/reports/{report_id}", inspector).json()["status"] == "CONFIRMED"

    # HQ generates this month's report; the province's figures count the whole journey
    period = str(Period.of(now_utc()))
    generated = stack.call("POST", f"/admin/monthly-reports/{period}/generation", hq)
    assert generated.status_code in {200, 202}, generated.text
    link = stack.call("GET", f"/provinces/{PROVINCE}/monthly-reports/{period}/file", officer, params={"format": "json"})
    assert link.status_code == 200, link.text
    figures = requests.get(link.json()["url"], timeout=30).json()
    county = next(row for row in figures["counties"] if row["countyCode"] == COUNTY)
    assert {name: county[name] for name in ("applications", "trainingDownloads", "examAttempts", "examsPassed")} == {
        "applications": 1,
        "trainingDownloads": 1,
        "examAttempts": 1,
        "examsPassed": 1,
    }
    assert (county["announced"], county["codesIssued"], county["activeInspectors"]) == (1, 1, 1)
    assert (county["reportsReceived"], county["confirmed"], county["reportingInspectors"]) == (1, 1, 1)
    assert county["reportsByChannel"]["web"] == 1 and county["reportsByViolationType"]["overpricing"] == 1

    # …the CSV keeps the county code's leading zero; the officer submits; HQ sees it on time
    csv_link = stack.call(
        "GET", f"/provinces/{PROVINCE}/monthly-reports/{period}/file", officer, params={"format": "csv"}
    )
    text = requests.get(csv_link.json()["url"], timeout=30).content.decode("utf-8-sig")
    assert any(row and row[0] == COUNTY for row in csv.reader(io.StringIO(text)))
    submitted = stack.call("POST", f"/provinces/{PROVINCE}/monthly-reports/{period}/submission", officer, json={})
    assert submitted.status_code == 200 and submitted.json()["late"] is False, submitted.text
    compliance = stack.call("GET", f"/admin/monthly-reports/{period}", hq).json()
    states = {row["provinceCode"]: row["state"] for row in compliance["provinces"]}
    assert states[PROVINCE] == "on_time"
    assert states["11"] in {"missing", "not_generated"}
