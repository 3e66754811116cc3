"""Faults of DynamoDB, S3 and Cognito, injected at botocore's hooks, against the real handlers.

Each fault is a reply (or an exception) at ``before-call`` / ``after-call`` on the session
``nazer.aws`` builds its clients from (tests/support/faults.py), so the code under test meets what
AWS would answer once the SDK's own retries gave up, and everything else reaches moto.
tests/integration/test_inspectors_faults.py holds the single-transaction retry rules of code
issuance; tests/integration/test_monthly_reports_generation.py a failure while staging one file.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import threading
import types
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from infra.lambda_worker import LocalContext
from nazer import idempotency
from nazer.auth import Caller
from nazer.aws import cognito_client, reset_clients, s3_client, session, table
from nazer.dal import inspectors as inspectors_store
from nazer.dal import monthly_reports as monthly_store
from nazer.domain.backoff import RetryPolicy
from nazer.jalali import Period
from nazer.logic import inspectors, monthly_reports
from nazer.regions import regions
from nazer.settings import get_settings
from tests.integration import monthly_scenario as scenario
from tests.support.events import api_event
from tests.support.faults import Faults, cancelled, error
from tests.support.inspectors_factories import issue_event, officer, put_application, put_applications, read_counter
from tests.support.lambdas import invoke, raw_handler

NOW = dt.datetime(2024, 9, 26, 6, 30, tzinfo=UTC)
CONFLICT = cancelled("None", "TransactionConflict", "None", "None", "None")
THROTTLED_ITEM = cancelled("ThrottlingError", "None", "None", "None", "None")


@pytest.fixture
def faults(aws) -> Iterator[Faults]:
    """Hooks on a fresh nazer.aws session: every client (table, idempotency, S3, Cognito) carries them."""
    reset_clients()
    idempotency.reset()
    plan = Faults()
    plan.install(session())
    yield plan


@pytest.fixture
def fast_retries(monkeypatch) -> None:
    # The issuing loop's pauses, shortened (the policy is configuration, not the code under test).
    monkeypatch.setattr(inspectors, "DEFAULT_RETRY", RetryPolicy(base_delay=0.0005, max_delay=0.002))


def issue(application_id: str, key: str | None = None, caller: dict[str, str] | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return invoke("inspectors", issue_event("23", {"applicationId": application_id}, caller or OFFICER, headers))


OFFICER = officer("23", sub="officer-23-faults")


def application_item(application_id: str) -> dict[str, Any]:
    return table().get_item(Key={"pk": f"APP#{application_id}", "sk": "APP"}, ConsistentRead=True)["Item"]


def county_codes(applications: list[dict[str, Any]]) -> list[str]:
    return sorted(str(application_item(a["applicationId"]).get("inspectorCode")) for a in applications)


# ---------------------------------------------------------------- code issuance under DynamoDB faults


def test_throttling_and_conflicts_across_a_county_leave_no_gap_and_no_duplicate(faults, fast_retries):
    # Given six approved applicants of one county, and a DynamoDB that throttles and conflicts
    applicants = [put_application(table(), province="23", county="31") for _ in range(6)]
    faults.before["dynamodb.TransactWriteItems"] += [
        CONFLICT,
        error("ProvisionedThroughputExceededException"),
        None,
        THROTTLED_ITEM,
        CONFLICT,
        CONFLICT,
        None,
        error("ThrottlingException"),
        None,
        error("TransactionConflictException"),
        None,
        error("InternalServerError", 500),
    ]
    # When the officer issues each code once
    replies = [issue(a["applicationId"]) for a in applicants]
    # Then every request got its code, in county order, with nothing skipped or repeated
    assert [r.status for r in replies] == [201] * 6, [r.text for r in replies]
    expected = [f"233140{n:04d}" for n in range(1, 7)]
    assert [r.json["inspectorCode"] for r in replies] == expected
    assert county_codes(applicants) == expected
    assert read_counter(table(), "23", "31") == 6
    assert all(inspectors_store.get(code)["status"] == "ACTIVE" for code in expected)
    assert faults.calls["dynamodb.TransactWriteItems"] >= 12


def test_threads_meeting_random_faults_still_issue_one_gapless_sequence(served):
    # Given 24 applicants of Semnan (20), county 09, and a DynamoDB that, at random, throttles or
    # conflicts a third of the transactions and loses the reply of a fifth of those that commit
    applications = put_applications(table(), 24, province="20", county="09")
    requests = [application["applicationId"] for application in applications] * 2
    random.Random(11).shuffle(requests)
    chance, lock = random.Random(3), threading.Lock()
    refusals = [CONFLICT, THROTTLED_ITEM, error("ThrottlingException"), error("TransactionConflictException")]
    counted = Counter[str]()

    def refuse(**_: Any) -> Any:
        with lock:
            if chance.random() < 1 / 3:
                counted["refused"] += 1
                return refusals[chance.randrange(len(refusals))]()
        return None

    def lose_reply(http_response: Any, **_: Any) -> None:
        with lock:
            lost = http_response.status_code == 200 and chance.random() < 1 / 5
            counted["lost"] += lost
        if lost:
            raise ReadTimeoutError(endpoint_url="https://dynamodb.invalid/")

    reset_clients()
    session().events.register("before-call.dynamodb.TransactWriteItems", refuse)
    session().events.register("after-call.dynamodb.TransactWriteItems", lose_reply)
    caller = Caller(sub="officer-20", username="officer-20", groups=frozenset({"province-officer"}), province="20")
    patient = RetryPolicy(budget_seconds=120, max_tries=500)

    # When 8 threads issue each applicant's code twice
    def issue_code(application_id: str) -> tuple[str, str]:
        outcome = inspectors.issue_inspector_code(caller, "20", application_id, NOW, retry=patient)
        return application_id, outcome.code.inspector_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(issue_code, requests))

    # Then faults happened, and still each applicant has one code, the same in both answers...
    assert counted["refused"] > 0 and counted["lost"] > 0
    codes: dict[str, set[str]] = defaultdict(set)
    for application_id, code in outcomes:
        codes[application_id].add(code)
    assert all(len(held) == 1 for held in codes.values())
    # ...and the county's codes are exactly 2009400001 … 2009400024
    assert {next(iter(held)) for held in codes.values()} == {f"200940{n:04d}" for n in range(1, 25)}
    assert read_counter(table(), "20", "09") == 24
    for application_id, held in codes.items():
        assert application_item(application_id)["inspectorCode"] == next(iter(held))


def test_a_throttled_read_is_a_503_to_retry_and_the_retry_takes_the_next_number(faults, fast_retries):
    # Given DynamoDB throttles the read of the county counter (past the SDK's own retries)
    application = put_application(table(), province="23", county="32")
    faults.before["dynamodb.GetItem"] += [None, error("ProvisionedThroughputExceededException")]
    # When the code is asked for
    first = issue(application["applicationId"])
    # Then the caller is told to come back (not a 500), and nothing was written
    assert first.status == 503, first.text
    assert first.json["type"] == "service-unavailable" and first.headers["Retry-After"]
    assert read_counter(table(), "23", "32") is None
    # And the retry issues number 1
    again = issue(application["applicationId"])
    assert again.status == 201 and again.json["inspectorCode"] == "2332400001"


def test_a_timeout_after_the_transaction_committed_answers_with_the_code_it_wrote(faults, fast_retries):
    # Given the issuing transaction commits but its reply is lost (a read timeout, past the SDK's retries)
    application = put_application(table(), province="23", county="33")

    def lost_reply() -> None:
        raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com/")

    faults.after["dynamodb.TransactWriteItems"].append(lost_reply)
    key = str(uuid.uuid4())
    # When the code is issued with a key
    first = issue(application["applicationId"], key)
    # Then the request finds out what it wrote: that code, once
    assert first.status == 200, first.text
    assert first.json["inspectorCode"] == "2333400001"
    assert read_counter(table(), "23", "33") == 1
    # And the client's retry with the same key gets the same reply
    again = issue(application["applicationId"], key)
    assert (again.status, again.json) == (200, first.json)


class InvocationKilled(BaseException):
    """Lambda ending the invocation (its timeout): no handler code runs after it, nothing is caught."""


def later(monkeypatch, delta: timedelta) -> None:
    """Move the idempotency store's clock on by ``delta`` (Powertools reads datetime.now there)."""
    from aws_lambda_powertools.utilities.idempotency.persistence import dynamodb as powertools_store

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Any:
            return dt.datetime.now(tz) + delta

    monkeypatch.setattr(powertools_store, "dt", types.SimpleNamespace(datetime=Later, timedelta=dt.timedelta))


