"""DynamoDB requests per operation, counted at botocore's ``before-call.dynamodb`` hook.

The hook sits on the boto3 session ``nazer.aws`` builds every client from (the application table's,
the idempotency layer's), registered before any client exists, so every request the code makes is
seen — the SDK's own retries excepted (none happen on moto). A child process runs each operation
``RUNS`` times through the real handler against in-process moto (bench/_world.py), with an
``Idempotency-Key`` on creating POSTs as clients send it; the idempotency table's requests are
shown apart. The monthly row generates one directorate-month of ``MONTH_REPORTS`` reports (100
inspectors, 20 counties) exactly as the schedule does, national roll-up included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.table import Row

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
MONTH_REPORTS = 1_000

# The operations of issue 9 and the World builder of each request.
OPERATIONS = {
    "signup (POST /applications)": "signup",
    "attempt start (POST /exam/attempts)": "attempt_start",
    "submission (POST /exam/attempts/{id}/submission)": "submission",
    "code issue (POST /provinces/{p}/inspectors)": "code_issue",
    "report intake (POST /reports)": "report_intake",
}
# What each operation must cost at most (requests, idempotency included): docs/performance.md.
BUDGETS = {
    "signup (POST /applications)": 3,
    "attempt start (POST /exam/attempts)": 7,
    "submission (POST /exam/attempts/{id}/submission)": 6,
    "code issue (POST /provinces/{p}/inspectors)": 5,
    "report intake (POST /reports)": 7,
}
# One directorate-month: a fixed 7 requests, plus one Query page per further ~1 MB of its reports.
MONTH_BUDGET = 7


def measure() -> list[Row]:
    result = _run_child()
    rows: list[Row] = []
    for name, counted in result["operations"].items():
        totals = counted["totals"]
        low, high = min(totals), max(totals)
        value = f"{low}" if low == high else f"{low}–{high}"
        budget = BUDGETS[name]
        rows.append(
            Row(
                "dynamodb",
                f"requests: {name}",
                value,
                f"≤ {budget} {'OK' if high <= budget else 'OVER'}",
                _breakdown(counted["last"]),
            )
        )
    month = result["month"]
    rows.append(
        Row(
            "dynamodb",
            f"requests: one directorate-month, {month['reports'] // 1000}k reports",
            str(month["total"]),
            f"≤ {MONTH_BUDGET} {'OK' if month['total'] <= MONTH_BUDGET else 'OVER'}",
            _breakdown(month["counts"]) + f"; {month['reportPages']} report Query pages",
        )
    )
    return rows


def _breakdown(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _run_child() -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT)])
    env.pop("AWS_ENDPOINT_URL", None)
    reply = subprocess.run(
        [sys.executable, "-m", "bench.dynamodb_calls", "--child"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if reply.returncode != 0:
        raise RuntimeError(f"dynamodb_calls child failed:\n{reply.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(reply.stdout.strip().splitlines()[-1])
    return result


class RequestCounter:
    """Counts DynamoDB requests by operation, the idempotency table's apart."""

    def __init__(self, idempotency_table: str) -> None:
        self.idempotency_table = idempotency_table
        self.counts: Counter[str] = Counter()
        self.report_pages = 0  # Query pages of a province's reports (the partition that grows)
        self.active = False

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if not self.active:
            return
        body = json.loads(params.get("body") or b"{}")
        name = model.name
        if body.get("TableName") == self.idempotency_table:
            name += " (idempotency)"
        if name == "Query" and "REPPROV#" in json.dumps(body.get("ExpressionAttributeValues") or {}):
            self.report_pages += 1
        self.counts[name] += 1

    def measure(self, action: Any) -> dict[str, int]:
        self.counts.clear()
        self.report_pages = 0
        self.active = True
        try:
            action()
        finally:
            self.active = False
        return dict(self.counts)


def _child() -> dict[str, Any]:
    from bench._world import quiet, world
    from nazer.aws import session
    from nazer.settings import get_settings

    with world() as w, quiet():
        counter = RequestCounter(get_settings().idempotency_table_name)
        # Registered before any client of nazer.aws exists: clients copy the session's hooks when built.
        from nazer import idempotency
        from nazer.aws import reset_clients

        reset_clients()
        idempotency.reset()
        session().events.register("before-call.dynamodb", counter)

        operations: dict[str, Any] = {}
        for name, builder in OPERATIONS.items():
            totals: list[int] = []
            last: dict[str, int] = {}
            for _ in range(RUNS):
                call = getattr(w, builder)()

                def send(call: Any = call, name: str = name) -> None:
                    reply = w.invoke(call)
                    if reply.status not in (200, 201):
                        raise AssertionError(f"{name}: {reply.status} {reply.text[:500]}")

                last = counter.measure(send)
                totals.append(sum(last.values()))
            operations[name] = {"totals": totals, "last": last}

        from nazer.logic import monthly_reports

        period = w.seed_month(MONTH_REPORTS)
        now = period.end() + timedelta(hours=1)
        month = counter.measure(lambda: monthly_reports.generate_period(period, now, provinces=["23"]))
    return {
        "operations": operations,
        "month": {
            "reports": MONTH_REPORTS,
            "total": sum(month.values()),
            "counts": month,
            "reportPages": counter.report_pages,
        },
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(_child()))
    else:
        from bench.table import render

        print(render(measure()))
