"""Handlers in-process against moto, with the tables, bucket and user pool of template.yaml."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infra.provision import Provisioned, provision
from nazer import idempotency
from nazer.aws import reset_clients
from nazer.observability import metrics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def aws() -> Iterator[Provisioned]:
    """A fresh emulated account per test, provisioned from template.yaml, env set like Lambda's."""
    with mock_aws():
        provisioned = provision(boto3.session.Session(region_name="us-east-1"))
        saved = dict(os.environ)
        os.environ.update(provisioned.environment)
        reset_clients()
        idempotency.reset()
        metrics.clear_metrics()
        try:
            yield provisioned
        finally:
            os.environ.clear()
            os.environ.update(saved)
            reset_clients()
            idempotency.reset()
            metrics.clear_metrics()


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[tuple[str, Provisioned]]:
    """A moto *server* behind the local stack's request lock, provisioned once per session.

    For tests where threads race: in-process moto is not thread-safe, the locked server is. It runs
    in its own process, so the in-process ``mock_aws`` of other tests cannot reset its state.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.emulator", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT)])},
    )
    assert process.stdout is not None
    endpoint = process.stdout.readline().strip()
    saved = dict(os.environ)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    try:
        provisioned = provision(boto3.session.Session(region_name="us-east-1"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    yield endpoint, provisioned
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def served(emulator_server: tuple[str, Provisioned]) -> Iterator[Provisioned]:
    """Point the code under test at the locked moto server (use unique ids: state is shared)."""
    endpoint, provisioned = emulator_server
    saved = dict(os.environ)
    os.environ.update(provisioned.environment)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    reset_clients()
    idempotency.reset()
    try:
        yield provisioned
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_clients()
        idempotency.reset()
