"""Who may call what, over HTTP: every route of template.yaml × every kind of caller.

The expectations are written out below from the "who" column of shared/spec/api.md — on purpose
not read from ``nazer.access.RULES``, so the code cannot agree with itself by construction. A route
of the template without an entry here fails, and so does an entry for a route that is gone.

Requests use province 23 in paths (so "officer-23" is the officer of that province and
"officer-05" another directorate's), dummy ids elsewhere and minimal bodies: an admitted caller
then gets a validation or not-found answer, never 401/403 and never a 5xx.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.template import Route, api_routes
from tests.support.http import Stack
from tests.support.reports_factories import stack_inspector

pytestmark = pytest.mark.e2e

PROBLEM_JSON = "application/problem+json"
ROLES = ("anonymous", "bad-token", "applicant", "inspector", "officer-23", "officer-05", "hq-admin")

# ---------------------------------------------------------------- the contract's "who" column

PUBLIC = "public"  # "anyone": no token needed, a bad one is not even looked at
SIGNED_IN = frozenset({"applicant", "inspector", "officer-23", "officer-05", "hq-admin"})  # any signed-in user
HQ = frozenset({"hq-admin"})
OFFICER = frozenset({"officer-23"})  # "officer": the officer of the path's province only
OFFICER_OR_HQ = frozenset({"officer-23", "hq-admin"})  # "officer, hq-admin" / "officer of that province, hq-admin"
INSPECTOR = frozenset({"inspector"})  # "inspector", "its reporter", "the inspector (ACTIVE)"

WHO: dict[tuple[str, str], str | frozenset[str]] = {
    ("GET", "/regions"): PUBLIC,  # anyone
    ("GET", "/openapi.json"): PUBLIC,  # anyone
    ("POST", "/applications"): SIGNED_IN,  # signed-in user
    ("GET", "/applications/me"): SIGNED_IN,  # signed-in user
    ("GET", "/training-material"): SIGNED_IN,  # applicant with an application (404 without one)
    ("POST", "/exam/attempts"): SIGNED_IN,  # applicant
    ("POST", "/exam/attempts/{attemptId}/submission"): SIGNED_IN,  # the attempt's owner (404 for others)
    ("GET", "/exam/attempts/{attemptId}"): SIGNED_IN,  # the attempt's owner (404 for others)
    ("GET", "/admin/questions"): HQ,
    ("POST", "/admin/questions"): HQ,
    ("GET", "/admin/questions/{questionId}"): HQ,
    ("PUT", "/admin/questions/{questionId}"): HQ,
    ("DELETE", "/admin/questions/{questionId}"): HQ,
    ("GET", "/admin/exam-settings"): HQ,
    ("PUT", "/admin/exam-settings"): HQ,
    ("GET", "/admin/applications"): HQ,
    ("POST", "/admin/announcements"): HQ,
    ("POST", "/admin/applications/{applicationId}/rejection"): HQ,
    ("GET", "/admin/liaisons"): HQ,
    ("PUT", "/admin/provinces/{provinceCode}/liaison"): HQ,
    ("GET", "/admin/monthly-reports/{period}"): HQ,
    ("POST", "/admin/monthly-reports/{period}/generation"): HQ,
    ("GET", "/provinces/{provinceCode}/applications"): OFFICER_OR_HQ,  # officer of that province, hq-admin
    ("POST", "/provinces/{provinceCode}/inspectors"): OFFICER,
    ("GET", "/provinces/{provinceCode}/inspectors"): OFFICER_OR_HQ,
    ("POST", "/provinces/{provinceCode}/inspectors/{inspectorCode}/status"): OFFICER,
    ("POST", "/provinces/{provinceCode}/reports"): OFFICER,
    ("GET", "/provinces/{provinceCode}/reports"): OFFICER_OR_HQ,
    ("GET", "/provinces/{provinceCode}/reports/{reportId}"): OFFICER_OR_HQ,
    ("POST", "/provinces/{provinceCode}/reports/{reportId}/transitions"): OFFICER,
    ("GET", "/provinces/{provinceCode}/outreach-activities"): OFFICER_OR_HQ,  # officer/hq (GET)
    ("POST", "/provinces/{provinceCode}/outreach-activities"): OFFICER,  # officer (POST)
    ("GET", "/provinces/{provinceCode}/monthly-reports"): OFFICER_OR_HQ,
    ("GET", "/provinces/{provinceCode}/monthly-reports/{period}/file"): OFFICER_OR_HQ,
    ("POST", "/provinces/{provinceCode}/monthly-reports/{period}/submission"): OFFICER,
    ("POST", "/reports"): INSPECTOR,  # inspector (ACTIVE)
    ("GET", "/reports/mine"): INSPECTOR,
    ("GET", "/reports/{reportId}"): INSPECTOR,  # its reporter (404 for another inspector)
    ("POST", "/reports/{reportId}/attachments"): INSPECTOR,  # its reporter
    ("POST", "/reports/{reportId}/attachments/{attachmentId}/completion"): INSPECTOR,  # its reporter
    ("GET", "/provinces/{provinceCode}/reports/{reportId}/attachments/{attachmentId}"): OFFICER_OR_HQ,
}

PATH_VALUES = {
    "provinceCode": "23",
    "period": "1399-01",  # long past: generating or submitting it disturbs no other test
    "attemptId": "01J9ZZZZZZZZZZZZZZZZZZZZZA",
    "questionId": "00000000-0000-4000-8000-000000000000",
    "applicationId": "00000000-0000-4000-8000-000000000001",
    "inspectorCode": "2301000000",
    "reportId": "01J9ZZZZZZZZZZZZZZZZZZZZZB",
    "attachmentId": "01J9ZZZZZZZZZZZZZZZZZZZZZC",
}


def concrete(route: Route) -> str:
    path = route.path
    for name, value in PATH_VALUES.items():
        path = path.replace(f"{{{name}}}", value)
    assert "{" not in path, f"no dummy value for a parameter of {route.path}"
    return path


# ---------------------------------------------------------------- callers


def forged(token: str, **claims: Any) -> str:
    """A real token whose payload is rewritten (e.g. to claim hq-admin): the signature no longer fits."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    rewritten = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{rewritten}.{signature}"


