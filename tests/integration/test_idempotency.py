"""Idempotency-Key on every creating POST: a repeat replays the first reply and creates nothing.

The POST routes come from template.yaml: each one is either a creating route with a scenario here or
listed with the reason it creates nothing, so a new POST route without an entry fails
``test_every_post_route_is_classified``. For each creating route:

- the same key and body twice → the same status and body, and exactly one record stored;
- the same key with another body → 422 on ``Idempotency-Key``, nothing more stored;
- two callers using the same key → two records (a key is scoped to its caller).
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.template import api_routes
from nazer import idempotency
from nazer.aws import session, table
from nazer.dal import reports as reports_store
from nazer.dal import stats
from nazer.jalali import Period, tehran_date
from tests.support.applications_factories import application_body
from tests.support.events import api_event, claims
from tests.support.exam_factories import put_exam_application, seed_bank
from tests.support.factories import put_application
from tests.support.inspectors_factories import read_counter
from tests.support.lambdas import Reply, invoke
from tests.support.reports_factories import an_inspector, officer_body, report_body

HQ_LIST = claims("hq-admin")


@dataclass
class Request:
    """One caller's request to a route: who, the path parameters and the body (None: no body)."""

    caller: dict[str, str]
    path: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Scenario:
    """How to exercise a creating route: a fresh request per caller, another body, the records stored."""

    method: str
    path: str
    request: Callable[[], Request]
    records: Callable[[], int]
    vary: Callable[[Any], Any] | None  # None: the route takes no body, so no other body exists

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def route_of(method: str, path: str) -> Any:
    return next(r for r in api_routes() if (r.method, r.path) == (method, path))


def send(scenario: Scenario, request: Request, key: str | None, body: Any = None) -> Reply:
    route = route_of(scenario.method, scenario.path)
    concrete = route.path
    for name, value in request.path.items():
        concrete = concrete.replace("{" + name + "}", value)
    event = api_event(
        scenario.method,
        concrete,
        resource=route.path,
        path_parameters=request.path or None,
        body=request.body if body is None else body,
        headers={"Idempotency-Key": key} if key else None,
        caller=request.caller,
    )
    return invoke(route.code_uri.removeprefix("functions/"), event)


def get(function: str, path: str, resource: str, caller: dict[str, str], **options: Any) -> Any:
    reply = invoke(function, api_event("GET", path, resource=resource, caller=caller, **options))
    assert reply.status == 200, reply.text
    return reply.json


# ---------------------------------------------------------------- scenarios, one per creating route


def _applicant_request() -> Request:
    return Request(claims(), {}, application_body())


def _applications() -> int:
    query = {"status": "SUBMITTED", "province": "23", "limit": "100"}
    return len(get("applications", "/admin/applications", "/admin/applications", HQ_LIST, query=query)["items"])


def _exam_candidate() -> Request:
    sub = str(uuid.uuid4())
    put_exam_application("TRAINING", sub=sub)
    _ATTEMPT_TAKERS.append(sub)
    return Request(claims(sub=sub), {}, None)


_ATTEMPT_TAKERS: list[str] = []


def _attempts() -> int:
    total = 0
    for sub in _ATTEMPT_TAKERS:
        me = get("applications", "/applications/me", "/applications/me", claims(sub=sub))
        total += int(me["exam"]["attemptsUsed"])
    return total


QUESTION = {
    "text": "مرجع رسیدگی به گران‌فروشی کدام است؟",
    "choices": [{"text": "سازمان حمایت"}, {"text": "شهرداری"}, {"text": "بانک مرکزی"}],
    "correctChoiceIndex": 0,
    "category": "قوانین",
    "active": True,
}


def _questions() -> int:
    return len(get("exam", "/admin/questions", "/admin/questions", HQ_LIST, query={"limit": "100"})["items"])


def _announcement() -> Request:
    application = put_exam_application("EXAM_PASSED", province="23", county="05")
    body = {"provinceCode": "23", "applicationIds": [application["applicationId"]]}
    return Request(claims("hq-admin"), {}, body)


def _announced() -> int:
    counters = stats.read_period(Period.of(datetime.now(UTC)), "23").get("05", {})
    return int(counters.get("announced", 0))


def _code_request() -> Request:
    application = put_application(status="APPROVED", province="23", county="07")
    return Request(
        claims("province-officer", province="23"),
        {"provinceCode": "23"},
        {"applicationId": application["applicationId"]},
    )


