"""End to end over HTTP: an inspector files a report with a photo, Tehran's officer confirms it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PIL import Image

from tests.support.reports_factories import jpeg_with_gps, report_body, stack_inspector

pytestmark = pytest.mark.e2e


def test_an_inspector_files_a_report_with_evidence_and_the_officer_confirms_it(stack):
    # Given an ACTIVE inspector (signed up, given a code and the inspector group) and Tehran's officer
    inspector, code = stack_inspector(stack)
    officer = stack.demo_token("province-officer", "23")

    # When the inspector files a report
    filed = stack.call("POST", "/reports", inspector, json=report_body(), headers={"Idempotency-Key": f"e2e-{code}"})
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["reportId"]
    assert filed.json()["status"] == "RECEIVED"

    # …and attaches a photo carrying GPS EXIF, uploaded straight to storage
    photo = jpeg_with_gps()
    ticket = stack.call(
        "POST",
        f"/reports/{report_id}/attachments",
        inspector,
        json={"fileName": "IMG_0001.jpg", "contentType": "image/jpeg", "sizeBytes": len(photo)},
    )
    assert ticket.status_code == 201, ticket.text
    upload = requests.put(ticket.json()["uploadUrl"], data=photo, headers={"Content-Type": "image/jpeg"}, timeout=30)
    assert upload.status_code == 200
    attachment_id = ticket.json()["attachmentId"]
    done = stack.call("POST", f"/reports/{report_id}/attachments/{attachment_id}/completion", inspector)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "READY"

    # Then Tehran's officer sees it in the queue, by inspector code only
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    queue = stack.call("GET", "/provinces/23/reports", officer, params={"from": since, "limit": 100})
    assert queue.status_code == 200, queue.text
    row = next(item for item in queue.json()["items"] if item["reportId"] == report_id)
    assert row["inspectorCode"] == code and row["channel"] == "web" and row["overdue"] is False

    # …downloads the cleaned photo, which has no EXIF left
    link = stack.call("GET", f"/provinces/23/reports/{report_id}/attachments/{attachment_id}", officer)
    assert link.status_code == 200, link.text
    cleaned = requests.get(link.json()["url"], timeout=30)
    assert cleaned.status_code == 200
    assert len(Image.open(io.BytesIO(cleaned.content)).getexif()) == 0

    # …and moves it to CONFIRMED through review
    for status, note in (("UNDER_REVIEW", "بررسی آغاز شد"), ("CONFIRMED", "تخلف در بازرسی میدانی تأیید شد")):
        moved = stack.call(
            "POST", f"/provinces/23/reports/{report_id}/transitions", officer, json={"status": status, "note": note}
        )
        assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "CONFIRMED"
    assert [entry["status"] for entry in moved.json()["history"]] == ["RECEIVED", "UNDER_REVIEW", "CONFIRMED"]

    # And the inspector sees CONFIRMED, without the officer's notes
    mine = stack.call("GET", f"/reports/{report_id}", inspector)
    assert mine.status_code == 200, mine.text
    assert mine.json()["status"] == "CONFIRMED"
    assert "تأیید شد" not in mine.text
    listed = stack.call("GET", "/reports/mine", inspector)
    assert [item["status"] for item in listed.json()["items"] if item["reportId"] == report_id] == ["CONFIRMED"]


def test_another_province_officer_cannot_see_the_report(stack):
    inspector, _ = stack_inspector(stack)
    filed = stack.call("POST", "/reports", inspector, json=report_body())
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["reportId"]
    isfahan = stack.demo_token("province-officer", "10")
    assert stack.call("GET", "/provinces/23/reports", isfahan).status_code == 403
    assert stack.call("GET", f"/provinces/23/reports/{report_id}", isfahan).status_code == 403
    other_inspector, _ = stack_inspector(stack)
    assert stack.call("GET", f"/reports/{report_id}", other_inspector).status_code == 404
