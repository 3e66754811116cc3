"""Fuzzing over HTTP: schemathesis against the stack's own OpenAPI document, as every role, and
hand-written hostile requests (broken JSON, wrong content types, huge and non-UTF-8 bodies,
Persian and Arabic-Indic digits everywhere).

Whatever arrives, the answer is never a 5xx, conforms to the document where it declares a shape,
and every 4xx is problem+json.

The fuzz is bounded and reproducible: ``NAZER_FUZZ_EXAMPLES`` examples (default 8) per operation and
mode, generated with a fixed seed and no shrinking, then sent as each role through a thread pool.
Set ``NAZER_FUZZ_SEED`` to explore other inputs. State it changes outside its own users and its own
directorate (exam settings, the question bank) is put back afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.applications_factories import application_body
from tests.support.http import Stack
from tests.support.reports_factories import stack_inspector

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("NAZER_FUZZ_EXAMPLES", "8"))
SEED = os.environ.get("NAZER_FUZZ_SEED")
FUZZ_PROVINCE = "30"  # Alborz: no other end-to-end test writes to it
PAST_PERIOD = "1399-01"
PINNED = {"provinceCode": FUZZ_PROVINCE, "period": PAST_PERIOD}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
PROBLEM_JSON = "application/problem+json"


# ---------------------------------------------------------------- callers and state


@pytest.fixture(scope="module")
def callers(stack: Stack) -> dict[str, str | None]:
    """One token per role, reused by every request of this module."""
    _, applicant = stack.sign_up()
    inspector, _ = stack_inspector(stack, province=FUZZ_PROVINCE)
    return {
        "anonymous": None,
        "applicant": applicant,
        "inspector": inspector,
        "officer": stack.demo_token("province-officer", FUZZ_PROVINCE),
        "hq-admin": stack.demo_token("hq-admin"),
    }


def question_ids(stack: Stack, hq: str) -> set[str]:
    ids: set[str] = set()
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = stack.call("GET", "/admin/questions", hq, params=params)
        assert page.status_code == 200, page.text
        ids |= {item["questionId"] for item in page.json()["items"]}
        cursor = page.json()["nextCursor"]
        if not cursor:
            return ids


@pytest.fixture(scope="module")
def global_state_restored(stack: Stack, callers: dict[str, str | None]) -> Iterator[None]:
    """HQ's fuzzing may replace the exam settings and add questions: put them back afterwards."""
    hq = callers["hq-admin"]
    assert hq is not None
    settings_before = stack.call("GET", "/admin/exam-settings", hq).json()
    questions_before = question_ids(stack, hq)
    yield
    restored = stack.call("PUT", "/admin/exam-settings", hq, json=settings_before)
    assert restored.status_code == 200, restored.text
    for question_id in question_ids(stack, hq) - questions_before:
        assert stack.call("DELETE", f"/admin/questions/{question_id}", hq).status_code == 204


# ---------------------------------------------------------------- schemathesis


@dataclass(frozen=True)
class Outcome:
    operation: str
    mode: str
    role: str
    status: int | None
    problems: tuple[str, ...]


