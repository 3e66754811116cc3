"""Idempotency-Key support for creating POSTs (Powertools Idempotency, keyed on the caller).

The key is (operation, caller, Idempotency-Key); the body is validated against the first one, so a
key reused with a different body is refused and two users never share a cached reply.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from nazer.errors import DomainError, FieldError

_KEY = re.compile(r"[A-Za-z0-9_\-]{8,128}")
Reply = dict[str, Any]


@cache
def _persistence() -> DynamoDBPersistenceLayer:
    # Imported here: every API handler imports this module (for register_context), few use the table.
    from nazer.aws import session
    from nazer.settings import get_settings

    return DynamoDBPersistenceLayer(
        table_name=get_settings().idempotency_table_name, boto3_client=session().client("dynamodb")
    )


@cache
def _config() -> IdempotencyConfig:
    return IdempotencyConfig(
        event_key_jmespath="[operation, caller, key]",
        payload_validation_jmespath="body",
        expires_after_seconds=24 * 3600,
    )


def register_context(context: Any) -> None:
    """Tell Powertools the invocation's Lambda context (called by :func:`nazer.http.resolve`).

    The in-progress record of a keyed request then expires when the invocation would time out, so a
    client retrying after a timed-out call (e.g. API Gateway's 504 while the function was killed) is
    served again instead of being refused as "in progress" until the record's 24 h expiry.
    """
    if callable(getattr(context, "get_remaining_time_in_millis", None)):
        _config().register_lambda_context(context)


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise DomainError(
            "validation-error",
            "Idempotency-Key must be 8–128 letters, digits, '-' or '_' (a UUID fits)",
            "کلید یکتایی باید ۸ تا ۱۲۸ نویسه از حروف، رقم، - یا _ باشد",
            [FieldError("Idempotency-Key", "must be 8–128 letters, digits, '-' or '_'", "قالب کلید یکتایی درست نیست")],
        )
    return key


def run_once(operation: str, caller_id: str, key: str | None, body: Any, produce: Callable[[], Reply]) -> Reply:
    """Run ``produce`` once per (operation, caller, key); a repeat returns the first reply.

    ``produce`` returns a JSON-serialisable reply such as ``{"status": 201, "body": {...}}``.
    Only successful replies are stored: a failure raises, and Powertools deletes the record.
    """
    if check_key(key) is None:
        return produce()

    def _produce(request: dict[str, Any]) -> Reply:
        return produce()

    guarded = idempotent_function(data_keyword_argument="request", persistence_store=_persistence(), config=_config())(
        _produce
    )
    result: Reply = guarded(request={"operation": operation, "caller": caller_id, "key": key, "body": body})
    return result


def reset() -> None:
    _persistence.cache_clear()
    _config.cache_clear()
