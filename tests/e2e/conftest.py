"""The local stack, started once per test session on free ports, driven over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.http import Stack

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack_file = tmp_path_factory.mktemp("stack") / "stack.json"
    log = (tmp_path_factory.getbasetemp() / "local-stack.log").open("w")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    # This checkout's code first, whichever checkout the virtualenv was installed from.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT)])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infra.local_stack",
            "--moto-port",
            str(_free_port()),
            "--api-port",
            str(_free_port()),
            "--stack-file",
            str(stack_file),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while not stack_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail("local stack did not start:\n" + Path(log.name).read_text()[-4000:])
        time.sleep(0.2)
    descriptor: dict[str, Any] = json.loads(stack_file.read_text(encoding="utf-8"))
    try:
        yield Stack(descriptor)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
