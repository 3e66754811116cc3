"""Lazily built AWS clients: nothing touches AWS at import time, and tests can reset the cache."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from nazer.settings import get_settings


def _config(**options: Any) -> Config:
    """Standard retries (with backoff) on every client; SDK defaults otherwise."""
    return Config(retries={"max_attempts": 3, "mode": "standard"}, **options)


@cache
def session() -> boto3.session.Session:
    return boto3.session.Session(region_name=get_settings().region)


@cache
def dynamodb_resource() -> Any:
    return session().resource("dynamodb", config=_config())


@cache
def table() -> Any:
    """The application table (single-table design, see docs/data-model.md)."""
    return dynamodb_resource().Table(get_settings().table_name)


@cache
def s3_client() -> Any:
    settings = get_settings()
    # SigV4 with an explicit region; virtual-host addressing on AWS, path style against a local emulator.
    style = "path" if settings.aws_endpoint_url else "virtual"
    return session().client("s3", config=_config(signature_version="s3v4", s3={"addressing_style": style}))


@cache
def cognito_client() -> Any:
    return session().client("cognito-idp", config=_config())


def reset_clients() -> None:
    """Forget every cached client and the settings (tests switch environments between cases)."""
    from nazer.settings import get_settings as settings_cache

    for factory in (session, dynamodb_resource, table, s3_client, cognito_client, settings_cache):
        factory.cache_clear()
