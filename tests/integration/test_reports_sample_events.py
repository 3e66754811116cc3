"""The sample events in events/ are real requests: each one, replayed against seeded data, succeeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3

from nazer.auth import caller_from_claims
from nazer.logic import reports as logic
from nazer.models.reports import AttachmentIn, ReportIn
from tests.support.events import load_event
from tests.support.factories import put_inspector
from tests.support.lambdas import invoke
from tests.support.reports_factories import jpeg_with_gps, report_body

EVENTS = [
    ("reports_create", 201),
    ("reports_mine", 200),
    ("reports_get", 200),
    ("reports_attachment_create", 201),
    ("reports_attachment_complete", 200),
    ("reports_province_create", 201),
    ("reports_province_list", 200),
    ("reports_province_get", 200),
    ("reports_transition", 200),
    ("reports_attachment_get", 200),
    ("outreach_list", 200),
    ("outreach_create", 201),
]


def with_recent_observation(event):
    body = json.loads(event["body"])
    body["observedAt"] = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    event["body"] = json.dumps(body, ensure_ascii=False)
    return event


def test_every_sample_event_succeeds_against_seeded_data(aws, monkeypatch):
    # Given the sample inspector, their report and a finalised photo under the sample ids
    sample = load_event("reports_get")
    report_id = sample["pathParameters"]["reportId"]
    attachment_id = load_event("reports_attachment_complete")["pathParameters"]["attachmentId"]
    inspector_claims = sample["requestContext"]["authorizer"]["claims"]
    put_inspector(code="2301400017", sub=inspector_claims["sub"])
    caller = caller_from_claims(inspector_claims)
    now = datetime.now(UTC)
    photo = jpeg_with_gps()
    monkeypatch.setattr(logic, "new_ulid", lambda _: report_id)
    logic.file_report(caller, ReportIn.model_validate(report_body(now=now)), None, now)
    monkeypatch.setattr(logic, "new_ulid", lambda _: attachment_id)
    upload = AttachmentIn(file_name="IMG_0001.jpg", content_type="image/jpeg", size_bytes=len(photo))
    logic.request_upload(caller, report_id, upload, None, now)
    monkeypatch.undo()
    boto3.client("s3").put_object(Bucket=aws.bucket, Key=f"uploads/{report_id}/{attachment_id}", Body=photo)
    # When each sample event is replayed, Then each is answered as the contract says
    for name, status in EVENTS:
        event = load_event(name)
        if name in ("reports_create", "reports_province_create"):
            event = with_recent_observation(event)
        reply = invoke("reports", event)
        assert reply.status == status, (name, reply.text)
        assert reply.content_type == "application/json"
