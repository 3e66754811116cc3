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
