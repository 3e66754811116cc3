"""Run every benchmark module of this package and print one table.

Each module ``bench/<name>.py`` (not the ``_``-prefixed helpers) exposes ``measure() -> list[Row]``;
a row is one figure next to its floor or budget. Numbers are measured, never hard-coded.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "common"), str(ROOT)]
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Nazer")

from bench.table import Row, render  # noqa: E402


def main(argv: list[str]) -> int:
    only = set(argv)
    rows: list[Row] = []
    started = time.monotonic()
    for module_info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module_info.name in {"__main__", "table"} or module_info.name.startswith("_"):
            continue  # the runner, the table and shared helpers (bench/_world.py) measure nothing
        if only and module_info.name not in only:
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        print(f"measuring {module_info.name}…", file=sys.stderr, flush=True)
        began = time.monotonic()
        rows.extend(module.measure())
        print(f"  {module_info.name}: {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
    print(render(rows))
    print(f"\n(measured in {time.monotonic() - started:.0f} s on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
