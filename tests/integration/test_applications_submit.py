"""POST /applications through the handler against moto: one application per account and per national ID."""

from __future__ import annotations

import pytest

from nazer.aws import table
from nazer.dal import applications
from nazer.dal.stats import read_period
from nazer.jalali import Period, now_utc
from tests.support.applications_factories import application_body, post_application
from tests.support.events import api_event, claims
from tests.support.factories import valid_national_id
from tests.support.lambdas import invoke


def counters(province: str = "23") -> dict[str, dict[str, int]]:
    return read_period(Period.of(now_utc()), province)


def test_happy_path_stores_the_application_with_its_guards_and_counter(aws):
    # Given a signed-in citizen and a form written with Persian digits and Arabic letters
    citizen = claims(username="+989121234567")
    body = application_body(nationalId="۰۰۱۲۳۴۵۶۷۹", firstName="مريم", mobile="+989121234567")
    # When they apply
    reply = post_application(citizen, body)
    # Then 201 with the stored application as normalised
    assert reply.status == 201, reply.text
    created = reply.json
    assert created["status"] == "SUBMITTED"
    assert created["nationalId"] == "0012345679" and created["firstName"] == "مریم"
    assert created["mobile"] == "09121234567"
    assert created["consents"]["acceptedAt"] == created["createdAt"]
    assert created["consents"]["pledgeVersion"] == "1403-1"
    assert {"applicationId", "status", "createdAt", "conflictOfInterest"} <= set(created)
    assert "userSub" not in created and "pk" not in created
    # And the item, both guards and the month's counter are stored
    stored = applications.get(created["applicationId"])
    assert stored is not None
    assert stored["userSub"] == citizen["sub"] and stored["username"] == "+989121234567"
    assert stored["gsi1pk"] == "APPSTATUS#SUBMITTED" and stored["gsi2pk"] == "APPPROV#23#SUBMITTED"
    assert stored["consents"]["acceptedAt"] == created["createdAt"]
    assert "email" in stored and "guild" not in stored["conflictOfInterest"]
    assert applications.application_id_of_user(citizen["sub"]) == created["applicationId"]
    nid_guard = table().get_item(Key=applications.national_id_guard_key("0012345679"))["Item"]
    assert nid_guard["applicationId"] == created["applicationId"]
    assert counters()["01"]["applications"] == 1


def test_applicationssubmitted_metric_carries_the_province(aws, capsys):
    post_application(claims(), application_body(provinceCode="31", countyCode="03"))
    metrics_lines = [line for line in capsys.readouterr().out.splitlines() if "ApplicationsSubmitted" in line]
    assert len(metrics_lines) == 1
    assert '"province":"31"' in metrics_lines[0]


def test_a_second_application_from_the_same_account_is_refused(aws):
    citizen = claims()
    assert post_application(citizen).status == 201
    # When the same account applies again, even with another national ID
    reply = post_application(citizen, application_body())
    # Then 409 application-exists, and nothing else is written
    assert reply.status == 409
    assert reply.content_type == "application/problem+json"
    assert reply.json["type"] == "application-exists"
    assert counters()["01"]["applications"] == 1


def test_a_national_id_already_used_by_another_account_is_refused(aws):
    national_id = valid_national_id()
    assert post_application(claims(), application_body(nationalId=national_id)).status == 201
    second = claims()
    # When another account applies with the same national ID
    reply = post_application(second, application_body(nationalId=national_id, countyCode="02"))
    # Then 409 national-id-taken, and nothing is half-written: no guard for the second account, no count
    assert reply.status == 409
    assert reply.json["type"] == "national-id-taken"
    assert reply.json["errors"][0]["field"] == "nationalId"
    assert applications.application_id_of_user(second["sub"]) is None
    assert "02" not in counters()


def test_the_same_account_and_national_id_again_is_application_exists(aws):
    citizen, body = claims(), application_body()
    assert post_application(citizen, body).status == 201
    assert post_application(citizen, body).json["type"] == "application-exists"


def test_conflicts_speak_persian(aws):
    citizen = claims()
    post_application(citizen)
    reply = post_application(citizen, headers={"Accept-Language": "fa"})
    assert reply.json["title"] == "شما قبلاً درخواست عضویت ثبت کرده‌اید"


def test_idempotent_retry_returns_the_first_reply_and_creates_nothing(aws):
    citizen, body = claims(), application_body()
    key = {"Idempotency-Key": "5f0c6f1e-2b7d-4c1a-9e3f-7a8b9c0d1e2f"}
    first = post_application(citizen, body, headers=key)
    # When the client retries with the same key and body
    again = post_application(citizen, body, headers=key)
    # Then the same 201 and the same application, counted once
    assert first.status == again.status == 201
    assert again.json == first.json
    assert counters()["01"]["applications"] == 1