def generated_cases(operation: Any, mode: GenerationMode, pinned: dict[str, str]) -> list[Any]:
    """Up to ``EXAMPLES`` cases of one operation: generation only (no shrinking), no deadline."""
    cases: list[Any] = []

    @settings(
        max_examples=EXAMPLES,
        phases=[Phase.generate],
        deadline=None,
        database=None,
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
    def collect(case: Any) -> None:
        cases.append(case)

    if SEED is not None:
        collect = seed(int(SEED))(collect)
    try:
        collect()
    except Exception as error:  # e.g. no negative input exists for an operation without parameters
        if "Unsatisfiable" not in type(error).__name__:
            raise
    return cases


def without_security(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its security scheme: each role sends its own token, and the anonymous
    caller covers the missing one, so invalid inputs go to parameters and bodies instead."""
    stripped = json.loads(json.dumps(document))
    stripped.pop("security", None)
    stripped.get("components", {}).pop("securitySchemes", None)
    for operations in stripped["paths"].values():
        for operation in operations.values():
            operation.pop("security", None)
    return stripped


def problems_of(case: Any, response: Any, headers: dict[str, str]) -> list[str]:
    found: list[str] = []
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except BaseExceptionGroup as failures:
        found += [f"{type(failure).__name__}: {str(failure)[:400]}" for failure in failures.exceptions]
    content_type = (response.headers.get("content-type") or [""])[0]
    if 400 <= response.status_code < 500 and not content_type.startswith(PROBLEM_JSON):
        found.append(f"a {response.status_code} answered {content_type!r}, not problem+json")
    return found


def run_fuzz(stack: Stack, callers: dict[str, str | None]) -> list[Outcome]:
    document = requests.get(f"{stack.api}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(without_security(document))
    jobs: list[tuple[Any, str, str]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {parameter.name for parameter in operation.path_parameters}
        pinned = {name: value for name, value in PINNED.items() if name in names}
        # Valid inputs aimed at the fuzzing officer's directorate, and invalid inputs anywhere.
        for mode, pins in ((GenerationMode.POSITIVE, pinned), (GenerationMode.NEGATIVE, {})):
            jobs += [(case, mode.value, role) for case in generated_cases(operation, mode, pins) for role in callers]
    local = threading.local()

    def send(job: tuple[Any, str, str]) -> Outcome:
        case, mode, role = job
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        token = callers[role]
        headers = {"Authorization": token} if token else {}
        label = case.operation.label
        try:
            response = case.call(base_url=stack.api, session=session, headers=headers, timeout=60)
        except requests.RequestException as error:
            return Outcome(label, mode, role, None, (f"no answer: {type(error).__name__}",))
        return Outcome(label, mode, role, response.status_code, tuple(problems_of(case, response, headers)))

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(send, jobs))


def describe(failures: list[Outcome]) -> str:
    distinct: dict[tuple[str, str], Outcome] = {}
    for outcome in failures:
        distinct.setdefault((outcome.operation, outcome.problems[0][:60]), outcome)
    lines = [f"{len(failures)} failing requests, {len(distinct)} distinct:"]
    for outcome in list(distinct.values())[:25]:
        lines.append(f"- {outcome.operation} as {outcome.role} ({outcome.mode}) → {outcome.status}")
        lines += [f"    {problem}" for problem in outcome.problems]
    return "\n".join(lines)


def test_fuzzing_every_operation_as_every_role_finds_no_5xx_and_no_contract_breach(
    stack: Stack, callers: dict[str, str | None], global_state_restored: None
) -> None:
    # Given every operation of the published document and a caller of each role
    # When generated valid and invalid requests are sent as each of them
    outcomes = run_fuzz(stack, callers)

    # Then each answer is below 500, conforms to the document, and a 4xx is a problem
    failures = [outcome for outcome in outcomes if outcome.problems]
    assert not failures, describe(failures)
    # And the fuzz reached past the access checks: every role was allowed somewhere
    statuses = {outcome.status for outcome in outcomes}
    assert {200, 401, 403, 404, 422} <= statuses
    assert {outcome.role for outcome in outcomes if outcome.status == 200} >= {"hq-admin", "officer", "inspector"}


# ---------------------------------------------------------------- hand-written hostile requests

DUMMY_ID = "01J9ZZZZZZZZZZZZZZZZZZZZZZ"
FILLS = {"provinceCode": FUZZ_PROVINCE, "period": PAST_PERIOD}
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def role_for(path: str) -> str:
    """A caller the route admits (the matrix test proves who exactly)."""
    if path.startswith("/admin/"):
        return "hq-admin"
    if path.startswith("/provinces/"):
        return "officer"
    if path.startswith("/reports"):
        return "inspector"
    return "applicant"


def body_routes(stack: Stack) -> list[tuple[str, str]]:
    """(METHOD, concrete path) of every operation that takes a JSON body."""
    document = requests.get(f"{stack.api}/openapi.json", timeout=30).json()
    routes = []
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                path = template
                for name in {part[1:-1] for part in template.split("/") if part.startswith("{")}:
                    path = path.replace(f"{{{name}}}", FILLS.get(name, DUMMY_ID))
                routes.append((method.upper(), path))
    assert len(routes) >= 14
    return routes


HOSTILE_BODIES: dict[str, tuple[bytes, str]] = {
    "malformed JSON": (b'{"remarks": ', "application/json"),
    "a JSON array": (b'[{"remarks": "x"}]', "application/json"),
    "a JSON string": (b'"remarks"', "application/json"),
    "JSON sent as text/plain": (b"{}", "text/plain"),
    "form data": (b"remarks=x&status=ACTIVE", "application/x-www-form-urlencoded"),
    "multipart form data": (
        b'--b\r\nContent-Disposition: form-data; name="remarks"\r\n\r\nx\r\n--b--\r\n',
        "multipart/form-data; boundary=b",
    ),
    "bytes that are not UTF-8": (b'{"remarks": "\xff\xfe\xfd"}', "application/json"),
    "nesting deeper than any parser allows": (b"[" * 200_000 + b"]" * 200_000, "application/json"),
    "an integer of 5000 digits": (b'{"remarks": ' + b"9" * 5000 + b"}", "application/json"),
}


def test_bodies_that_are_not_a_json_object_are_422_problems_on_every_route(
    stack: Stack, callers: dict[str, str | None]
) -> None:
    # Given every route taking a body, called by a caller it admits
    jobs = [(method, path, name) for method, path in body_routes(stack) for name in HOSTILE_BODIES]

    def send(job: tuple[str, str, str]) -> tuple[str, str, str, requests.Response]:
        method, path, name = job
        data, content_type = HOSTILE_BODIES[name]
        headers = {"Authorization": str(callers[role_for(path)]), "Content-Type": content_type}
        return method, path, name, requests.request(method, stack.api + path, data=data, headers=headers, timeout=60)

    # When each hostile body is sent
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(send, jobs))

    # Then every one is a 422 validation problem about the body
    wrong = [
        f"{method} {path} with {name}: {reply.status_code} {reply.headers.get('Content-Type')} {reply.text[:200]}"
        for method, path, name, reply in replies
        if reply.status_code != 422
        or reply.headers.get("Content-Type") != PROBLEM_JSON
        or reply.json()["type"] != "validation-error"
        or {error["field"] for error in reply.json()["errors"]} != {"body"}
    ]
    assert not wrong, "\n".join(wrong)


def test_a_body_on_a_route_that_takes_none_must_still_be_json(stack: Stack, callers: dict[str, str | None]) -> None:
    reply = stack.call(
        "POST", "/exam/attempts", callers["applicant"], data=b"start", headers={"Content-Type": "text/plain"}
    )
    assert reply.status_code == 422 and reply.headers["Content-Type"] == PROBLEM_JSON
    assert reply.json()["errors"][0]["field"] == "body"


@pytest.mark.parametrize("role", ["applicant", "anonymous"])
def test_a_body_over_10_mb_is_a_413_problem(stack: Stack, callers: dict[str, str | None], role: str) -> None:
    # Given a body one byte over API Gateway's limit (refused before the token is even looked at)
    body = b'{"firstName": "' + b"x" * (10 * 1024 * 1024 - 16) + b'"}'
    assert len(body) == 10 * 1024 * 1024 + 1
    # When it is posted
    reply = stack.call("POST", "/applications", callers[role], data=body, headers={"Content-Type": "application/json"})
    # Then it is a payload-too-large problem
    assert reply.status_code == 413
    assert reply.headers["Content-Type"] == PROBLEM_JSON
    assert reply.json()["type"] == "payload-too-large"


def without_signatures(value: Any) -> Any:
    """A reply body without what differs between two identical requests: signed links."""
    if isinstance(value, dict):
        return {key: without_signatures(item) for key, item in value.items() if key not in {"url", "expiresAt"}}
    if isinstance(value, list):
        return [without_signatures(item) for item in value]
    return value


def comparable(reply: requests.Response) -> tuple[int, Any]:
    return reply.status_code, without_signatures(reply.json())


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("officer", "/provinces/30/applications?status=SUBMITTED&limit=5"),
        ("officer", "/provinces/30/inspectors?county=01&limit=5"),
        ("officer", "/provinces/30/reports?county=01&from=1403/01/01&to=2030-01-01&limit=5"),
        ("officer", "/provinces/30/outreach-activities?period=1399-01"),
        ("officer", "/provinces/30/monthly-reports?limit=5"),
        ("officer", "/provinces/30/monthly-reports/1399-01/file?format=json"),
        ("officer", "/provinces/30/monthly-reports/1399-01/file?format=csv"),
        ("officer", "/provinces/23/inspectors"),  # another directorate: 403 either way
        ("hq-admin", "/admin/monthly-reports/1399-01"),
        ("hq-admin", "/admin/questions?limit=5&category=cat2"),
        ("hq-admin", "/provinces/30/reports/01J00000000000000000000000"),
        ("applicant", "/exam/attempts/01J00000000000000000000000"),
    ],
)
@pytest.mark.parametrize("digits", [TO_PERSIAN, TO_ARABIC_INDIC], ids=["persian", "arabic-indic"])
def test_persian_and_arabic_digits_in_paths_and_queries_mean_the_ascii_digits(
    stack: Stack, callers: dict[str, str | None], role: str, path: str, digits: dict[int, str]
) -> None:
    # Given a request, and the same request with every digit of its path and query in another script
    # (and one more written with mixed scripts: only the odd positions translated)
    translated = path.translate(digits)
    mixed = "".join(char.translate(digits) if index % 2 else char for index, char in enumerate(path))
    # When both are sent
    ascii_reply = stack.call("GET", path, callers[role])
    assert ascii_reply.status_code < 500, ascii_reply.text
    # Then they answer alike: same status, same body
    for variant in (translated, mixed):
        assert comparable(stack.call("GET", variant, callers[role])) == comparable(ascii_reply), variant


def test_persian_and_mixed_digits_in_a_form_are_stored_as_ascii(stack: Stack) -> None:
    # Given a citizen whose form is typed with Persian and Arabic-Indic digits, some mixed with ASCII
    _, token = stack.sign_up()
    national_id = application_body()["nationalId"]
    body = application_body(
        nationalId=national_id[:4].translate(TO_PERSIAN)
        + national_id[4:7]
        + national_id[7:].translate(TO_ARABIC_INDIC),
        birthDate="۱۳۷۰/۰۵/۱۲",
        mobile="۰۹۱۲1234٥٦٧",
        provinceCode="۳۰",
        countyCode="٠١",
        postalCode="۱۲۳۴۵۶۷۸۹۰",
    )
    # When it is submitted
    reply = stack.call("POST", "/applications", token, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    # Then it is stored with ASCII digits
    assert reply.status_code == 201, reply.text
    stored = reply.json()
    assert stored["nationalId"] == national_id
    assert (stored["birthDate"], stored["mobile"], stored["postalCode"]) == ("1370/05/12", "09121234567", "1234567890")
    assert (stored["provinceCode"], stored["countyCode"]) == ("30", "01")


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "fields"),
    [
        # Numbers written as Persian-digit strings are not JSON numbers
        (
            "hq-admin",
            "PUT",
            "/admin/exam-settings",
            {
                "questionsPerAttempt": "۲۰",
                "passMarkPercent": "۷۰",
                "timeLimitMinutes": "۳۰",
                "maxAttempts": "۳",
                "cooldownHours": "۲۴",
            },
            {"questionsPerAttempt", "passMarkPercent", "timeLimitMinutes", "maxAttempts", "cooldownHours"},
        ),
        ("officer", "POST", "/provinces/۳۰/inspectors", {"applicationId": "۱۲۳"}, {"applicationId"}),
        ("applicant", "POST", "/applications", {"nationalId": "۱۲۳", "mobile": "۰۹۱۲"}, {"nationalId", "mobile"}),
        (
            "inspector",
            "POST",
            "/reports",
            {"business": {"provinceCode": "۹۹", "countyCode": "۰۱"}, "observedPriceRials": "۱۲۰۰۰"},
            {"business.provinceCode", "observedPriceRials"},
        ),
    ],
)
def test_invalid_values_in_persian_digits_are_clear_422s(
    stack: Stack,
    callers: dict[str, str | None],
    role: str,
    method: str,
    path: str,
    body: dict[str, Any],
    fields: set[str],
) -> None:
    reply = stack.call(method, path, callers[role], json=body, headers={"Accept-Language": "fa"})
    assert reply.status_code == 422, reply.text
    assert reply.headers["Content-Type"] == PROBLEM_JSON
    named = {error["field"] for error in reply.json()["errors"]}
    assert fields <= named, named
    assert all(error["message"] for error in reply.json()["errors"])


def test_a_forged_cursor_is_a_422_on_cursor(stack: Stack, callers: dict[str, str | None]) -> None:
    # Given a cursor this list issued, rewritten with a number where its key holds a string
    first = stack.call("GET", "/admin/questions", callers["hq-admin"], params={"limit": 1})
    assert first.status_code == 200 and first.json()["nextCursor"], first.text
    cursor = first.json()["nextCursor"]
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**key, "sk": 5}).encode()).decode().rstrip("=")
    # When it is used
    reply = stack.call("GET", "/admin/questions", callers["hq-admin"], params={"limit": 1, "cursor": forged})
    # Then it is refused as a cursor (DynamoDB would have refused the query: a 500 before)
    assert reply.status_code == 422, reply.text
    assert [error["field"] for error in reply.json()["errors"]] == ["cursor"]


@pytest.mark.parametrize(
    ("role", "method", "template", "body"),
    [
        ("applicant", "GET", "/exam/attempts/{}", None),
        ("hq-admin", "GET", "/admin/questions/{}", None),
        ("hq-admin", "POST", "/admin/applications/{}/rejection", {"reason": "an id far too long"}),
        ("officer", "POST", "/provinces/30/inspectors/{}/status", {"status": "SUSPENDED", "reason": "too long"}),
        ("hq-admin", "GET", "/provinces/{}/inspectors", None),
    ],
)
def test_a_path_id_longer_than_any_key_is_a_404(
    stack: Stack, callers: dict[str, str | None], role: str, method: str, template: str, body: Any
) -> None:
    # An id that long would be refused by DynamoDB as a key in AWS (the emulator only checks writes)
    reply = stack.call(method, template.format("7" * 3000), callers[role], json=body)
    assert reply.status_code == 404, reply.text
    assert reply.headers["Content-Type"] == PROBLEM_JSON