def _codes() -> int:
    return read_counter(table(), "23", "07") or 0


def _officer_report() -> Request:
    _, code, _ = an_inspector()
    return Request(claims("province-officer", province="23"), {"provinceCode": "23"}, officer_body(code))


def _province_reports() -> int:
    path, resource = "/provinces/23/reports", "/provinces/{provinceCode}/reports"
    page = get("reports", path, resource, HQ_LIST, path_parameters={"provinceCode": "23"}, query={"limit": "100"})
    return len(page["items"])


ACTIVITY = {
    "date": "",
    "type": "public_call",
    "title": "فراخوان عمومی",
    "description": "معرفی طرح",
    "peopleReached": 40,
}


def _activity() -> Request:
    yesterday = tehran_date(datetime.now(UTC) - timedelta(days=1))
    body = ACTIVITY | {"date": f"{yesterday.year:04d}/{yesterday.month:02d}/{yesterday.day:02d}"}
    return Request(claims("province-officer", province="23"), {"provinceCode": "23"}, body)


def _activities() -> int:
    path, resource = "/provinces/23/outreach-activities", "/provinces/{provinceCode}/outreach-activities"
    page = get("reports", path, resource, HQ_LIST, path_parameters={"provinceCode": "23"}, query={"limit": "100"})
    return len(page["items"])


def _inspector_report() -> Request:
    caller, _, _ = an_inspector()
    return Request(caller, {}, report_body())


def _attachment() -> Request:
    caller, _, _ = an_inspector()
    filed = invoke("reports", api_event("POST", "/reports", body=report_body(), caller=caller))
    assert filed.status == 201, filed.text
    return Request(
        caller,
        {"reportId": filed.json["reportId"]},
        {"fileName": "receipt.jpg", "contentType": "image/jpeg", "sizeBytes": 120_000},
    )


def _attachments() -> int:
    details = [reports_store.get_details(report_id) for report_id in _REPORTS_WITH_ATTACHMENTS]
    return sum(len(found.attachments) for found in details if found)


_REPORTS_WITH_ATTACHMENTS: list[str] = []


def _tracked_attachment() -> Request:
    request = _attachment()
    _REPORTS_WITH_ATTACHMENTS.append(request.path["reportId"])
    return request


def _other(field: str, value: Any) -> Callable[[Any], Any]:
    return lambda body: body | {field: value}


SCENARIOS = [
    Scenario("POST", "/applications", _applicant_request, _applications, _other("firstName", "زینب")),
    Scenario("POST", "/exam/attempts", _exam_candidate, _attempts, None),
    Scenario(
        "POST",
        "/admin/questions",
        lambda: Request(claims("hq-admin"), {}, QUESTION),
        _questions,
        _other("category", "اصناف"),
    ),
    Scenario("POST", "/admin/announcements", _announcement, _announced, _other("provinceCode", "21")),
    Scenario(
        "POST",
        "/provinces/{provinceCode}/inspectors",
        _code_request,
        _codes,
        _other("applicationId", str(uuid.uuid4())),
    ),
    Scenario(
        "POST", "/provinces/{provinceCode}/reports", _officer_report, _province_reports, _other("product", "برنج")
    ),
    Scenario(
        "POST", "/provinces/{provinceCode}/outreach-activities", _activity, _activities, _other("peopleReached", 41)
    ),
    Scenario("POST", "/reports", _inspector_report, _province_reports, _other("product", "برنج")),
    Scenario(
        "POST", "/reports/{reportId}/attachments", _tracked_attachment, _attachments, _other("sizeBytes", 120_001)
    ),
]

# POST routes that create nothing: they move or finish something that exists, so a repeat has nothing
# to duplicate. Most still honour Idempotency-Key (replay), which their own tests prove.
NOT_CREATING = {
    ("POST", "/exam/attempts/{attemptId}/submission"): "grades an existing attempt once (then attempt-submitted)",
    ("POST", "/admin/applications/{applicationId}/rejection"): "moves an application to REJECTED",
    ("POST", "/provinces/{provinceCode}/inspectors/{inspectorCode}/status"): "moves an inspector's status",
    ("POST", "/provinces/{provinceCode}/reports/{reportId}/transitions"): "moves a report's status",
    ("POST", "/reports/{reportId}/attachments/{attachmentId}/completion"): "finalises an attachment already created",
    ("POST", "/provinces/{provinceCode}/monthly-reports/{period}/submission"): "marks a generated period submitted",
    ("POST", "/admin/monthly-reports/{period}/generation"): "regenerates a period's files in place",
}


