"""An in-process moto account provisioned from template.yaml, and realistic requests to the main routes.

Shared by bench/latency.py and bench/dynamodb_calls.py (each runs it in a child process of its own).
Every request goes through the function's real handler, in-process, as the local gateway's workers
and the integration tests call it (``tests.support.lambdas.invoke``). Creating POSTs carry an
``Idempotency-Key`` as the contract's clients send it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# As bench/__main__.py sets them, for a child run on its own (before nazer.observability is imported).
for _name, _value in {
    "POWERTOOLS_TRACE_DISABLED": "1",
    "POWERTOOLS_METRICS_NAMESPACE": "Nazer",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}.items():
    os.environ.setdefault(_name, _value)

# One request: the function directory and its API event.
Call = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    """A main route: ``prepare()`` builds a fresh request (not timed); ``status`` is the expected reply."""

    name: str
    prepare: Callable[[], Call]
    status: int


@contextlib.contextmanager
def world() -> Iterator[World]:
    """A fresh emulated account (tables, bucket, user pool from template.yaml) with the exam bank seeded."""
    import boto3
    from moto import mock_aws

    from infra.emulator_transactions import install as install_transactions
    from infra.provision import provision
    from nazer import idempotency
    from nazer.aws import reset_clients
    from nazer.observability import logger, metrics

    logger.setLevel(logging.ERROR)
    # Transactions as the local stack's emulator runs them: moto's own deep-copies every table touched
    # per TransactWriteItems, a cost that grows with the table and would swamp every figure here.
    install_transactions()
    with mock_aws():
        provisioned = provision(boto3.session.Session(region_name="us-east-1"))
        os.environ.update(provisioned.environment)
        reset_clients()
        idempotency.reset()
        metrics.clear_metrics()
        from tests.support.exam_factories import seed_bank

        seed_bank()
        yield World()


def quiet() -> contextlib.AbstractContextManager[Any]:
    """The handlers print their EMF metrics to stdout: keep the child's stdout for its result."""
    return contextlib.redirect_stdout(io.StringIO())