def test_a_retry_after_the_function_timed_out_past_its_commit_returns_the_same_code(faults, monkeypatch):
    # Given an invocation killed by its timeout right after the issuing transaction committed
    application = put_application(table(), province="23", county="34")

    def killed() -> None:
        raise InvocationKilled

    faults.after["dynamodb.TransactWriteItems"].append(killed)
    key = str(uuid.uuid4())
    event = issue_event("23", {"applicationId": application["applicationId"]}, OFFICER, {"Idempotency-Key": key})
    handler = raw_handler("inspectors")
    with pytest.raises(InvocationKilled):
        handler(event, LocalContext("inspectors", timeout_seconds=29))
    assert application_item(application["applicationId"])["inspectorCode"] == "2334400001"
    # When the client retries with the same key once API Gateway has answered 504 (the function's 29 s are over)
    later(monkeypatch, timedelta(seconds=30))
    again = invoke(
        "inspectors",
        issue_event("23", {"applicationId": application["applicationId"]}, OFFICER, {"Idempotency-Key": key}),
    )
    # Then it is served (not "still in progress" for 24 h): the code written, 200, nothing more issued
    assert again.status == 200, again.text
    assert again.json["inspectorCode"] == "2334400001"
    assert read_counter(table(), "23", "34") == 1


