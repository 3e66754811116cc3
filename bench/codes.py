"""Inspector codes under contention: tries per code and codes per second on one county.

Callers are threads calling the issuing logic directly (not HTTP) against a locked moto server
(``infra.emulator.Emulator``), each applicant issued once. The emulator executes one request at a
time, so its codes/second is a floor set by moto, not by DynamoDB (where a county's rate is bounded
by one transaction's latency, ~10–20 ms); tries per code is the figure that carries over: it is
how much work contention adds.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import boto3

from bench.table import Row

PROVINCE = "07"
RUNS = ((1, 30), (4, 60), (16, 80))  # (concurrent callers, codes issued)


def measure() -> list[Row]:
    from infra.emulator import Emulator
    from infra.provision import provision
    from nazer.aws import reset_clients
    from nazer.observability import logger as service_logger

    saved = dict(os.environ)
    # Quiet while measuring: the emulator's request log, the service's warnings (group grants fail:
    # the applicants have no Cognito users here) and the metrics printed to stdout.
    quiet: list[Any] = [logging.getLogger("werkzeug"), service_logger]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    emulator = Emulator(port=0).start()
    os.environ["AWS_ENDPOINT_URL"] = emulator.endpoint
    try:
        provisioned = provision(boto3.session.Session(region_name="us-east-1"))
        os.environ.update(provisioned.environment)
        reset_clients()
        rows: list[Row] = []
        exact = True
        for index, (callers, count) in enumerate(RUNS):
            county = f"{index + 1:02d}"
            result = _run(callers, count, county)
            exact &= result["exact"]
            tries = result["tries"]
            rows.append(
                Row(
                    "codes",
                    f"tries per code, {callers} caller{'s' if callers > 1 else ''}, one county",
                    f"{statistics.mean(tries):.2f} (max {max(tries)})",
                    "1 alone; retry budget 10 s / 60 tries",
                    f"{count} codes; {result['busy']} × 503 retried",
                )
            )
            rows.append(
                Row(
                    "codes",
                    f"codes/second, {callers} caller{'s' if callers > 1 else ''}, one county",
                    f"{count / result['seconds']:.1f}",
                    "",
                    "locked moto server: one call at a time",
                )
            )
        rows.append(
            Row(
                "codes",
                "codes issued, all runs",
                "exact" if exact else "DUPLICATE OR GAP",
                "exact",
                "no duplicate, no gap",
            )
        )
        return rows
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
        emulator.stop()
        os.environ.clear()
        os.environ.update(saved)
        reset_clients()


def _run(callers: int, count: int, county: str) -> dict[str, Any]:
    from nazer.auth import Caller
    from nazer.aws import table
    from nazer.errors import DomainError
    from nazer.logic.inspectors import issue_inspector_code
    from tests.support.inspectors_factories import put_applications, read_counter

    officer = Caller(sub="bench", username="bench", groups=frozenset({"province-officer"}), province=PROVINCE)
    applications = [app["applicationId"] for app in put_applications(table(), count, province=PROVINCE, county=county)]
    now = datetime.now(UTC)
    busy = 0

    def issue(application_id: str) -> tuple[str, int]:
        nonlocal busy
        while True:
            try:
                outcome = issue_inspector_code(officer, PROVINCE, application_id, now)
                return outcome.code.inspector_code, outcome.tries
            except DomainError as error:
                if error.slug != "service-unavailable":
                    raise
                busy += 1  # what a client does with 503 + Retry-After (here without waiting)

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), ThreadPoolExecutor(max_workers=callers) as pool:
        results = list(pool.map(issue, applications))
    seconds = time.perf_counter() - started
    codes = sorted(code for code, _ in results)
    expected = [f"{PROVINCE}{county}40{n:04d}" for n in range(1, count + 1)]
    return {
        "tries": [tries for _, tries in results],
        "seconds": seconds,
        "busy": busy,
        "exact": codes == expected and read_counter(table(), PROVINCE, county) == count,
    }
