"""Faults moto never produces by itself: transaction conflicts, throttling, a winner committing first.

The transaction is intercepted at botocore's ``before-call`` event (what botocore's Stubber uses),
so the code under test sees exactly the ClientError DynamoDB would raise, while every other call
still reaches the emulated table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from nazer.auth import Caller
from nazer.aws import table
from nazer.dal import inspectors as repository
from nazer.domain.backoff import RetryPolicy
from nazer.errors import DomainError
from nazer.logic import inspectors
from nazer.models.inspectors import StatusChangeRequest
from tests.support.factories import put_inspector
from tests.support.inspectors_factories import issue_event, officer, put_application, read_counter, set_counter
from tests.support.lambdas import invoke

NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)
OFFICER = Caller(sub="officer-sub", username="officer-23", groups=frozenset({"province-officer"}), province="23")

Action = Callable[[], Any] | None


def cancelled(*codes: str) -> tuple[AWSResponse, dict[str, Any]]:
    """The reply of a TransactWriteItems that DynamoDB cancelled, with per-item reasons."""
    reasons = [{"Code": code} if code == "None" else {"Code": code, "Message": code} for code in codes]
    parsed = {
        "Error": {"Code": "TransactionCanceledException", "Message": f"Transaction cancelled [{', '.join(codes)}]"},
        "CancellationReasons": reasons,
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    return AWSResponse("https://dynamodb", 400, {}, None), parsed


def failed(code: str, status: int = 400) -> tuple[AWSResponse, dict[str, Any]]:
    parsed = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return AWSResponse("https://dynamodb", status, {}, None), parsed


CONFLICT = ("None", "TransactionConflict", "None", "None", "None")


@pytest.fixture
def transactions(aws) -> Iterator[list[Action]]:
    """A script for the next TransactWriteItems calls, one entry each: None lets the call through; a
    callable runs first and, if it returns a (response, parsed) pair, that is DynamoDB's reply."""
    script: list[Action] = []
    events = table().meta.client.meta.events

    def before_call(**_: Any) -> Any:
        if not script:
            return None
        action = script.pop(0)
        if action is None:
            return None
        result = action()
        return result if isinstance(result, tuple) else None

    events.register("before-call.dynamodb.TransactWriteItems", before_call, unique_id="fault-script")
    yield script
    events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="fault-script")


