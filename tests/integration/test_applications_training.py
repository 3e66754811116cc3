"""GET /training-material: a short-lived link; the first one moves the application to TRAINING."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from nazer.dal import applications
from nazer.dal.stats import read_period
from nazer.jalali import Period
from tests.support.applications_factories import freeze_clock, get_route, post_application
from tests.support.events import claims
from tests.support.factories import put_application

NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)


def test_without_an_application_it_is_404(aws):
    reply = get_route("/training-material", claims())
    assert reply.status == 404 and reply.json["type"] == "not-found"


def test_the_first_download_moves_the_application_to_training(aws, monkeypatch):
    # Given a submitted application
    citizen = claims()
    freeze_clock(monkeypatch, NOW)
    application_id = post_application(citizen).json["applicationId"]
    # When the applicant asks for the training file
    reply = get_route("/training-material", citizen)
    # Then a presigned GET of the PDF, valid 5 minutes, and the application is in TRAINING
    assert reply.status == 200, reply.text
    link = reply.json
    assert set(link) == {"url", "expiresAt", "fileName"}
    assert link["fileName"].endswith(".pdf")
    assert link["expiresAt"] == "2024-09-26T06:35:00Z"
    url = urlparse(link["url"])
    query = parse_qs(url.query)
    assert url.path.endswith("/training/training-material.pdf")
    assert query["X-Amz-Expires"] == ["300"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    stored = applications.get(application_id)
    assert stored is not None
    assert stored["status"] == "TRAINING" and stored["trainingDownloadedAt"] == "2024-09-26T06:30:00Z"
    assert stored["gsi1pk"] == "APPSTATUS#TRAINING"
    assert read_period(Period.of(NOW), "23")["01"]["trainingDownloads"] == 1
    assert get_route("/applications/me", citizen).json["trainingDownloadedAt"] == "2024-09-26T06:30:00Z"


def test_later_downloads_only_return_a_link(aws, monkeypatch):
    citizen = claims()
    freeze_clock(monkeypatch, NOW)
    application_id = post_application(citizen).json["applicationId"]
    get_route("/training-material", citizen)
    # When the applicant downloads again a day later
    freeze_clock(monkeypatch, datetime(2024, 9, 27, 6, 30, tzinfo=UTC))
    again = get_route("/training-material", citizen)
    # Then a fresh link, and neither the first download time nor the counter moves
    assert again.status == 200 and again.json["expiresAt"] == "2024-09-27T06:35:00Z"
    stored = applications.get(application_id)
    assert stored is not None and stored["trainingDownloadedAt"] == "2024-09-26T06:30:00Z"
    assert read_period(Period.of(NOW), "23")["01"]["trainingDownloads"] == 1


def test_an_application_past_training_keeps_its_status(aws):
    citizen = claims()
    application = put_application("EXAM_PASSED", sub=citizen["sub"])
    assert get_route("/training-material", citizen).status == 200
    stored = applications.get(application["applicationId"])
    assert stored is not None and stored["status"] == "EXAM_PASSED"


def test_the_linked_object_is_the_training_pdf(aws):
    # The local seed uploads the shipped PDF under the key the link points at
    from infra.seed import TRAINING_PDF, seed_training_file
    from nazer.aws import s3_client
    from nazer.settings import get_settings

    settings = get_settings()
    assert seed_training_file(s3_client(), settings.bucket_name, settings.training_object_key)
    citizen = claims()
    post_application(citizen)
    url = urlparse(get_route("/training-material", citizen).json["url"])
    key = url.path.split("/", 2)[-1] if url.path.startswith(f"/{settings.bucket_name}/") else url.path.lstrip("/")
    body = s3_client().get_object(Bucket=settings.bucket_name, Key=key)["Body"].read()
    assert body.startswith(b"%PDF") and body == TRAINING_PDF.read_bytes()


def test_without_a_token_it_is_401(aws):
    assert get_route("/training-material", None).status == 401