def test_a_retry_while_the_first_invocation_may_still_run_is_told_to_wait(faults):
    # Given an invocation that was killed moments ago (its deadline has not passed yet)
    application = put_application(table(), province="23", county="35")

    def killed() -> None:
        raise InvocationKilled

    faults.after["dynamodb.TransactWriteItems"].append(killed)
    key = str(uuid.uuid4())
    event = issue_event("23", {"applicationId": application["applicationId"]}, OFFICER, {"Idempotency-Key": key})
    with pytest.raises(InvocationKilled):
        raw_handler("inspectors")(event, LocalContext("inspectors", timeout_seconds=29))
    # When the same key comes back at once
    again = issue(application["applicationId"], key)
    # Then 409 with Retry-After: the first invocation might still answer
    assert again.status == 409 and again.headers["Retry-After"] == "1", again.text


# ---------------------------------------------------------------- Cognito fails after the code is issued


def pool_user(username: str) -> None:
    cognito_client().admin_create_user(
        UserPoolId=get_settings().user_pool_id, Username=username, MessageAction="SUPPRESS"
    )


def groups_of(username: str) -> set[str]:
    reply = cognito_client().admin_list_groups_for_user(UserPoolId=get_settings().user_pool_id, Username=username)
    return {group["GroupName"] for group in reply["Groups"]}


@pytest.mark.parametrize(
    "outage",
    [
        error("TooManyRequestsException"),
        error("InternalErrorException", 500),
        lambda: (_ for _ in ()).throw(EndpointConnectionError(endpoint_url="https://cognito-idp.invalid/")),
    ],
    ids=["throttled", "internal-error", "unreachable"],
)
def test_a_cognito_outage_keeps_the_code_and_the_repair_command_grants_the_group(faults, capsys, outage):
    from infra.repair_inspector_groups import main as repair

    # Given an approved applicant with a Cognito user, and Cognito failing to add users to groups
    pool_user("+989121150001")
    application = put_application(table(), province="23", county="36", username="+989121150001")
    faults.outage("cognito-identity-provider.AdminAddUserToGroup", outage)
    # When the code is issued
    reply = issue(application["applicationId"])
    # Then the code stands: 201, the application ACTIVE, the inspector recorded; only the group is missing
    assert reply.status == 201, reply.text
    code = reply.json["inspectorCode"]
    assert application_item(application["applicationId"])["status"] == "ACTIVE"
    assert inspectors_store.get(code)["status"] == "ACTIVE"
    assert groups_of("+989121150001") == set()
    assert "InspectorGroupSyncFailed" in capsys.readouterr().out
    # And a repair during the outage fails loudly (exit status 1) and changes nothing
    assert repair(["--province", "23"]) == 1
    assert "province 23: 1 inspectors checked, 1 failed" in capsys.readouterr().out
    # When Cognito is back and the repair command runs
    faults.heal("cognito-identity-provider.AdminAddUserToGroup")
    assert repair(["--province", "23"]) == 0
    # Then the inspector is in the group, with the same code
    assert groups_of("+989121150001") == {"inspector"}
    assert application_item(application["applicationId"])["inspectorCode"] == code
    assert read_counter(table(), "23", "36") == 1


# ---------------------------------------------------------------- S3 fails while the monthly files are made

PERIOD = Period.parse("1403-07")
DAY_1 = PERIOD.end() + timedelta(hours=1)  # 1403/08/01 01:00 Tehran: the schedule generates 1403-07
DAY_2 = DAY_1 + timedelta(days=1)


def run_schedule(monkeypatch, instant: dt.datetime) -> dict[str, Any]:
    handler = raw_handler("monthly_schedule")
    monkeypatch.setattr(sys.modules[handler.__module__], "clock", lambda: instant)
    result: dict[str, Any] = handler({}, LocalContext("schedule"))
    return result


def versions(key: str) -> list[dict[str, Any]]:
    reply = s3_client().list_object_versions(Bucket=get_settings().bucket_name, Prefix=key)
    return [v for v in reply.get("Versions", []) if v["Key"] == key]


