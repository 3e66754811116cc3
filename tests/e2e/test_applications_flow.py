"""Over HTTP against the local stack: sign up, apply, read the application, download the training PDF."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.applications_factories import application_body
from tests.support.factories import valid_national_id

pytestmark = pytest.mark.e2e


def test_a_citizen_signs_up_applies_and_downloads_the_training_file(stack):
    # Given a citizen who signed up in the emulated Cognito
    username, token = stack.sign_up()
    national_id = valid_national_id()
    body = application_body(nationalId=national_id, mobile=username, provinceCode="23", countyCode="01")
    # When they apply (with an Idempotency-Key, retried once)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    created = stack.call("POST", "/applications", token, json=body, headers=key)
    assert created.status_code == 201, created.text
    assert stack.call("POST", "/applications", token, json=body, headers=key).json() == created.json()
    application = created.json()
    assert application["status"] == "SUBMITTED" and application["nationalId"] == national_id
    assert application["mobile"] == "0" + username.removeprefix("+98")
    # Then a second, different application from the same account is refused
    again = stack.call("POST", "/applications", token, json=application_body())
    assert again.status_code == 409 and again.json()["type"] == "application-exists"
    assert again.headers["Content-Type"] == "application/problem+json"
    # And they read their own application
    me = stack.call("GET", "/applications/me", token)
    assert me.status_code == 200
    assert me.json()["applicationId"] == application["applicationId"]
    assert me.json()["exam"]["attemptsLeft"] >= 1 and me.json()["inspectorCode"] is None
    # When they ask for the training file
    link = stack.call("GET", "/training-material", token)
    assert link.status_code == 200, link.text
    # Then its presigned URL serves the PDF bytes, and the application moved to TRAINING
    pdf = requests.get(link.json()["url"], timeout=30)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    after = stack.call("GET", "/applications/me", token).json()
    assert after["status"] == "TRAINING" and after["trainingDownloadedAt"]


def test_the_bucket_itself_is_not_public(stack):
    _, token = stack.sign_up()
    stack.call("POST", "/applications", token, json=application_body())
    url = stack.call("GET", "/training-material", token).json()["url"]
    unsigned = url.split("?", 1)[0]
    assert unsigned.endswith(".pdf")
    assert requests.get(unsigned, timeout=30).status_code == 403


def test_a_national_id_taken_by_another_account(stack):
    national_id = valid_national_id()
    _, first = stack.sign_up()
    _, second = stack.sign_up()
    assert stack.call("POST", "/applications", first, json=application_body(nationalId=national_id)).status_code == 201
    reply = stack.call(
        "POST",
        "/applications",
        second,
        json=application_body(nationalId=national_id),
        headers={"Accept-Language": "fa"},
    )
    assert reply.status_code == 409
    assert reply.json()["type"] == "national-id-taken"
    assert reply.json()["title"] == "این کد ملی قبلاً ثبت شده است"


def test_training_and_me_need_an_application(stack):
    _, token = stack.sign_up()
    assert stack.call("GET", "/applications/me", token).status_code == 404
    assert stack.call("GET", "/training-material", token).status_code == 404
    assert stack.call("GET", "/applications/me").status_code == 401


def test_hq_lists_applications_by_province_newest_first(stack):
    _, token = stack.sign_up()
    created = stack.call(
        "POST", "/applications", token, json=application_body(provinceCode="31", countyCode="03")
    ).json()
    hq = stack.demo_token("hq-admin")
    reply = stack.call("GET", "/admin/applications?province=31&status=SUBMITTED&limit=5", hq)
    assert reply.status_code == 200, reply.text
    assert reply.json()["items"][0]["applicationId"] == created["applicationId"]
    officer = stack.demo_token("province-officer", "31")
    assert stack.call("GET", "/admin/applications?province=31", officer).status_code == 403