def test_an_idempotency_key_reused_with_another_body_is_refused(aws):
    citizen = claims()
    key = {"Idempotency-Key": "b1c2d3e4-0000-4000-8000-000000000001"}
    assert post_application(citizen, application_body(), headers=key).status == 201
    reply = post_application(citizen, application_body(), headers=key)
    assert reply.status == 422
    assert reply.json["errors"][0]["field"] == "Idempotency-Key"


def test_two_users_with_the_same_key_do_not_share_a_reply(aws):
    key = {"Idempotency-Key": "c1c2d3e4-0000-4000-8000-000000000002"}
    body = application_body()
    first = post_application(claims(), body, headers=key)
    other = post_application(claims(), body, headers=key)
    assert first.status == 201
    assert other.status == 409 and other.json["type"] == "national-id-taken"


def test_a_malformed_idempotency_key_is_422(aws):
    reply = post_application(claims(), headers={"Idempotency-Key": "short"})
    assert reply.status == 422 and reply.json["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nationalId": "0012345678"}, "nationalId"),
        ({"nationalId": "2222222222"}, "nationalId"),
        ({"nationalId": "００１２３４５６７９"}, "nationalId"),
        ({"firstName": "مریم!"}, "firstName"),
        ({"lastName": " "}, "lastName"),
        ({"fatherName": "ع" * 51}, "fatherName"),
        ({"birthDate": "1370/07/31"}, "birthDate"),
        ({"birthDate": "1400/01/01"}, "birthDate"),
        ({"gender": "x"}, "gender"),
        ({"mobile": "+1 202 555 0100"}, "mobile"),
        ({"email": "maryam@"}, "email"),
        ({"provinceCode": "40"}, "provinceCode"),
        ({"countyCode": "99"}, "countyCode"),
        ({"address": "م" * 301}, "address"),
        ({"postalCode": "123"}, "postalCode"),
        ({"education": "none"}, "education"),
        ({"fieldOfStudy": "م" * 101}, "fieldOfStudy"),
        ({"occupation": ""}, "occupation"),
        ({"affiliation": "x"}, "affiliation"),
        ({"referralChannel": "x"}, "referralChannel"),
        ({"motivation": "م" * 1001}, "motivation"),
        ({"conflictOfInterest": {"ownsOrWorksInBusiness": True, "guild": ""}}, "conflictOfInterest.guild"),
        (
            {"consents": {"terms": True, "confidentialityPledge": False, "pledgeVersion": "1403-1"}},
            "consents.confidentialityPledge",
        ),
        ({"consents": {"terms": True, "confidentialityPledge": True}}, "consents.pledgeVersion"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_each_invalid_field_is_a_field_level_422_and_stores_nothing(aws, overrides, field):
    citizen = claims()
    reply = post_application(citizen, application_body(**overrides))
    assert reply.status == 422, reply.text
    assert reply.content_type == "application/problem+json"
    assert reply.json["type"] == "validation-error"
    assert [error["field"] for error in reply.json["errors"]] == [field]
    assert applications.application_id_of_user(citizen["sub"]) is None


def test_an_underage_applicant_hears_why_in_persian(aws):
    reply = post_application(claims(), application_body(birthDate="1400/01/01"), headers={"Accept-Language": "fa"})
    assert reply.status == 422
    assert reply.json["errors"] == [{"field": "birthDate", "message": "سن متقاضی باید دست‌کم ۱۸ سال باشد"}]


def test_persian_messages_for_form_errors(aws):
    reply = post_application(
        claims(), application_body(nationalId="1111111111", countyCode="99"), headers={"Accept-Language": "fa"}
    )
    messages = {error["field"]: error["message"] for error in reply.json["errors"]}
    assert messages == {"nationalId": "کد ملی معتبر نیست", "countyCode": "این شهرستان در استان انتخاب‌شده نیست"}


@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null", "{not json", ""])
def test_a_body_that_is_not_a_json_object_is_422(aws, raw):
    event = api_event("POST", "/applications", raw_body=raw, caller=claims())
    reply = invoke("applications", event)
    assert reply.status == 422
    assert reply.json["type"] == "validation-error"


def test_without_a_token_it_is_401(aws):
    reply = invoke("applications", api_event("POST", "/applications", body=application_body()))
    assert reply.status == 401 and reply.json["type"] == "unauthorized"
