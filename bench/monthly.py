"""Monthly report generation: time and peak memory for 10k and 100k reports in one directorate-month.

Each size runs in its own subprocess with in-process moto: one directorate is generated exactly
as the scheduled run does (Queries, tally, workbook, CSV, JSON, S3, record). The bulk Query
partitions (the month's reports, plus a tenth more of the month before, and the inspectors) are
answered by :class:`QueryPages` in front of moto, whose own Query is too slow for 100k items.
Time is split into the page server's share and ours (which includes botocore parsing and boto3
deserialising every page, as in Lambda); memory is the larger of the process's peak resident
size during the generation above what it held before, and the peak heap tracemalloc traces in a
second generation of the same inputs, added to the resident size of a cold function process
(runtime, boto3, Powertools, xlsxwriter and our layer imported) for the 512 MB budget.
"""

from __future__ import annotations

import bisect
import gc
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.table import Row

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)
PROVINCE = "23"
BUDGET_MB = 512
# On-demand reads, us-east-1 (USD per million read request units); used for the cost estimate only.
USD_PER_MILLION_RRU = 0.125


def measure() -> list[Row]:
    results = [_run_child(size) for size in SIZES]
    baseline = _cold_function_rss_mb()
    rows: list[Row] = []
    for result in results:
        size = result["reports"]
        label = f"{size // 1000}k reports"
        lambda_mb = baseline + result["peakMb"]
        rows += [
            Row("monthly", f"generate 1 directorate, {label}", f"{result['seconds']:.1f} s", "", _split(result)),
            Row(
                "monthly",
                f"peak memory, {label}",
                f"{result['peakMb']:.1f} MB",
                f"≤ {BUDGET_MB} MB with runtime",
                f"max(RSS {result['residentPeakMb']:.1f}, traced {result['tracedPeakMb']:.1f}) + cold function "
                f"{baseline:.0f} MB = {lambda_mb:.0f} MB {'OK' if lambda_mb <= BUDGET_MB else 'OVER'}",
            ),
            Row(
                "monthly",
                f"DynamoDB reads, {label}",
                f"{result['pages']} pages, ~{result['rru']:,.0f} RRU",
                "",
                f"~${result['rru'] * USD_PER_MILLION_RRU / 1e6:.4f} per directorate-month",
            ),
        ]
    small, large = results
    factor = large["reports"] / small["reports"]
    ours = large["ownSeconds"] / max(small["ownSeconds"], 1e-9)
    memory = large["peakMb"] / max(small["peakMb"], 1e-9)
    rows += [
        Row("monthly", "growth ×10 reports: our CPU time", f"×{ours:.1f}", f"≈ ×{factor:.0f} (linear)", ""),
        Row("monthly", "growth ×10 reports: peak memory", f"×{memory:.1f}", f"≤ ×{factor:.0f} (linear)", ""),
        Row("monthly", "growth ×10 reports: Query pages read", f"×{large['pages'] / max(small['pages'], 1):.1f}"),
    ]
    return rows


def _split(result: dict[str, Any]) -> str:
    return (
        f"CPU: ours {result['ownSeconds']:.1f} s + page server {result['querySeconds']:.2f} s; "
        f"building the data {result['loadSeconds']:.0f} s (not counted)"
    )


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT)])
    env.pop("AWS_ENDPOINT_URL", None)
    return env


