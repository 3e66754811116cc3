"""Handlers in-process against moto, with the tables, bucket and user pool of template.yaml."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from infra.provision import Provisioned, provision
from nazer import idempotency
from nazer.aws import reset_clients
from nazer.observability import metrics


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

    For tests where threads race: in-process moto is not thread-safe, the locked server is.
    """
    from infra.emulator import Emulator

    emulator = Emulator(port=0).start()
    saved = dict(os.environ)
    os.environ["AWS_ENDPOINT_URL"] = emulator.endpoint
    try:
        provisioned = provision(boto3.session.Session(region_name="us-east-1"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    yield emulator.endpoint, provisioned
    emulator.stop()


@pytest.fixture
def served(emulator_server: tuple[str, Provisioned]) -> Iterator[Provisioned]:
    """Point the code under test at the locked moto server (use unique ids: state is shared)."""
    endpoint, provisioned = emulator_server
    _provision_again_if_wiped(endpoint, provisioned)
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


def _provision_again_if_wiped(endpoint: str, provisioned: Provisioned) -> None:
    """The server runs in this process: when an `aws` test's mock_aws stops, moto wipes every backend,
    the server's included. Build the template's resources again (in place) before the next served test."""
    saved = dict(os.environ)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    try:
        session = boto3.session.Session(region_name="us-east-1")
        if provisioned.table_name in session.client("dynamodb").list_tables()["TableNames"]:
            return
        fresh = provision(session)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    provisioned.physical, provisioned.attributes, provisioned.environment = (
        fresh.physical,
        fresh.attributes,
        fresh.environment,
    )
