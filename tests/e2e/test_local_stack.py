"""The local stack over HTTP: routes from template.yaml, real Cognito tokens, problem+json."""

from __future__ import annotations

import jwt
import pytest

from infra.gateway import TokenVerifier
from infra.template import api_routes

pytestmark = pytest.mark.e2e


def test_regions_are_served_without_a_token(stack):
    reply = stack.call("GET", "/regions")
    assert reply.status_code == 200
    assert len(reply.json()["provinces"]) == 32


def test_unknown_route_is_a_not_found_problem(stack):
    reply = stack.call("GET", "/no/such/route")
    assert reply.status_code == 404
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["type"] == "not-found"


def test_every_template_route_is_served(stack):
    for route in api_routes():
        path = route.path.replace("{", "").replace("}", "")
        reply = stack.call(route.method, path, json={} if route.method in {"POST", "PUT"} else None)
        assert reply.status_code != 404 or reply.json()["type"] == "not-found", route
        assert reply.headers["Content-Type"] in {"application/json", "application/problem+json"}


def test_self_sign_up_yields_a_verifiable_id_token(stack):
    username, token = stack.sign_up()
    verifier = TokenVerifier(
        stack.descriptor["awsEndpoint"],
        stack.descriptor["region"],
        stack.descriptor["userPoolId"],
        stack.descriptor["userPoolClientId"],
    )
    claims = verifier.claims(f"Bearer {token}")
    assert claims is not None and claims["cognito:username"] == username


def test_forged_and_garbage_tokens_are_refused(stack):
    _, token = stack.sign_up()
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims | {"cognito:groups": ["hq-admin"]}, "not-the-key", algorithm="HS256")
    verifier = TokenVerifier(
        stack.descriptor["awsEndpoint"],
        stack.descriptor["region"],
        stack.descriptor["userPoolId"],
        stack.descriptor["userPoolClientId"],
    )
    assert verifier.claims(forged) is None
    assert verifier.claims("garbage") is None
    assert verifier.claims(None) is None


def test_demo_users_sign_in_with_their_roles(stack):
    token = stack.demo_token("province-officer", "23")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["custom:province"] == "23"
    assert "province-officer" in claims["cognito:groups"]
    roles = {user["role"] for user in stack.descriptor["users"]}
    assert roles == {"hq-admin", "province-officer"}
    assert len([u for u in stack.descriptor["users"] if u["role"] == "province-officer"]) == 32
