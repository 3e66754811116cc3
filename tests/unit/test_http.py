"""problem+json for every error: validation fields, Persian text, domain errors, no leaks."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from pydantic import Field

from infra.lambda_worker import LocalContext
from nazer.errors import DomainError
from nazer.http import create_app, field_path, wants_persian
from nazer.models.base import RequestModel
from tests.support.events import api_event
from tests.support.lambdas import reply_from


class Business(RequestModel):
    county_code: str = Field(pattern="^[0-9]{2}$")


class Body(RequestModel):
    national_id: str = Field(min_length=10, max_length=10)
    business: Business


app = create_app()


@app.post("/things")
def create_thing(body: Body) -> dict:
    if body.national_id == "0000000000":
        raise DomainError("national-id-taken", "taken", "تکراری")
    if body.national_id == "1111111111":
        raise RuntimeError("secret connection string postgres://user:pw@db")
    return {"ok": True}


@app.get("/aws/<code>/<status>")
def aws_fails(code: str, status: str) -> dict:
    raise ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": int(status)}}, "PutItem")


def call(body=None, raw=None, headers=None, path="/things", method="POST"):
    event = api_event(method, path, body=body, raw_body=raw, headers=headers)
    reply = reply_from(app.resolve(event, LocalContext(function_name="t")))
    return reply.status, reply.content_type, reply.json


def test_a_valid_body_passes():
    status, _, body = call({"nationalId": "0012345679", "business": {"countyCode": "01"}})
    assert status == 200 and body == {"ok": True}


def test_each_bad_field_is_listed_with_its_camel_case_path():
    status, content_type, body = call({"nationalId": "1", "business": {"countyCode": "x"}})
    assert status == 422
    assert content_type == "application/problem+json"
    assert body["type"] == "validation-error"
    fields = {err["field"] for err in body["errors"]}
    assert fields == {"nationalId", "business.countyCode"}
    assert all(err["message"] for err in body["errors"])


def test_missing_and_unknown_fields_are_named():
    status, _, body = call({"business": {"countyCode": "01"}, "extra": 1})
    assert status == 422
    assert {err["field"] for err in body["errors"]} == {"nationalId", "extra"}


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "null", "42"])
def test_a_body_that_is_not_a_json_object_is_a_validation_error(raw):
    status, content_type, body = call(raw=raw)
    assert status == 422
    assert content_type == "application/problem+json"
    assert body["type"] == "validation-error"
    assert body["errors"]


def test_persian_text_under_accept_language_fa():
    status, _, body = call(
        {"nationalId": "1", "business": {"countyCode": "01"}}, headers={"Accept-Language": "fa-IR,fa;q=0.9"}
    )
    assert status == 422
    assert body["title"] == "درخواست نامعتبر است"
    assert body["errors"][0]["message"] == "متن کوتاه‌تر از حد مجاز است"


def test_domain_errors_keep_their_slug_and_status():
    status, content_type, body = call({"nationalId": "0000000000", "business": {"countyCode": "01"}})
    assert (status, body["type"], body["detail"]) == (409, "national-id-taken", "taken")
    assert content_type == "application/problem+json"


def test_an_unexpected_error_is_a_generic_500_that_leaks_nothing():
    status, content_type, body = call({"nationalId": "1111111111", "business": {"countyCode": "01"}})
    assert status == 500 and content_type == "application/problem+json"
    assert body["type"] == "internal-error"
    assert "postgres" not in json.dumps(body) and "RuntimeError" not in json.dumps(body)


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("ProvisionedThroughputExceededException/400", 503),
        ("ThrottlingException/400", 503),
        ("TooManyRequestsException/400", 503),
        ("SomethingNew/503", 503),
        ("ValidationException/400", 500),
        ("AccessDeniedException/403", 500),
    ],
)
def test_aws_refusing_for_now_is_a_503_to_retry_and_any_other_aws_error_a_500(fault, expected):
    status, content_type, body = call(path=f"/aws/{fault}", method="GET")
    assert status == expected and content_type == "application/problem+json"
    assert body["type"] == {503: "service-unavailable", 500: "internal-error"}[expected]


def test_unknown_route_is_a_not_found_problem():
    status, content_type, body = call({}, path="/nowhere", method="GET")
    assert (status, body["type"]) == (404, "not-found")
    assert content_type == "application/problem+json"


def test_field_paths():
    assert field_path(("body", "answers", 3, "choiceId")) == "answers.3.choiceId"
    assert field_path(("query", "limit")) == "limit"


@pytest.mark.parametrize(
    ("header", "persian"), [("fa", True), ("fa-IR,en;q=0.8", True), ("en-US,fa;q=0.9", False), ("", False)]
)
def test_language_negotiation(header, persian):
    assert wants_persian({"accept-language": header}) is persian
