"""Monthly reports over HTTP: HQ generates, the officer downloads through presigned URLs and submits."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import boto3
import openpyxl
import pytest
import requests

from nazer.jalali import Period, now_utc
from tests.support.monthly_factories import put_inspector_record, put_report

pytestmark = pytest.mark.e2e


def stack_table(stack):
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=stack.descriptor["awsEndpoint"],
        region_name=stack.descriptor["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return resource.Table(stack.descriptor["tableName"])


def test_hq_generates_the_officer_downloads_and_submits_and_hq_sees_it_on_time(stack):
    # Given activity in Tehran this month: an inspector and a report received an hour ago
    now = now_utc()
    period = Period.of(now)
    table = stack_table(stack)
    code = f"230140{random.randint(0, 9999):04d}"
    put_inspector_record(code=code, status="ACTIVE", issued_at=period.start() - timedelta(days=3), table=table)
    put_report(
        province="23",
        county="01",
        received_at=max(period.start(), now - timedelta(hours=1)),
        inspector_code=code,
        channel="system_124",
        table=table,
    )
    hq = stack.demo_token("hq-admin")
    officer = stack.demo_token("province-officer", "23")

    # When HQ generates the running month
    generated = stack.call("POST", f"/admin/monthly-reports/{period}/generation", hq)
    assert generated.status_code == 200, generated.text
    assert generated.json()["period"] == str(period) and generated.json()["provinces"] == 32

    # Then the officer downloads the workbook through its presigned URL
    link = stack.call("GET", f"/provinces/23/monthly-reports/{period}/file?format=xlsx", officer)
    assert link.status_code == 200, link.text
    assert link.json()["fileName"] == f"nazer-monthly-{period}-23.xlsx"
    download = requests.get(link.json()["url"], timeout=30)
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["خلاصه", "شهرستان‌ها", "ناظران", "فعالیت‌های ترویجی"]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    inspectors = {row[0]: row for row in book["ناظران"].iter_rows(min_row=3, values_only=True)}
    assert inspectors[code][4] >= 1

    # And the CSV
    link = stack.call("GET", f"/provinces/23/monthly-reports/{period}/file?format=csv", officer)
    assert link.status_code == 200, link.text
    download = requests.get(link.json()["url"], timeout=30)
    assert download.status_code == 200 and download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][0] == "01"
    received = rows[0].index("گزارش‌های دریافتی")
    assert int(rows[1][received]) >= 1

    # And submits it within the month: on time
    path = f"/provinces/23/monthly-reports/{period}/submission"
    submitted = stack.call("POST", path, officer, json={"remarks": "ok"})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["late"] is False

    # Then HQ's compliance view shows Tehran on time and another directorate missing
    view = stack.call("GET", f"/admin/monthly-reports/{period}", hq)
    assert view.status_code == 200, view.text
    states = {row["provinceCode"]: row["state"] for row in view.json()["provinces"]}
    assert states["23"] == "on_time"
    assert states["10"] == "missing"
    national = requests.get(view.json()["nationalFile"]["url"], timeout=30)
    assert national.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(national.content)).worksheets[0]
    by_code = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert by_code["23"][2] == "ارسال به‌موقع" and by_code["10"][2] == "ارسال‌نشده"

    # And another directorate's officer can neither read nor submit Tehran's report
    other = stack.demo_token("province-officer", "10")
    assert stack.call("GET", f"/provinces/23/monthly-reports/{period}/file", other).status_code == 403
    assert stack.call("POST", f"/provinces/23/monthly-reports/{period}/submission", other, json={}).status_code == 403


def test_a_file_before_generation_is_not_found_over_http(stack):
    officer = stack.demo_token("province-officer", "23")
    reply = stack.call("GET", "/provinces/23/monthly-reports/1390-01/file?format=csv", officer)
    assert reply.status_code == 404
    assert reply.headers["Content-Type"] == "application/problem+json"