class Recorder:
    """Fake time: ``sleep`` advances the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def issue(application_id: str, recorder: Recorder, policy: RetryPolicy | None = None) -> inspectors.IssueOutcome:
    return inspectors.issue_inspector_code(
        OFFICER,
        "23",
        application_id,
        NOW,
        retry=policy or RetryPolicy(),
        sleep=recorder.sleep,
        clock=recorder.clock,
        rng=lambda: 0.5,
    )


def test_transaction_conflicts_are_retried_with_growing_jittered_pauses(transactions):
    # Given two transaction conflicts before the write goes through
    application = put_application(table(), province="23", county="20")
    transactions.extend([lambda: cancelled(*CONFLICT), lambda: cancelled(*CONFLICT)])
    recorder = Recorder()
    # When the code is issued
    outcome = issue(application["applicationId"], recorder)
    # Then it took three tries, pausing half of 20 ms then half of 40 ms (rng = 0.5)
    assert outcome.created and outcome.tries == 3
    assert outcome.code.inspector_code == "2320400001"
    assert recorder.pauses == pytest.approx([0.01, 0.02])
    assert read_counter(table(), "23", "20") == 1


@pytest.mark.parametrize(
    "reply",
    [
        lambda: failed("ThrottlingException"),
        lambda: failed("ProvisionedThroughputExceededException"),
        lambda: failed("TransactionInProgressException"),
        lambda: cancelled("ThrottlingError", "None", "None", "None", "None"),
    ],
)
def test_throttling_is_retried_too(transactions, reply):
    application = put_application(table(), province="23", county="21")
    transactions.append(reply)
    outcome = issue(application["applicationId"], Recorder())
    assert outcome.created and outcome.tries == 2


def test_when_the_budget_runs_out_the_caller_is_told_to_retry_and_nothing_is_written(transactions):
    # Given a county where every transaction conflicts
    application = put_application(table(), province="23", county="22")
    transactions.extend([lambda: cancelled(*CONFLICT)] * 500)
    recorder = Recorder()
    policy = RetryPolicy(base_delay=0.05, max_delay=0.5, budget_seconds=3.0, max_tries=500)
    # When the code is issued
    with pytest.raises(DomainError) as raised:
        issue(application["applicationId"], recorder, policy)
    # Then 503 with Retry-After, having waited no longer than the budget
    assert raised.value.slug == "service-unavailable" and raised.value.status == 503
    assert raised.value.headers == {"Retry-After": "2"}
    assert 0 < sum(recorder.pauses) <= 3.0
    # And nothing was written
    assert read_counter(table(), "23", "22") is None
    item = table().get_item(Key={"pk": f"APP#{application['applicationId']}", "sk": "APP"})["Item"]
    assert item["status"] == "APPROVED" and "inspectorCode" not in item


def test_the_handler_answers_503_with_retry_after(transactions, monkeypatch):
    application = put_application(table(), province="23", county="23")
    transactions.extend([lambda: cancelled(*CONFLICT)] * 500)
    monkeypatch.setattr(
        inspectors, "DEFAULT_RETRY", RetryPolicy(base_delay=0.001, max_delay=0.001, budget_seconds=0.02)
    )
    reply = invoke("inspectors", issue_event("23", {"applicationId": application["applicationId"]}, officer("23")))
    assert reply.status == 503
    assert reply.headers["Retry-After"] == "2"
    assert reply.json["type"] == "service-unavailable"


def test_a_counter_moved_by_another_applicant_means_the_next_number(transactions):
    # Given another applicant of the county takes number 1 between our read and our write
    mine, theirs = (put_application(table(), province="23", county="24") for _ in range(2))

    def someone_else_issues_first() -> None:
        # (the script is empty by now, so this write passes straight through)
        items = repository.issue_items(application=theirs, code="2324400001", previous=None, issued_at="t", at=NOW)
        assert repository.write_issue(items).written

    transactions.append(someone_else_issues_first)
    # When our code is issued
    outcome = issue(mine["applicationId"], Recorder())
    # Then we lost number 1 to them and got number 2: no duplicate, no gap
    assert outcome.created and outcome.tries == 2
    assert outcome.code.inspector_code == "2324400002"
    assert read_counter(table(), "23", "24") == 2


def test_a_racing_duplicate_returns_the_winners_code_from_the_cancellation(transactions):
    # Given the same application is issued by a concurrent request between our reads and our write
    application = put_application(table(), province="23", county="25")
    set_counter(table(), "23", "25", 41)

    def the_duplicate_wins() -> None:
        items = repository.issue_items(application=application, code="2325400042", previous=41, issued_at="t", at=NOW)
        assert repository.write_issue(items).written

    transactions.append(the_duplicate_wins)
    # When our request's transaction runs
    outcome = issue(application["applicationId"], Recorder())
    # Then it is told the application has a code, and answers with that code (200), after one try
    assert not outcome.created and outcome.tries == 1
    assert outcome.code.inspector_code == "2325400042"
    assert read_counter(table(), "23", "25") == 42


def test_the_cancellation_carries_the_stored_application():
    # Given a cancellation whose application item failed with the stored item attached (ALL_OLD)
    from botocore.exceptions import ClientError

    _, parsed = cancelled("ConditionalCheckFailed", "None", "None", "ConditionalCheckFailed", "None")
    parsed["CancellationReasons"][3]["Item"] = {
        "applicationId": {"S": "a-1"},
        "inspectorCode": {"S": "2301400009"},
        "examBestScore": {"N": "85"},
    }
    error = ClientError(parsed, "TransactWriteItems")
    # Then the repository reads it back as plain values
    assert repository._reason_item(error, 3) == {
        "applicationId": "a-1",
        "inspectorCode": "2301400009",
        "examBestScore": 85,
    }


# ---------------------------------------------------------------- status changes racing


def change(code: str, status: str) -> inspectors.InspectorDetail:
    request = StatusChangeRequest(status=status, reason="بررسی")
    return inspectors.change_inspector_status(OFFICER, "23", code, request, NOW)


def test_a_status_changed_meanwhile_is_read_again_before_deciding(transactions):
    # Given an active inspector that another officer suspends just before our revocation is written
    put_inspector(code="2330400001")

    def another_officer_suspends() -> None:
        change("2330400001", "SUSPENDED")  # the script is empty now: this write goes through

    transactions.append(another_officer_suspends)
    # When we revoke
    detail = change("2330400001", "REVOKED")
    # Then our first write lost, the second (SUSPENDED → REVOKED) went through
    assert detail.status == "REVOKED"
    assert repository.get("2330400001")["status"] == "REVOKED"


def test_a_move_made_pointless_meanwhile_is_an_invalid_state(transactions):
    put_inspector(code="2330400002")
    transactions.append(lambda: change("2330400002", "SUSPENDED"))
    with pytest.raises(DomainError) as raised:
        change("2330400002", "SUSPENDED")
    assert raised.value.slug == "invalid-state"


def test_an_application_out_of_step_with_its_inspector_is_an_invalid_state(aws):
    # Given an inspector whose application does not mirror its status
    application, _ = put_inspector(code="2330400003")
    table().update_item(
        Key={"pk": application["pk"], "sk": "APP"},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": "REVOKED"},
    )
    # Then the change is refused with nothing written, not retried into a 503
    with pytest.raises(DomainError) as raised:
        change("2330400003", "SUSPENDED")
    assert raised.value.slug == "invalid-state"
    assert repository.get("2330400003")["status"] == "ACTIVE"


def test_persistent_conflicts_on_a_status_change_answer_503(transactions):
    put_inspector(code="2330400004")
    transactions.extend([lambda: cancelled("TransactionConflict", "None")] * 5)
    with pytest.raises(DomainError) as raised:
        change("2330400004", "SUSPENDED")
    assert raised.value.status == 503 and raised.value.headers == {"Retry-After": "1"}
    assert repository.get("2330400004")["status"] == "ACTIVE"