class World:
    """Builders of realistic requests; each creates the state it needs first (untimed)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)
        self.applicants: list[dict[str, str]] = []
        self.attempts: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.inspectors: list[tuple[dict[str, str], str]] = []
        self.reports: list[str] = []
        self._key: dict[str, str] | None = None
        self._last_candidate: dict[str, str] = {}
        self._reports_by_inspector: dict[str, int] = {}

    # ---- helpers

    @staticmethod
    def invoke(call: Call) -> Any:
        from tests.support.lambdas import invoke

        function, event = call
        return invoke(function, event)

    @staticmethod
    def key() -> dict[str, str]:
        return {"Idempotency-Key": str(uuid.uuid4())}

    def answer_key(self) -> dict[str, str]:
        if self._key is None:
            from nazer.dal import questions
            from tests.support.exam_factories import answer_key

            self._key = answer_key(list(questions.iterate_bank()))
        return self._key

    # ---- applicants

    def signup(self) -> Call:
        from tests.support.applications_factories import application_body
        from tests.support.events import api_event, claims

        caller = claims()
        self.applicants.append(caller)
        return "applications", api_event(
            "POST", "/applications", body=application_body(), headers=self.key(), caller=caller
        )

    def my_application(self) -> Call:
        from tests.support.events import api_event

        if not self.applicants:
            self.invoke(self.signup())
        return "applications", api_event("GET", "/applications/me", caller=self.applicants[-1])

    def attempt_start(self) -> Call:
        from tests.support.events import api_event, claims
        from tests.support.exam_factories import put_exam_application

        sub = str(uuid.uuid4())
        put_exam_application("TRAINING", sub=sub)
        caller = claims(sub=sub)
        self._last_candidate = caller
        return "exam", api_event("POST", "/exam/attempts", headers=self.key(), caller=caller)

    def submission(self) -> Call:
        from tests.support.events import api_event
        from tests.support.exam_factories import answers_for

        reply = self.invoke(self.attempt_start())
        assert reply.status == 201, reply.text
        attempt = reply.json
        answers = answers_for(attempt, self.answer_key())
        path = f"/exam/attempts/{attempt['attemptId']}/submission"
        return "exam", api_event(
            "POST",
            path,
            resource="/exam/attempts/{attemptId}/submission",
            path_parameters={"attemptId": attempt["attemptId"]},
            body={"answers": answers},
            headers=self.key(),
            caller=self._last_candidate,
        )

    # ---- the province

    def code_issue(self, county: str = "01") -> Call:
        from nazer.aws import table
        from tests.support.inspectors_factories import issue_event, officer, put_application

        application = put_application(table(), province="23", county=county)
        return "inspectors", issue_event(
            "23", {"applicationId": application["applicationId"]}, officer("23"), self.key()
        )

    def inspector_list(self) -> Call:
        from tests.support.inspectors_factories import list_inspectors_event, officer

        return "inspectors", list_inspectors_event("23", officer("23"), {"limit": "50"})

    # ---- reports

    def _inspector(self) -> tuple[dict[str, str], str]:
        from nazer.domain.reports import DAILY_REPORT_LIMIT
        from tests.support.reports_factories import an_inspector

        if not self.inspectors or self._reports_by_inspector[self.inspectors[-1][1]] >= DAILY_REPORT_LIMIT:
            caller, code, _ = an_inspector()
            self.inspectors.append((caller, code))
            self._reports_by_inspector[code] = 0
        caller, code = self.inspectors[-1]
        self._reports_by_inspector[code] += 1
        return caller, code

    def report_intake(self) -> Call:
        from tests.support.events import api_event
        from tests.support.reports_factories import report_body

        caller, _ = self._inspector()
        return "reports", api_event("POST", "/reports", body=report_body(self.now), headers=self.key(), caller=caller)

    def report_queue(self) -> Call:
        from tests.support.events import api_event
        from tests.support.reports_factories import officer

        return "reports", api_event(
            "GET",
            "/provinces/23/reports",
            resource="/provinces/{provinceCode}/reports",
            path_parameters={"provinceCode": "23"},
            query={"limit": "50"},
            caller=officer("23"),
        )

    def report_transition(self) -> Call:
        from tests.support.events import api_event
        from tests.support.reports_factories import officer

        filed = self.invoke(self.report_intake())
        assert filed.status == 201, filed.text
        report_id = filed.json["reportId"]
        return "reports", api_event(
            "POST",
            f"/provinces/23/reports/{report_id}/transitions",
            resource="/provinces/{provinceCode}/reports/{reportId}/transitions",
            path_parameters={"provinceCode": "23", "reportId": report_id},
            body={"status": "UNDER_REVIEW", "note": "بررسی میدانی برنامه‌ریزی شد"},
            headers=self.key(),
            caller=officer("23"),
        )

    def regions(self) -> Call:
        from tests.support.events import api_event

        return "regions", api_event("GET", "/regions")

    # ---- the monthly generation

    def seed_month(self, reports: int, province: str = "23") -> Any:
        """``reports`` reports of one directorate in the previous month (plus inspectors), batch-written."""
        from nazer.aws import table
        from nazer.jalali import Period
        from tests.support.monthly_factories import inspector_record, report_item

        period = Period.of(self.now).previous()
        start = period.start()
        span = (period.end() - start).total_seconds()
        channels = ("web", "system_124", "in_person", "written")
        statuses = ("RECEIVED", "UNDER_REVIEW", "REFERRED", "CONFIRMED", "UNFOUNDED")
        codes = [f"{province}01400{n:03d}" for n in range(1, 101)]
        with table().batch_writer() as batch:
            for code in codes:
                batch.put_item(Item=inspector_record(code=code, status="ACTIVE", issued_at=start - timedelta(days=40)))
            for n in range(reports):
                received = start + timedelta(seconds=span * (n + 0.5) / reports)
                batch.put_item(
                    Item=report_item(
                        province=province,
                        county=f"{1 + n % 20:02d}",
                        received_at=received,
                        inspector_code=codes[n % len(codes)],
                        channel=channels[n % len(channels)],
                        status=statuses[n % len(statuses)],
                    )
                )
        return period

    def operations(self) -> list[Operation]:
        return [
            Operation("GET /regions", self.regions, 200),
            Operation("POST /applications (signup)", self.signup, 201),
            Operation("GET /applications/me", self.my_application, 200),
            Operation("POST /exam/attempts", self.attempt_start, 201),
            Operation("POST /exam/attempts/{id}/submission", self.submission, 200),
            Operation("POST /provinces/{p}/inspectors (code)", self.code_issue, 201),
            Operation("GET /provinces/{p}/inspectors", self.inspector_list, 200),
            Operation("POST /reports (intake)", self.report_intake, 201),
            Operation("GET /provinces/{p}/reports", self.report_queue, 200),
            Operation("POST /provinces/{p}/reports/{id}/transitions", self.report_transition, 200),
        ]
