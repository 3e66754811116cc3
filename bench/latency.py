"""Warm latency of the main routes, in-process against moto, next to a bare ``put_item`` on the same moto.

A child process provisions an in-process moto account from template.yaml and calls each route's
real handler (``tests.support.lambdas.invoke``, as the local gateway's workers do) with realistic
bodies: a few warm-up calls, then ``CALLS`` timed calls, each with fresh state built untimed first
(a new applicant, attempt, application to issue, report…). The floor is a ~1 KB ``put_item`` on
the same moto through the same boto3 Table. Routes make several requests, some of which cost moto
far more than a put_item (a Query rescans and deep-copies the table and moto serialises every item
of the reply), so each call is also split at botocore's ``before-call`` / ``after-call`` hooks into
the time inside the SDK and moto and the rest — ours: handler, validation, Powertools, logic,
request building — which is the part that carries over to Lambda.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.table import Row

ROOT = Path(__file__).resolve().parent.parent
CALLS = 50
WARM_UP = 3
# Our share of a warm call (outside the SDK and moto) must stay under this: docs/performance.md.
OURS_P95_BUDGET_MS = 50
# Fewer calls where moto is slow to answer, to keep `make bench` under 10 minutes on 2 cores.
CALLS_OF = {
    name: 25
    for name in (
        "POST /exam/attempts",
        "POST /exam/attempts/{id}/submission",
        "GET /provinces/{p}/inspectors",
        "POST /reports (intake)",
        "GET /provinces/{p}/reports",
    )
}


def measure() -> list[Row]:
    result = _run_child()
    floor = result["floor"]
    rows = [
        Row(
            "latency",
            "floor: bare put_item on moto",
            f"p50 {floor['p50']:.1f} ms, p95 {floor['p95']:.1f} ms",
            "",
            f"{CALLS} calls, in-process moto",
        )
    ]
    for name, figures in result["routes"].items():
        rows.append(
            Row(
                "latency",
                name,
                f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms",
                f"{figures['p50'] / floor['p50']:.0f}× floor (p50); ours p95 ≤ {OURS_P95_BUDGET_MS} ms "
                + ("OK" if figures["ours"]["p95"] <= OURS_P95_BUDGET_MS else "OVER"),
                f"ours p50 {figures['ours']['p50']:.1f} ms, p95 {figures['ours']['p95']:.1f} ms; "
                f"{figures['requests']} AWS requests; {figures['calls']} warm calls"
                + (" (trimmed: moto is slow here)" if figures["calls"] < CALLS else ""),
            )
        )
    return rows


def _run_child() -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT)])
    env.pop("AWS_ENDPOINT_URL", None)
    reply = subprocess.run(
        [sys.executable, "-m", "bench.latency", "--child"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if reply.returncode != 0:
        raise RuntimeError(f"latency child failed:\n{reply.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(reply.stdout.strip().splitlines()[-1])
    return result


def summary(samples: list[float]) -> dict[str, float]:
    """Median and 95th percentile, in milliseconds."""
    ms = [sample * 1000 for sample in samples]
    return {"p50": statistics.median(ms), "p95": statistics.quantiles(ms, n=20, method="inclusive")[18]}


class SdkClock:
    """Time spent between botocore's before-call and after-call (the SDK and moto), per request."""

    def __init__(self) -> None:
        self.started: list[float] = []
        self.seconds = 0.0
        self.requests = 0

    def before(self, **_: Any) -> None:
        self.started.append(time.perf_counter())

    def after(self, **_: Any) -> None:
        self.seconds += time.perf_counter() - self.started.pop()
        self.requests += 1

    def reset(self) -> None:
        self.started.clear()
        self.seconds = 0.0
        self.requests = 0


def _child() -> dict[str, Any]:
    from bench._world import quiet, world
    from nazer import idempotency
    from nazer.aws import reset_clients, session, table

    with world() as w, quiet():
        # Hooks on the session nazer.aws builds every client from, registered before any is built.
        reset_clients()
        idempotency.reset()
        sdk = SdkClock()
        session().events.register("before-call", sdk.before)
        session().events.register("after-call", sdk.after)

        item = {
            "pk": "",
            "sk": "BENCH",
            "type": "bench",
            "payload": "ن" * 400,  # ~1 KB, the size of an application or a report
            "createdAt": w.now.isoformat(),
        }
        samples: list[float] = []
        for index in range(WARM_UP + CALLS):
            key = {"pk": f"BENCH#{uuid.uuid4()}"}
            began = time.perf_counter()
            table().put_item(Item=item | key)
            if index >= WARM_UP:
                samples.append(time.perf_counter() - began)
        floor = summary(samples)

        routes: dict[str, Any] = {}
        for operation in w.operations():
            calls = CALLS_OF.get(operation.name, CALLS)
            samples, ours = [], []
            requests = 0
            for index in range(WARM_UP + calls):
                call = operation.prepare()
                sdk.reset()
                began = time.perf_counter()
                reply = w.invoke(call)
                elapsed = time.perf_counter() - began
                if reply.status != operation.status:
                    raise AssertionError(f"{operation.name}: {reply.status} {reply.text[:500]}")
                if index >= WARM_UP:
                    samples.append(elapsed)
                    ours.append(elapsed - sdk.seconds)
                    requests = sdk.requests
            routes[operation.name] = summary(samples) | {"ours": summary(ours), "requests": requests, "calls": calls}
    return {"floor": floor, "routes": routes}


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(_child()))
    else:
        from bench.table import render

        print(render(measure()))