@pytest.fixture
def creating(aws) -> None:
    _ATTEMPT_TAKERS.clear()
    _REPORTS_WITH_ATTACHMENTS.clear()
    seed_bank()


def test_every_post_route_is_classified():
    posts = {(route.method, route.path) for route in api_routes() if route.method == "POST"}
    creating = {(scenario.method, scenario.path) for scenario in SCENARIOS}
    assert creating.isdisjoint(NOT_CREATING)
    assert posts == creating | set(NOT_CREATING), "classify each new POST route here"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_the_same_key_and_body_replay_the_first_reply_and_store_one_record(creating, scenario):
    # Given a caller's request with an Idempotency-Key
    before = scenario.records()
    request = scenario.request()
    key = str(uuid.uuid4())
    # When it is sent twice
    first = send(scenario, request, key)
    again = send(scenario, request, key)
    # Then the second reply is the first one, and one record was stored
    assert first.status in {200, 201}, first.text
    assert (again.status, again.json) == (first.status, first.json)
    assert scenario.records() == before + 1


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.vary], ids=lambda s: s.id)
def test_the_same_key_with_another_body_is_refused(creating, scenario):
    # Given a request made with a key
    request = scenario.request()
    key = str(uuid.uuid4())
    first = send(scenario, request, key)
    assert first.status in {200, 201}, first.text
    stored = scenario.records()
    # When the key is sent again with another body
    reply = send(scenario, request, key, body=scenario.vary(request.body))
    # Then 422 on the key, and nothing more is stored
    assert reply.status == 422, reply.text
    assert reply.json["type"] == "validation-error"
    assert [error["field"] for error in reply.json["errors"]] == ["Idempotency-Key"]
    assert scenario.records() == stored


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_two_callers_with_the_same_key_each_get_their_own_record(creating, scenario):
    # Given two callers who happen to choose the same key
    key = str(uuid.uuid4())
    before = scenario.records()
    mine, theirs = scenario.request(), scenario.request()
    # When each sends their request with it
    first = send(scenario, mine, key)
    second = send(scenario, theirs, key)
    # Then each request was served on its own: two records, two different replies
    assert first.status in {200, 201} and second.status == first.status, (first.text, second.text)
    assert first.json != second.json
    assert scenario.records() == before + 2


def test_the_bodyless_attempt_route_replays_whatever_body_comes_with_the_key(creating):
    # POST /exam/attempts takes no body (the contract), so no "other body" exists to refuse.
    scenario = next(s for s in SCENARIOS if s.path == "/exam/attempts")
    request = scenario.request()
    key = str(uuid.uuid4())
    first = send(scenario, request, key)
    again = send(scenario, request, key)
    assert first.status == again.status == 201 and first.json["attemptId"] == again.json["attemptId"]
    assert scenario.records() == 1


# ---------------------------------------------------------------- the Lambda context


def test_a_keyed_request_bounds_its_in_progress_record_by_the_invocation_deadline(aws):
    # Given the PutItem of the idempotency layer is watched on the session nazer.aws builds clients from
    written: list[dict[str, Any]] = []

    def watch(params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == idempotency_table():
            written.append(params["Item"])

    session().events.register("before-parameter-build.dynamodb.PutItem", watch, unique_id="watch-idempotency")
    idempotency.reset()
    try:
        request = _applicant_request()
        # When a keyed request is served
        with warnings.catch_warnings(record=True) as raised:
            warnings.simplefilter("always")
            started = datetime.now(UTC).timestamp() * 1000
            reply = send(SCENARIOS[0], request, str(uuid.uuid4()))
    finally:
        session().events.unregister("before-parameter-build.dynamodb.PutItem", unique_id="watch-idempotency")
    # Then Powertools knew the remaining time (no warning), and the in-progress record expires when the
    # invocation would time out (29 s locally), not only with the record's 24 h expiry
    assert reply.status == 201, reply.text
    assert not [w for w in raised if "remaining time" in str(w.message)]
    (record,) = written
    expires = int(record["in_progress_expiration"]["N"])
    assert started + 28_000 <= expires <= started + 29_000 + 5_000


def idempotency_table() -> str:
    from nazer.settings import get_settings

    return get_settings().idempotency_table_name
