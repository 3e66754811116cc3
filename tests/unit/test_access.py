"""Route access rules are enforced before the body is looked at."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from infra.lambda_worker import LocalContext
from nazer.access import Access, check, route
from nazer.errors import DomainError
from nazer.http import create_app, resolve
from tests.support.events import api_event, claims
from tests.support.lambdas import reply_from

app = create_app()


class Body(BaseModel):
    name: str


@route(app, "POST", "/test-access/provinces/{provinceCode}/things", Access.PROVINCE_OFFICER)
def create_thing(provinceCode: str, body: Body) -> dict:  # noqa: N803 - path parameter name
    return {"province": provinceCode}


def call(caller, body):
    event = api_event(
        "POST",
        "/test-access/provinces/23/things",
        resource="/test-access/provinces/{provinceCode}/things",
        path_parameters={"provinceCode": "23"},
        body=body,
        caller=caller,
    )
    return reply_from(resolve(app, event, LocalContext(function_name="t")))


@pytest.mark.parametrize(
    "caller",
    [claims("province-officer", province="05"), claims("hq-admin"), claims("inspector"), claims(None)],
)
def test_a_wrong_role_gets_403_even_with_an_invalid_body(caller):
    reply = call(caller, {"unexpected": True})
    assert reply.status == 403
    assert reply.content_type == "application/problem+json"
    assert reply.json["type"] == "forbidden"


def test_no_claims_is_401():
    reply = call(None, {"name": "x"})
    assert (reply.status, reply.json["type"]) == (401, "unauthorized")


def test_the_right_role_reaches_validation_and_the_route():
    officer = claims("province-officer", province="23")
    assert call(officer, {}).status == 422
    ok = call(officer, {"name": "x"})
    assert (ok.status, ok.json) == (200, {"province": "23"})


@pytest.mark.parametrize(
    ("access", "role", "province", "allowed"),
    [
        (Access.SIGNED_IN, None, None, True),
        (Access.INSPECTOR, "inspector", None, True),
        (Access.INSPECTOR, None, None, False),
        (Access.HQ, "hq-admin", None, True),
        (Access.HQ, "province-officer", "23", False),
        (Access.PROVINCE_READ, "hq-admin", None, True),
        (Access.PROVINCE_READ, "province-officer", "23", True),
        (Access.PROVINCE_READ, "province-officer", "24", False),
        (Access.PROVINCE_OFFICER, "hq-admin", None, False),
        (Access.PROVINCE_OFFICER, "province-officer", "23", True),
    ],
)
def test_access_rules(access, role, province, allowed):
    caller_claims = claims(role, province=province)
    if allowed:
        assert check(access, caller_claims, {"provinceCode": "23"}) is not None
    else:
        with pytest.raises(DomainError) as error:
            check(access, caller_claims, {"provinceCode": "23"})
        assert error.value.status == 403
