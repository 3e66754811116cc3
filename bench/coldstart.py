"""Cold start per function (import + init of the handler module in a fresh interpreter) and
deployment package sizes, against the floor of importing boto3 + Powertools alone."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench.table import Row
from infra.template import resources_of_type

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
# A handler module's import + init may cost at most this many floors (docs/performance.md).
RATIO_BUDGET = 3.5
LAYER_REQUIREMENTS = ["aws-lambda-powertools", "pydantic", "jdatetime", "xlsxwriter", "pillow"]

_FLOOR = """
import time
t = time.perf_counter()
import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
print(time.perf_counter() - t)
"""

_HANDLER = """
import sys, time
sys.path[:0] = [{layer!r}, {root!r}]
t = time.perf_counter()
from infra.lambda_worker import load_handler
load_handler({code_uri!r}, {handler!r}, {{}})
print(time.perf_counter() - t)
"""


def _median_seconds(code: str) -> float:
    env = dict(os.environ) | {"POWERTOOLS_TRACE_DISABLED": "1"}
    samples = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def _tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def _distribution_size(name: str, seen: set[str]) -> int:
    """Installed size of a distribution and its runtime requirements (each counted once)."""
    key = name.lower().replace("_", "-")
    if key in seen:
        return 0
    seen.add(key)
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return 0
    size = sum(int(f.size or 0) for f in dist.files or [] if "__pycache__" not in str(f))
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        dependency = requirement.split(";")[0].split("[")[0]
        for stop in "<>=!~ (":
            dependency = dependency.split(stop)[0]
        if dependency.strip() and dependency.strip().lower() not in {"boto3", "botocore"}:
            size += _distribution_size(dependency.strip(), seen)
    return size


def measure() -> list[Row]:
    floor = _median_seconds(_FLOOR)
    rows = [Row("cold start", "floor: import boto3 + Powertools", f"{floor * 1000:.0f} ms", "", f"median of {RUNS}")]
    for name, resource in sorted(resources_of_type("AWS::Serverless::Function").items()):
        props = resource["Properties"]
        code_uri = str(props["CodeUri"]).rstrip("/")
        code = _HANDLER.format(
            layer=str(ROOT / "layers" / "common"), root=str(ROOT), code_uri=code_uri, handler=props["Handler"]
        )
        seconds = _median_seconds(code)
        ratio = seconds / floor
        verdict = "OK" if ratio <= RATIO_BUDGET else "OVER"
        rows.append(
            Row(
                "cold start",
                name,
                f"{seconds * 1000:.0f} ms",
                f"{ratio:.1f}× floor; ≤ {RATIO_BUDGET}× {verdict}",
                "median",
            )
        )
    seen: set[str] = set()
    dependencies = sum(_distribution_size(name, seen) for name in LAYER_REQUIREMENTS)
    own = _tree_size(ROOT / "layers" / "common" / "nazer")
    rows.append(Row("package", "layer: nazer package", f"{own / 1024:.0f} KiB"))
    rows.append(
        Row("package", "layer: dependencies", f"{dependencies / 1024 / 1024:.1f} MiB", "250 MiB unzipped (Lambda)")
    )
    for name, resource in sorted(resources_of_type("AWS::Serverless::Function").items()):
        size = _tree_size(ROOT / str(resource["Properties"]["CodeUri"]))
        rows.append(Row("package", f"function: {name}", f"{size / 1024:.1f} KiB"))
    return rows
