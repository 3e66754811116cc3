"""Evidence: presigned uploads, a real HTTP PUT, metadata stripped on completion, officers' downloads."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from PIL import Image

from nazer.auth import caller_from_claims
from nazer.dal import reports as store
from nazer.logic import reports as logic
from nazer.models.reports import ReportIn, TransitionIn
from tests.support.events import api_event
from tests.support.lambdas import invoke
from tests.support.reports_factories import an_inspector, hq, jpeg_with_gps, officer, report_body, tiny_pdf


def new_report():
    caller, _, _ = an_inspector()
    now = datetime.now(UTC)
    body = ReportIn.model_validate(report_body(now=now))
    report_id = logic.file_report(caller_from_claims(caller), body, None, now)["body"]["reportId"]
    return report_id, caller


def ask_upload(report_id, caller, file_name="photo.jpg", content_type="image/jpeg", size=1000, headers=None):
    event = api_event(
        "POST",
        f"/reports/{report_id}/attachments",
        resource="/reports/{reportId}/attachments",
        path_parameters={"reportId": report_id},
        body={"fileName": file_name, "contentType": content_type, "sizeBytes": size},
        caller=caller,
        headers=headers,
    )
    return invoke("reports", event)


def complete(report_id, attachment_id, caller):
    event = api_event(
        "POST",
        f"/reports/{report_id}/attachments/{attachment_id}/completion",
        resource="/reports/{reportId}/attachments/{attachmentId}/completion",
        path_parameters={"reportId": report_id, "attachmentId": attachment_id},
        caller=caller,
    )
    return invoke("reports", event)


def download_link(report_id, attachment_id, caller=None, province="23"):
    event = api_event(
        "GET",
        f"/provinces/{province}/reports/{report_id}/attachments/{attachment_id}",
        resource="/provinces/{provinceCode}/reports/{reportId}/attachments/{attachmentId}",
        path_parameters={"provinceCode": province, "reportId": report_id, "attachmentId": attachment_id},
        caller=caller or officer(province),
    )
    return invoke("reports", event)


def s3(aws):
    return boto3.client("s3", region_name="us-east-1")


def test_an_upload_url_is_signed_for_the_type_and_size_and_lives_at_most_five_minutes(aws):
    report_id, caller = new_report()
    reply = ask_upload(report_id, caller, size=1234)
    assert reply.status == 201, reply.text
    ticket = reply.json
    assert set(ticket) == {"uploadUrl", "expiresAt", "attachmentId"}
    url = urlsplit(ticket["uploadUrl"])
    query = parse_qs(url.query)
    assert url.path.endswith(f"/uploads/{report_id}/{ticket['attachmentId']}")
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert set(query["X-Amz-SignedHeaders"][0].split(";")) >= {"content-type", "content-length", "host"}
    expires = datetime.fromisoformat(ticket["expiresAt"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 300
    attachment = store.get_attachment(report_id, ticket["attachmentId"])
    assert attachment["status"] == "PENDING" and attachment["contentType"] == "image/jpeg"


def test_attachment_ids_differ_between_reports_and_requests(aws):
    report_a, caller = new_report()
    ids = {ask_upload(report_a, caller).json["attachmentId"] for _ in range(3)}
    assert len(ids) == 3


def test_a_content_type_outside_the_allow_list_is_422_on_content_type(aws):
    report_id, caller = new_report()
    for content_type in ("image/gif", "text/html", "application/octet-stream"):
        reply = ask_upload(report_id, caller, content_type=content_type)
        assert reply.status == 422
        assert [err["field"] for err in reply.json["errors"]] == ["contentType"]


def test_more_than_10_mb_is_413(aws):
    report_id, caller = new_report()
    reply = ask_upload(report_id, caller, size=10 * 1024 * 1024 + 1)
    assert reply.status == 413 and reply.json["type"] == "payload-too-large"
    assert ask_upload(report_id, caller, size=10 * 1024 * 1024).status == 201


def test_a_report_takes_at_most_five_attachments(aws):
    report_id, caller = new_report()
    for _ in range(5):
        assert ask_upload(report_id, caller).status == 201
    reply = ask_upload(report_id, caller)
    assert reply.status == 409 and reply.json["type"] == "invalid-state"
    assert store.get(report_id)["attachmentCount"] == 5


def test_a_closed_report_takes_no_more_evidence(aws):
    report_id, caller = new_report()
    officer_caller = caller_from_claims(officer())
    now = datetime.now(UTC)
    for status in ("UNDER_REVIEW", "UNFOUNDED"):
        logic.transition(officer_caller, "23", report_id, TransitionIn.model_validate({"status": status}), None, now)
    assert ask_upload(report_id, caller).status == 409


def test_completing_before_uploading_is_invalid_state(aws):
    report_id, caller = new_report()
    attachment_id = ask_upload(report_id, caller).json["attachmentId"]
    reply = complete(report_id, attachment_id, caller)
    assert reply.status == 409 and reply.json["type"] == "invalid-state"


def test_a_file_whose_bytes_are_not_the_declared_type_is_refused_and_its_place_freed(aws):
    # Given an upload declared as a JPEG whose bytes are a PDF (put straight into S3: moto in-process)
    report_id, caller = new_report()
    pdf = tiny_pdf()
    attachment_id = ask_upload(report_id, caller, size=len(pdf)).json["attachmentId"]
    s3(aws).put_object(Bucket=aws.bucket, Key=f"uploads/{report_id}/{attachment_id}", Body=pdf)
    # When it is completed
    reply = complete(report_id, attachment_id, caller)
    # Then it is refused on contentType, the upload is gone and the place is given back
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "contentType"
    assert store.get_attachment(report_id, attachment_id) is None
    assert store.get(report_id)["attachmentCount"] == 0
    listed = s3(aws).list_objects_v2(Bucket=aws.bucket, Prefix=f"uploads/{report_id}/")
    assert listed.get("KeyCount", 0) == 0


def test_an_upload_larger_than_declared_is_refused(aws):
    report_id, caller = new_report()
    photo = jpeg_with_gps()
    attachment_id = ask_upload(report_id, caller, size=len(photo) - 1).json["attachmentId"]
    s3(aws).put_object(Bucket=aws.bucket, Key=f"uploads/{report_id}/{attachment_id}", Body=photo)
    reply = complete(report_id, attachment_id, caller)
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "sizeBytes"


def test_an_upload_over_10_mb_is_413_at_completion(aws):
    report_id, caller = new_report()
    attachment_id = ask_upload(report_id, caller, content_type="application/pdf", size=1000).json["attachmentId"]
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    s3(aws).put_object(Bucket=aws.bucket, Key=f"uploads/{report_id}/{attachment_id}", Body=big)
    reply = complete(report_id, attachment_id, caller)
    assert reply.status == 413


def test_a_pdf_receipt_is_finalised_as_it_is(aws):
    report_id, caller = new_report()
    pdf = tiny_pdf()
    attachment_id = ask_upload(report_id, caller, "رسید.pdf", "application/pdf", len(pdf)).json["attachmentId"]
    s3(aws).put_object(Bucket=aws.bucket, Key=f"uploads/{report_id}/{attachment_id}", Body=pdf)
    reply = complete(report_id, attachment_id, caller)
    assert reply.status == 200, reply.text
    assert reply.json == {"attachmentId": attachment_id, "status": "READY", "sha256": hashlib.sha256(pdf).hexdigest()}
    stored = s3(aws).get_object(Bucket=aws.bucket, Key=f"evidence/{report_id}/{attachment_id}")
    assert stored["Body"].read() == pdf and stored["ContentType"] == "application/pdf"


def test_a_photo_uploaded_by_http_put_loses_its_exif_and_officers_download_the_clean_file(served):
    # Given a report and a real JPEG carrying EXIF GPS, device and time
    report_id, caller = new_report()
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif()
    ticket = ask_upload(report_id, caller, "IMG_0001.jpg", "image/jpeg", len(photo)).json
    # When the device PUTs it to the presigned URL (plain HTTP against the emulator)
    put = requests.put(ticket["uploadUrl"], data=photo, headers={"Content-Type": "image/jpeg"}, timeout=30)
    assert put.status_code == 200, put.text
    # Officers cannot see it before completion
    assert download_link(report_id, ticket["attachmentId"]).status == 404
    # And completion finalises it
    reply = complete(report_id, ticket["attachmentId"], caller)
    assert reply.status == 200, reply.text
    assert reply.json["status"] == "READY"
    # Then an officer's link serves a cleaned file, without EXIF, whose SHA-256 was recorded
    link = download_link(report_id, ticket["attachmentId"])
    assert link.status == 200, link.text
    assert link.json["fileName"] == "IMG_0001.jpg"
    assert int(parse_qs(urlsplit(link.json["url"]).query)["X-Amz-Expires"][0]) <= 300
    cleaned = requests.get(link.json["url"], timeout=30)
    assert cleaned.status_code == 200
    assert hashlib.sha256(cleaned.content).hexdigest() == reply.json["sha256"]
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert b"Samsung" not in cleaned.content
    # The original upload is gone
    assert requests.get(ticket["uploadUrl"].split("?")[0], timeout=30).status_code in {403, 404}
    # Completing again answers the same
    assert complete(report_id, ticket["attachmentId"], caller).json == reply.json
    # HQ may download too; the officer view lists the READY attachment
    assert download_link(report_id, ticket["attachmentId"], caller=hq()).status == 200
    assert download_link(report_id, ticket["attachmentId"], caller=officer("10")).status == 403


def test_a_put_with_another_content_type_is_refused_at_completion(served):
    report_id, caller = new_report()
    pdf = tiny_pdf()
    ticket = ask_upload(report_id, caller, "photo.jpg", "image/jpeg", len(pdf)).json
    put = requests.put(ticket["uploadUrl"], data=pdf, headers={"Content-Type": "image/jpeg"}, timeout=30)
    assert put.status_code == 200
    reply = complete(report_id, ticket["attachmentId"], caller)
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "contentType"


@pytest.mark.parametrize("who", ["other_inspector", "officer"])
def test_only_the_reporter_asks_for_uploads_or_completes_them(aws, who):
    report_id, caller = new_report()
    attachment_id = ask_upload(report_id, caller).json["attachmentId"]
    if who == "other_inspector":
        intruder, _, _ = an_inspector()
        assert ask_upload(report_id, intruder).status == 404
        assert complete(report_id, attachment_id, intruder).status == 404
    else:
        assert ask_upload(report_id, officer()).status == 403
        assert complete(report_id, attachment_id, officer()).status == 403
    assert complete(report_id, "01J8Z3ZZZZZZZZZZZZZZZZZZZZ", caller).status == 404


def test_pending_or_unknown_attachments_are_not_downloadable(aws):
    report_id, caller = new_report()
    attachment_id = ask_upload(report_id, caller).json["attachmentId"]
    assert download_link(report_id, attachment_id).status == 404
    assert download_link(report_id, "nope").status == 404