@pytest.fixture(scope="module")
def tokens(stack: Stack) -> dict[str, str | None]:
    """One ID token per role, signed in once for the whole module."""
    _, applicant = stack.sign_up()
    # An inspector is a signed-up user added to the inspector group (then signed in again) whose
    # code is on record: the reports routes look the caller's code up.
    inspector, _ = stack_inspector(stack, province="23")
    return {
        "anonymous": None,
        "bad-token": forged(applicant, **{"cognito:groups": ["hq-admin"]}),
        "applicant": applicant,
        "inspector": inspector,
        "officer-23": stack.demo_token("province-officer", "23"),
        "officer-05": stack.demo_token("province-officer", "05"),
        "hq-admin": stack.demo_token("hq-admin"),
    }


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: Any


@pytest.fixture(scope="module")
def answers(stack: Stack, tokens: dict[str, str | None]) -> dict[tuple[str, str, str], Answer]:
    """Every route of the template called by every role, eight requests at a time."""
    local = threading.local()

    def call(job: tuple[Route, str]) -> tuple[tuple[str, str, str], Answer]:
        route, role = job
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        token = tokens[role]
        reply = session.request(
            route.method,
            stack.api + concrete(route),
            json={} if route.method in {"POST", "PUT"} else None,
            headers={"Authorization": token} if token else {},
            timeout=60,
        )
        try:
            body = reply.json()
        except ValueError:
            body = reply.text
        return (route.method, route.path, role), Answer(reply.status_code, reply.headers.get("Content-Type", ""), body)

    jobs = [(route, role) for route in api_routes() for role in ROLES]
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(call, jobs))


# ---------------------------------------------------------------- the matrix


