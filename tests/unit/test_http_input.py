"""Whatever arrives — any content type, any bytes, any digits — answers a clear problem, never a 500.

Requests go through ``nazer.http.resolve`` as every function's handler does: parameters are
normalised, the route's access is checked, the body must be readable JSON, then the route runs.
"""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.lambda_worker import LocalContext
from nazer.access import Access, route
from nazer.http import canonical_event, create_app, resolve
from nazer.models.base import RequestModel
from tests.support.events import api_event, claims
from tests.support.lambdas import reply_from

app = create_app()
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


class Remarks(RequestModel):
    remarks: str


@route(app, "POST", "/test-http/provinces/{provinceCode}/notes", Access.PROVINCE_OFFICER)
def post_note(provinceCode: str, body: Remarks) -> dict:  # noqa: N803 - the path parameter's name
    return {"province": provinceCode, "remarks": body.remarks}


@route(app, "GET", "/test-http/items/{itemId}", Access.SIGNED_IN)
def get_item(itemId: str, limit: int = 50) -> dict:  # noqa: N803
    return {"itemId": itemId, "limit": limit}


OFFICER_23 = claims("province-officer", province="23")


def post(raw: str | None, *, content_type: str = "application/json", base64_body: bool = False, caller=OFFICER_23):
    event = api_event(
        "POST",
        "/test-http/provinces/23/notes",
        resource="/test-http/provinces/{provinceCode}/notes",
        path_parameters={"provinceCode": "23"},
        raw_body=raw,
        headers={"Content-Type": content_type, "Accept-Language": "en"},
        caller=caller,
    )
    event["isBase64Encoded"] = base64_body
    return reply_from(resolve(app, event, LocalContext(function_name="t")))


def get(item_id: str, query: dict[str, str] | None = None):
    event = api_event(
        "GET",
        f"/test-http/items/{item_id}",
        resource="/test-http/items/{itemId}",
        path_parameters={"itemId": item_id},
        query=query,
        caller=claims(None),
    )
    return reply_from(resolve(app, event, LocalContext(function_name="t")))


def assert_body_problem(reply, message: str) -> None:
    assert reply.status == 422, reply.text
    assert reply.content_type == "application/problem+json"
    assert reply.json["type"] == "validation-error"
    assert reply.json["errors"] == [{"field": "body", "message": message}]


def test_a_json_body_reaches_the_route():
    reply = post('{"remarks": "ok"}')
    assert (reply.status, reply.json) == (200, {"province": "23", "remarks": "ok"})


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_a_body_of_another_content_type_is_a_validation_error(content_type):
    # Given a well-formed JSON body labelled as something else
    # When it is posted
    reply = post('{"remarks": "ok"}', content_type=content_type)
    # Then the caller is told to send JSON
    assert_body_problem(reply, "the body must be JSON sent with Content-Type: application/json")


def test_json_with_a_charset_parameter_is_json():
    assert post('{"remarks": "ok"}', content_type="application/json; charset=utf-8").status == 200


def test_bytes_that_are_not_utf8_are_a_validation_error():
    # Given a body the gateway had to pass base64-encoded because it is not UTF-8
    raw = base64.b64encode(b'{"remarks": "\xff\xfe"}').decode()
    # Then it is refused as such, in Persian too
    assert_body_problem(post(raw, base64_body=True), "the body is not UTF-8 text")


def test_a_base64_body_in_utf8_is_read_as_text():
    raw = base64.b64encode('{"remarks": "گزارش ماه"}'.encode()).decode()
    reply = post(raw, base64_body=True)
    assert (reply.status, reply.json["remarks"]) == (200, "گزارش ماه")


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 50_000 + "]" * 50_000,  # nesting deeper than the parser's recursion
        '{"remarks": ' * 3000 + '"x"' + "}" * 3000,
        '{"remarks": ' + "9" * 5000 + "}",  # an integer longer than Python converts
        "{not json",
    ],
)
def test_json_the_parser_cannot_read_is_a_validation_error(raw):
    assert_body_problem(post(raw), "JSON decode error")


@pytest.mark.parametrize("raw", ['[{"remarks": "ok"}]', '"ok"', "null", "42"])
def test_json_that_is_not_an_object_is_a_validation_error(raw):
    # Given valid JSON that is not an object (the resolver alone would read [{...}] as its one element)
    # Then it is refused, even where every field of the body is optional
    assert_body_problem(post(raw), "the body must be a JSON object")


def test_the_wrong_role_is_refused_before_the_body_is_read():
    reply = post("plain text", content_type="text/plain", caller=claims("province-officer", province="05"))
    assert (reply.status, reply.json["type"]) == (403, "forbidden")


def test_persian_text_for_an_unreadable_body():
    event = api_event(
        "POST",
        "/test-http/provinces/23/notes",
        resource="/test-http/provinces/{provinceCode}/notes",
        path_parameters={"provinceCode": "23"},
        raw_body="x",
        headers={"Content-Type": "text/plain", "Accept-Language": "fa"},
        caller=OFFICER_23,
    )
    reply = reply_from(resolve(app, event, LocalContext(function_name="t")))
    assert reply.status == 422
    assert reply.json["errors"][0]["message"].startswith("بدنهٔ درخواست باید JSON")


def test_an_officer_reaches_their_province_written_in_persian_digits():
    # Given Tehran's officer and a path written /provinces/۲۳/notes
    event = api_event(
        "POST",
        "/test-http/provinces/%DB%B2%DB%B3/notes",
        resource="/test-http/provinces/{provinceCode}/notes",
        path_parameters={"provinceCode": "۲۳"},
        body={"remarks": "ok"},
        caller=OFFICER_23,
    )
    # When it is resolved
    reply = reply_from(resolve(app, event, LocalContext(function_name="t")))
    # Then it is province 23, for the access check and for the route
    assert (reply.status, reply.json["province"]) == (200, "23")


def test_digits_of_path_and_query_parameters_become_ascii():
    reply = get("ab۱٢3", {"limit": "۵"})
    assert (reply.status, reply.json) == (200, {"itemId": "ab123", "limit": 5})


def test_a_path_parameter_longer_than_any_id_names_nothing():
    # Given ids at the limit and one past it (the latter would be refused as a DynamoDB key in AWS)
    assert get("x" * 128).status == 200
    reply = get("x" * 129)
    # Then the longer one is simply not found, before any storage is asked
    assert (reply.status, reply.content_type, reply.json["type"]) == (404, "application/problem+json", "not-found")


def test_a_path_parameter_holding_a_slash_stays_one_segment():
    reply = get("a/b")
    assert (reply.status, reply.json["itemId"]) == (200, "a%2Fb")


@given(st.text(alphabet="0123456789" + PERSIAN + ARABIC_INDIC, min_size=1, max_size=12))
def test_canonical_parameters_are_ascii_digits(digits):
    event = api_event(
        "GET",
        f"/test-http/items/{digits}",
        resource="/test-http/items/{itemId}",
        path_parameters={"itemId": digits},
        query={"limit": digits},
    )
    canonical = canonical_event(event)
    expected = digits.translate(str.maketrans(PERSIAN + ARABIC_INDIC, "0123456789" * 2))
    assert canonical["pathParameters"] == {"itemId": expected}
    assert canonical["path"] == f"/test-http/items/{expected}"
    assert canonical["queryStringParameters"] == {"limit": expected}
    assert canonical["multiValueQueryStringParameters"] == {"limit": [expected]}
    assert event["pathParameters"] == {"itemId": digits}  # the handler's event is left as it came