def staging_left() -> list[str]:
    reply = s3_client().list_objects_v2(Bucket=get_settings().bucket_name, Prefix=f"reports/{PERIOD}/")
    return [item["Key"] for item in reply.get("Contents", []) if "/.staging/" in item["Key"]]


def file_link(province: str, file_format: str) -> Any:
    event = api_event(
        "GET",
        f"/provinces/{province}/monthly-reports/{PERIOD}/file",
        resource="/provinces/{provinceCode}/monthly-reports/{period}/file",
        path_parameters={"provinceCode": province, "period": str(PERIOD)},
        query={"format": file_format},
        caller=officer(province),
    )
    return invoke("monthly_reports", event)


def test_an_s3_failure_mid_run_fails_the_run_and_the_next_day_completes_it(faults, monkeypatch):
    # Given a month of activity, and S3 failing on the 8th upload: the 3rd directorate's CSV
    scenario.seed()
    faults.before["s3.PutObject"] += [None] * 7 + [error("InternalError", 500)]
    # When the day-1 run generates the period
    with pytest.raises(Exception) as raised:
        run_schedule(monkeypatch, DAY_1)
    # Then the run failed loudly (the invocation is retried, then dead-lettered)...
    assert getattr(raised.value, "response", {}).get("Error", {}).get("Code") == "InternalError"
    # ...the directorates done before the fault are whole, the third has nothing, the period is not generated
    records, national = monthly_store.period_records(PERIOD)
    assert national is None
    assert len(records) == 2 and all(set(r["files"]) == {"xlsx", "csv", "json"} for r in records.values())
    third = regions().province_codes()[2]
    assert third not in records
    assert file_link(third, "xlsx").status == 404
    assert staging_left() == []
    # When the next day's run comes (the period is still missing, so it is due)
    summary = run_schedule(monkeypatch, DAY_2)
    # Then it completes every directorate and the national record
    assert summary["action"] == "generated" and summary["provinces"] == 32
    records, national = monthly_store.period_records(PERIOD)
    assert len(records) == 32 and national is not None
    assert json.loads(monthly_store.read_file(records["23"]["files"]["json"]["key"]))["totals"]["reportsReceived"] == 9


def test_an_s3_failure_between_the_copies_never_mixes_two_runs_in_the_links(faults, monkeypatch):
    # Given a period generated once
    scenario.seed()
    monthly_reports.generate_period(PERIOD, DAY_1, provinces=["23"])
    before = monthly_store.get_record(PERIOD, "23")
    first_xlsx = versions(before["files"]["xlsx"]["key"])
    assert len(first_xlsx) == 1 and before["files"]["xlsx"]["versionId"] == first_xlsx[0]["VersionId"]
    # And new activity, and S3 failing on the second copy into place (the workbook is already replaced)
    scenario.put_report(
        province="23", county="02", received_at=scenario.S + 2 * scenario.DAY, inspector_code="2302400001"
    )
    faults.before["s3.CopyObject"] += [None, error("SlowDown", 503)]
    # When the period is generated again
    with pytest.raises(Exception) as raised:
        monthly_reports.generate_period(PERIOD, DAY_2, provinces=["23"])
    assert getattr(raised.value, "response", {}).get("Error", {}).get("Code") == "SlowDown"
    # Then the record still names the first run's versions of all three files...
    assert monthly_store.get_record(PERIOD, "23") == before
    assert len(versions(before["files"]["xlsx"]["key"])) == 2  # the new workbook landed, unreferenced
    # ...so every link serves the first run's files, never a workbook of one run and a CSV of another
    for fmt in ("xlsx", "csv", "json"):
        link = file_link("23", fmt)
        assert link.status == 200
        assert f"versionId={before['files'][fmt]['versionId']}" in link.json["url"]
    first_json = (
        s3_client()
        .get_object(
            Bucket=get_settings().bucket_name,
            Key=before["files"]["json"]["key"],
            VersionId=before["files"]["json"]["versionId"],
        )["Body"]
        .read()
    )
    assert json.loads(first_json)["totals"]["reportsReceived"] == 9
    assert staging_left() == []
    # When the next run succeeds, the links move to its files together
    monthly_reports.generate_period(PERIOD, DAY_2, provinces=["23"])
    after = monthly_store.get_record(PERIOD, "23")
    assert all(after["files"][fmt]["versionId"] != before["files"][fmt]["versionId"] for fmt in ("xlsx", "csv", "json"))
    assert json.loads(monthly_store.read_file(after["files"]["json"]["key"]))["totals"]["reportsReceived"] == 10