def test_every_template_route_has_an_entry_and_every_entry_a_route() -> None:
    routes = {(route.method, route.path) for route in api_routes()}
    assert sorted(routes - WHO.keys()) == [], "routes of template.yaml without an entry in WHO"
    assert sorted(WHO.keys() - routes) == [], "entries in WHO for routes template.yaml no longer has"


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: f"{route.method} {route.path}")
def test_each_caller_gets_what_the_contract_says(route: Route, answers: dict[tuple[str, str, str], Answer]) -> None:
    # Given the contract's callers of this route (a route without an entry fails here)
    allowed = WHO.get((route.method, route.path))
    assert allowed is not None, f"{route.method} {route.path} has no entry in WHO: add who may call it"
    wrong: list[str] = []
    for role in ROLES:
        # When each kind of caller calls it
        answer = answers[(route.method, route.path, role)]
        seen = f"{role}: {answer.status} {str(answer.body)[:160]}"
        # Then the public route answers everyone, and any other…
        if allowed == PUBLIC:
            expected_ok = answer.status == 200
        # …refuses a missing or bad token with 401
        elif role in {"anonymous", "bad-token"}:
            expected_ok = answer.status == 401 and _slug(answer) == "unauthorized"
        # …admits its callers past the access check, without a server error
        elif role in allowed:
            expected_ok = answer.status not in {401, 403} and answer.status < 500
        # …and refuses everyone else with exactly 403
        else:
            expected_ok = answer.status == 403 and _slug(answer) == "forbidden"
        if not expected_ok:
            wrong.append(f"unexpected for {seen}")
        # And every error is a problem document
        if answer.status >= 400 and answer.content_type != PROBLEM_JSON:
            wrong.append(f"not problem+json for {seen} ({answer.content_type})")
    assert not wrong, f"{route.method} {route.path}:\n" + "\n".join(wrong)


def _slug(answer: Answer) -> str | None:
    return answer.body.get("type") if isinstance(answer.body, dict) else None


# ---------------------------------------------------------------- tokens that must not pass


@pytest.fixture(scope="module")
def bad_tokens(stack: Stack, tokens: dict[str, str | None]) -> Iterator[dict[str, str]]:
    """Tokens that claim HQ but must not be believed, and one that is not an ID token at all."""
    applicant = tokens["applicant"]
    assert applicant is not None
    real = jwt.decode(applicant, options={"verify_signature": False})
    header = jwt.get_unverified_header(applicant)
    hq_claims = {**real, "cognito:groups": ["hq-admin"], "exp": int(time.time()) + 3600}
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    hq_user = next(user for user in stack.descriptor["users"] if user["role"] == "hq-admin")
    access_token = stack.cognito().initiate_auth(
        ClientId=stack.descriptor["userPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": hq_user["username"], "PASSWORD": hq_user["password"]},
    )["AuthenticationResult"]["AccessToken"]
    yield {
        "garbage": "not-a-token",
        "empty bearer": "Bearer ",
        "tampered payload": forged(applicant, **{"cognito:groups": ["hq-admin"]}),
        "alg none": jwt.encode(hq_claims, key=None, algorithm="none"),
        "signed by another key": jwt.encode(hq_claims, stranger_key, algorithm="RS256", headers={"kid": header["kid"]}),
        "HS256 with the public key id": jwt.encode(
            hq_claims, "a-shared-secret-of-thirty-two-bytes!", algorithm="HS256", headers={"kid": header["kid"]}
        ),
        "an access token, not an ID token": str(access_token),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "garbage",
        "empty bearer",
        "tampered payload",
        "alg none",
        "signed by another key",
        "HS256 with the public key id",
        "an access token, not an ID token",
    ],
)
def test_a_forged_or_wrong_token_is_401(stack: Stack, bad_tokens: dict[str, str], kind: str) -> None:
    reply = stack.call("GET", "/admin/exam-settings", bad_tokens[kind])
    assert reply.status_code == 401, reply.text
    assert reply.headers["Content-Type"] == PROBLEM_JSON
    assert reply.json()["type"] == "unauthorized"
