"""Officers move reports along the state machine; every move is recorded once, illegal ones refused."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from nazer.auth import caller_from_claims
from nazer.dal import reports as store
from nazer.domain.report_status import REPORT_MOVES, ReportStatus
from nazer.errors import DomainError
from nazer.logic import reports as logic
from nazer.models.reports import ReportIn, TransitionIn
from tests.support.events import api_event
from tests.support.lambdas import invoke
from tests.support.reports_factories import an_inspector, hq, officer, report_body

# The shortest path from RECEIVED to each status.
PATH_TO = {
    ReportStatus.RECEIVED: [],
    ReportStatus.UNDER_REVIEW: ["UNDER_REVIEW"],
    ReportStatus.REFERRED: ["UNDER_REVIEW", "REFERRED"],
    ReportStatus.CONFIRMED: ["UNDER_REVIEW", "CONFIRMED"],
    ReportStatus.UNFOUNDED: ["UNDER_REVIEW", "UNFOUNDED"],
}
ILLEGAL = [(s, t) for s in ReportStatus for t in ReportStatus if t not in REPORT_MOVES[s]]
LEGAL = [(s, t) for s in ReportStatus for t in REPORT_MOVES[s]]


def new_report(now=None):
    caller, code, _ = an_inspector()
    moment = now or datetime.now(UTC)
    body = ReportIn.model_validate(report_body(now=moment))
    return logic.file_report(caller_from_claims(caller), body, None, moment)["body"]["reportId"], caller, code


def move(report_id, status, note=None, caller=None, province="23", headers=None):
    body = {"status": status} | ({"note": note} if note else {})
    event = api_event(
        "POST",
        f"/provinces/{province}/reports/{report_id}/transitions",
        resource="/provinces/{provinceCode}/reports/{reportId}/transitions",
        path_parameters={"provinceCode": province, "reportId": report_id},
        body=body,
        caller=caller or officer(province),
        headers=headers,
    )
    return invoke("reports", event)


def walk_to(report_id, status):
    for step in PATH_TO[status]:
        assert move(report_id, step).status == 200


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_every_legal_move_is_made_and_recorded(aws, source, target):
    report_id, _, _ = new_report()
    walk_to(report_id, source)
    reply = move(report_id, target, note="یادداشت داخلی")
    assert reply.status == 200, reply.text
    view = reply.json
    assert view["status"] == target
    assert view["history"][-1]["status"] == target and view["history"][-1]["note"] == "یادداشت داخلی"
    assert view["history"][-1]["by"] == "officer-23"
    assert len(view["history"]) == len(PATH_TO[source]) + 2
    stored = store.get(report_id)
    if target == "REFERRED":
        assert stored["referredAt"] == view["referredAt"] and view["finalAt"] is None
    if target in ("CONFIRMED", "UNFOUNDED"):
        assert stored["finalAt"] == view["finalAt"] == view["history"][-1]["at"]
        assert view["overdue"] is False


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(aws, source, target):
    report_id, _, _ = new_report()
    walk_to(report_id, source)
    before = store.get_details(report_id)
    reply = move(report_id, target)
    assert reply.status == 409, reply.text
    assert reply.json["type"] == "invalid-state"
    after = store.get_details(report_id)
    assert after.report["status"] == source
    assert len(after.history) == len(before.history)


def test_only_officers_of_the_business_province_move_reports(aws):
    report_id, inspector, _ = new_report()
    assert move(report_id, "UNDER_REVIEW", caller=officer("10")).status == 403
    assert move(report_id, "UNDER_REVIEW", caller=hq()).status == 403
    assert move(report_id, "UNDER_REVIEW", caller=inspector).status == 403
    assert move(report_id, "UNDER_REVIEW", caller=officer("10"), province="10").status == 404
    assert store.get(report_id)["status"] == "RECEIVED"


def test_a_repeated_move_with_its_idempotency_key_returns_the_first_reply(aws):
    report_id, _, _ = new_report()
    key = {"Idempotency-Key": "move-0000000001"}
    first = move(report_id, "UNDER_REVIEW", headers=key)
    again = move(report_id, "UNDER_REVIEW", headers=key)
    assert first.status == again.status == 200 and again.json == first.json
    assert len(store.get_details(report_id).history) == 2
    # without the key, the repeat is an illegal move
    assert move(report_id, "UNDER_REVIEW").status == 409


def test_an_unknown_report_is_404(aws):
    assert move("01J8Z3ZZZZZZZZZZZZZZZZZZZZ", "UNDER_REVIEW").status == 404


def test_two_officers_racing_leave_one_history_entry(served):
    # Given a report under review, in the shared (locked) emulator
    now = datetime.now(UTC) - timedelta(minutes=1)
    report_id, _, _ = new_report(now)
    officer_caller = caller_from_claims(officer())
    logic.transition(officer_caller, "23", report_id, TransitionIn(status=ReportStatus.UNDER_REVIEW), None, now)
    # When two officers move it at the same moment, to different final statuses
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(status: str) -> None:
        other = caller_from_claims(officer() | {"sub": str(uuid.uuid4())})
        barrier.wait()
        try:
            logic.transition(other, "23", report_id, TransitionIn(status=ReportStatus(status)), None, now)
            outcomes.append("moved")
        except DomainError as error:
            outcomes.append(error.slug)

    threads = [threading.Thread(target=decide, args=(s,)) for s in ("CONFIRMED", "UNFOUNDED")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then exactly one won, the other was told the state changed, and one entry was recorded
    assert sorted(outcomes) == ["invalid-state", "moved"]
    details = store.get_details(report_id)
    assert [entry["status"] for entry in details.history][:2] == ["RECEIVED", "UNDER_REVIEW"]
    assert len(details.history) == 3
    assert details.history[-1]["status"] == details.report["status"]


def test_two_writers_with_the_same_snapshot_cannot_both_move_it(served):
    # Given two writers holding the same read of a RECEIVED report
    report_id, _, _ = new_report(datetime.now(UTC) - timedelta(minutes=1))
    snapshot = store.get(report_id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(target: str) -> None:
        barrier.wait()
        try:
            store.move(snapshot, target, "2030-01-01T00:00:00Z", "officer-23", None, {})
            outcomes.append("moved")
        except store.StaleReportError:
            outcomes.append("stale")

    threads = [threading.Thread(target=write, args=("UNDER_REVIEW",)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then the conditional write lets exactly one through
    assert sorted(outcomes) == ["moved", "stale"]
    assert len(store.get_details(report_id).history) == 2


def conflicting_client(monkeypatch, failures):
    """Make the next ``failures`` transactions fail with DynamoDB's TransactionConflict."""
    from botocore.exceptions import ClientError

    from nazer.aws import table

    client = table().meta.client
    real = client.transact_write_items
    calls: list[int] = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) <= failures:
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
                    "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}],
                },
                "TransactWriteItems",
            )
        return real(**kwargs)

    monkeypatch.setattr(client, "transact_write_items", flaky)
    monkeypatch.setattr(store.time, "sleep", lambda _: None)
    return calls


def test_a_transaction_conflict_is_tried_again(aws, monkeypatch):
    report_id, _, _ = new_report()
    calls = conflicting_client(monkeypatch, failures=2)
    reply = move(report_id, "UNDER_REVIEW")
    assert reply.status == 200, reply.text
    assert len(calls) == 3
    assert len(store.get_details(report_id).history) == 2


def test_a_lasting_conflict_is_a_503_and_writes_nothing(aws, monkeypatch):
    report_id, _, _ = new_report()
    conflicting_client(monkeypatch, failures=100)
    reply = move(report_id, "UNDER_REVIEW")
    assert reply.status == 503 and reply.json["type"] == "service-unavailable"
    assert reply.headers["Retry-After"] == "1"
    assert store.get(report_id)["status"] == "RECEIVED"