def _run_child(size: int) -> dict[str, Any]:
    reply = subprocess.run(
        [sys.executable, "-m", "bench.monthly", "--child", str(size)],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if reply.returncode != 0:
        raise RuntimeError(f"bench child {size} failed:\n{reply.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(reply.stdout.strip().splitlines()[-1])
    return result


def _cold_function_rss_mb() -> float:
    """Resident size of a process that imported the scheduled function (what a cold Lambda holds)."""
    code = (
        "import resource, sys;"
        "from infra.lambda_worker import load_handler;"
        "load_handler('functions/monthly_schedule', 'app.lambda_handler', {});"
        "import nazer.logic.monthly_reports, xlsxwriter, boto3;"
        "boto3.client('s3', region_name='us-east-1'); boto3.resource('dynamodb', region_name='us-east-1');"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    reply = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_environment(), capture_output=True, text=True, check=True
    )
    return int(reply.stdout.strip().splitlines()[-1]) / 1024


# ---------------------------------------------------------------- DynamoDB Query pages


class QueryPages:
    """Serves DynamoDB Query pages of chosen GSI1 partitions, in front of moto.

    moto's Query rescans and deep-copies the whole table for every page (about 20 ms per item on
    this machine: 10k reports took 340 s), so the bulk partitions are answered here instead: the
    same wire format, order, key condition (``=`` and ``BETWEEN``), projection, 1 MB page limit
    and ``LastEvaluatedKey`` as DynamoDB, parsed by botocore and boto3 exactly as in Lambda.
    Everything else (S3, records, counters, outreach) still goes to moto.
    tests/integration/test_monthly_bench_pages.py checks it answers as moto does.
    """

    _KEY_CONDITION = re.compile(r"\(?(#\w+) = (:\w+)(?: AND (#\w+) BETWEEN (:\w+) AND (:\w+))?\)?")

    def __init__(self, projection: tuple[str, ...], page_bytes: int = 1_048_576):
        self.projection = projection
        self.page_bytes = page_bytes
        self.rows: dict[str, list[tuple[str, str, str, str, int]]] = {}
        self.seconds = 0.0
        self.pages = 0
        self.bytes_read = 0

    def add(self, item: dict[str, Any]) -> None:
        """Index an item under its GSI1 partition: its projected wire JSON and its full size."""
        projected = {name: _wire(item[name]) for name in self.projection if name in item}
        self.rows.setdefault(item["gsi1pk"], []).append(
            (item["gsi1sk"], item["pk"], item["sk"], json.dumps(projected, ensure_ascii=False), item_size(item))
        )

    def seal(self) -> None:
        for rows in self.rows.values():
            rows.sort()

    def attach(self, client: Any) -> None:
        client.meta.events.register_first("before-send.dynamodb.Query", self._answer)

    def _answer(self, request: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse
        from botocore.compat import HTTPHeaders
        from moto.core.botocore_stubber import MockRawResponse

        began = time.process_time()
        body = json.loads(request.body)
        match = self._KEY_CONDITION.fullmatch(body.get("KeyConditionExpression", ""))
        names = body.get("ExpressionAttributeNames") or {}
        values = body.get("ExpressionAttributeValues") or {}
        if body.get("IndexName") != "GSI1" or not match or names.get(match.group(1)) != "gsi1pk":
            return None
        partition = values[match.group(2)]["S"]
        if partition not in self.rows:
            return None
        wanted = tuple(names.get(name, name) for name in body.get("ProjectionExpression", "").split(", "))
        if set(wanted) != set(self.projection):
            raise AssertionError(f"QueryPages serves {self.projection}, asked for {wanted}")
        rows = self.rows[partition]
        low, high = (values[match.group(4)]["S"], values[match.group(5)]["S"]) if match.group(3) else ("", None)
        position = bisect.bisect_left(rows, (low,))
        start = body.get("ExclusiveStartKey")
        if start:
            after = (start["gsi1sk"]["S"], start["pk"]["S"], start["sk"]["S"])
            position = max(position, bisect.bisect_right(rows, after, key=lambda row: row[:3]))
        items: list[str] = []
        read = 0
        last = None
        while position < len(rows) and (high is None or rows[position][0] <= high):
            sort_key, pk, sk, projected, size = rows[position]
            if items and read + size > self.page_bytes:
                break
            items.append(projected)
            read += size
            last = (sort_key, pk, sk)
            position += 1
        more = position < len(rows) and (high is None or rows[position][0] <= high)
        reply = '{"Items":[' + ",".join(items) + f'],"Count":{len(items)},"ScannedCount":{len(items)}'
        if more and last is not None:
            key = {"gsi1pk": {"S": partition}, "gsi1sk": {"S": last[0]}, "pk": {"S": last[1]}, "sk": {"S": last[2]}}
            reply += ',"LastEvaluatedKey":' + json.dumps(key, ensure_ascii=False)
        reply += "}"
        self.pages += 1
        self.bytes_read += read
        self.seconds += time.process_time() - began
        headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-amz-json-1.0"
        return AWSResponse(request.url, 200, headers, MockRawResponse(reply))


def _wire(value: Any) -> dict[str, Any]:
    """The DynamoDB JSON of the values report and inspector items hold (strings, numbers, lists)."""
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, list):
        return {"L": [_wire(element) for element in value]}
    if isinstance(value, dict):
        return {"M": {key: _wire(element) for key, element in value.items()}}
    raise TypeError(f"no wire form for {type(value).__name__}")


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's item size, roughly: attribute names plus values, UTF-8."""
    return len(json.dumps(item, ensure_ascii=False).encode("utf-8"))


# ---------------------------------------------------------------- the child process


def _child(size: int) -> dict[str, Any]:
    import tracemalloc

    import boto3
    from moto import mock_aws

    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
    with mock_aws():
        from infra.provision import provision
        from nazer.aws import reset_clients, table
        from nazer.dal import monthly_reports as store
        from nazer.jalali import Period
        from nazer.logic import monthly_reports

        provisioned = provision(boto3.session.Session(region_name="us-east-1"))
        os.environ.update(provisioned.environment)
        reset_clients()
        period = Period.parse("1403-07")

        started = time.monotonic()
        reports, inspectors = _load(period, size)
        load_seconds = time.monotonic() - started
        reports.attach(table().meta.client)
        inspectors.attach(table().meta.client)

        now = period.end() + timedelta(hours=1)
        # Warm-up on an empty directorate: imports and first-use costs are not the generation's.
        monthly_reports.generate_province(period, "25", now, "2024-10-21T21:30:00Z")

        # Pass 1, timed: the process's peak resident size above what it held before (Linux
        # resets the peak through /proc/self/clear_refs).
        reports.seconds = inspectors.seconds = 0.0
        reports.pages = inspectors.pages = 0
        reports.bytes_read = 0
        gc.collect()
        resident_before = _status_kb("VmRSS")
        peak_reset = _reset_peak()
        began, cpu_began = time.perf_counter(), time.process_time()
        outcome = monthly_reports.generate_province(period, PROVINCE, now, "2024-10-21T21:30:00Z")
        seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
        emulator_seconds = reports.seconds + inspectors.seconds
        pages, bytes_read = reports.pages + inspectors.pages, reports.bytes_read
        resident_peak = (_status_kb("VmHWM") - resident_before) * 1024 if peak_reset else 0
        # Pass 2, same inputs: the heap traced by tracemalloc (slower; catches what the allocator
        # served from memory it already held, which the resident size cannot see).
        tracemalloc.start()
        monthly_reports.generate_province(period, PROVINCE, now, "2024-10-21T21:30:00Z")
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        record = store.get_record(period, PROVINCE)
        assert record is not None and record["counts"]["reports"] == outcome.reports == size, (outcome, size)
    return {
        "reports": size,
        "seconds": seconds,
        "querySeconds": emulator_seconds,
        "ownSeconds": max(cpu_seconds - emulator_seconds, 0.0),
        "peakMb": max(resident_peak, traced_peak) / 2**20,
        "residentPeakMb": resident_peak / 2**20,
        "tracedPeakMb": traced_peak / 2**20,
        "pages": pages,
        # A Query is billed on whole items read (a projection does not lower it), in 4 KB units,
        # halved for eventually consistent reads.
        "rru": bytes_read / 4096 / 2,
        "loadSeconds": load_seconds,
        "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


REPORT_PROJECTION = (
    "receivedAt",
    "channel",
    "violationTypes",
    "status",
    "countyCode",
    "inspectorCode",
    "referredAt",
    "finalAt",
)
INSPECTOR_PROJECTION = ("inspectorCode", "countyCode", "status", "issuedAt")


def _status_kb(field: str) -> int:
    """A field of /proc/self/status in kB (0 where there is no /proc)."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    """Reset the process's peak resident size (Linux ≥ 4.0); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _status_kb("VmHWM") > 0


def _load(period: Any, size: int) -> tuple[QueryPages, QueryPages]:
    """A directorate-month of ``size`` reports (and a tenth more in the month before)."""
    from nazer.regions import regions
    from tests.support.monthly_factories import inspector_record, put_counters, put_outreach, report_item

    rng = random.Random(1403)
    counties = [county.code for county in regions().province(PROVINCE).counties]
    codes = sorted({f"{PROVINCE}{rng.choice(counties)}40{n:04d}" for n in range(1, max(size // 20, 10) + 1)})
    reports, inspectors = QueryPages(REPORT_PROJECTION), QueryPages(INSPECTOR_PROJECTION)
    start, end = period.start(), period.end()
    for code in codes:
        inspectors.add(inspector_record(code=code, issued_at=start - timedelta(days=40)))
    span = (end - start).total_seconds()
    channels = ["system_124"] * 68 + ["in_person"] * 18 + ["written"] * 11 + ["web"] * 3
    violation_types = ["overpricing", "short_selling", "adulteration", "no_price_label", "no_invoice", "hoarding"]
    statuses = ["RECEIVED", "UNDER_REVIEW", "REFERRED", "CONFIRMED", "UNFOUNDED"]
    for index in range(size + size // 10):
        offset = rng.random() * span
        received = start + timedelta(seconds=offset) if index < size else start - timedelta(seconds=1 + offset)
        status = rng.choices(statuses, [1, 2, 2, 3, 2])[0]
        referred = received + timedelta(days=rng.random() * 3) if status in {"REFERRED", "CONFIRMED"} else None
        final = received + timedelta(days=1 + rng.random() * 20) if status in {"CONFIRMED", "UNFOUNDED"} else None
        reports.add(
            report_item(
                province=PROVINCE,
                county=rng.choice(counties),
                received_at=received,
                inspector_code=rng.choice(codes),
                channel=rng.choice(channels),
                violation_types=rng.sample(violation_types, rng.randint(1, 2)),
                status=status,
                referred_at=referred,
                final_at=final,
            )
        )
    reports.seal()
    inspectors.seal()
    for county in counties:
        put_counters(period, PROVINCE, county, applications=rng.randint(0, 50), codesIssued=rng.randint(0, 10))
    for day in range(1, 29, 3):
        put_outreach(province=PROVINCE, date=f"{period.year}/{period.month:02d}/{day:02d}", people_reached=day * 10)
    return reports, inspectors


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(int(sys.argv[2]))))
    else:
        from bench.table import render

        print(render(measure()))
