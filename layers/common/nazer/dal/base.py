"""Shared data-access pieces: cursor pages over Queries, transaction error reading."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from nazer.errors import DomainError, FieldError

MAX_PAGE = 100
DEFAULT_PAGE = 50
MAX_KEY_BYTES = 1024  # DynamoDB's limit for a sort key value (a partition key may hold 2048)

# Key attributes of the table and of each overloaded index (see docs/data-model.md).
INDEX_KEYS: dict[str | None, tuple[str, ...]] = {
    None: ("pk", "sk"),
    "GSI1": ("pk", "sk", "gsi1pk", "gsi1sk"),
    "GSI2": ("pk", "sk", "gsi2pk", "gsi2sk"),
    "GSI3": ("pk", "sk", "gsi3pk", "gsi3sk"),
}


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def invalid_cursor() -> DomainError:
    return DomainError(
        "validation-error",
        "cursor: not a cursor this list issued",
        "نشانگر صفحه معتبر نیست",
        [FieldError("cursor", "not a cursor this list issued", "نشانگر صفحه معتبر نیست")],
    )


def encode_cursor(key: Mapping[str, Any]) -> str:
    raw = json.dumps({k: (int(v) if isinstance(v, Decimal) else v) for k, v in key.items()}, sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, index: str | None, partition: tuple[str, str]) -> dict[str, Any]:
    """Decode a cursor and check it belongs to this index and partition (never a way into another)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise invalid_cursor() from exc
    expected = set(INDEX_KEYS[index])
    if not isinstance(key, dict) or set(key) != expected or not all(_key_value(v) for v in key.values()):
        raise invalid_cursor()
    name, value = partition
    if key.get(name) != value:
        raise invalid_cursor()
    return key


def _key_value(value: Any) -> bool:
    """Whether DynamoDB takes ``value`` for a key attribute of ours: a non-empty string (every key
    attribute is of type S) within the sort-key limit of 1024 bytes."""
    return isinstance(value, str) and 0 < len(value.encode("utf-8")) <= MAX_KEY_BYTES


def query_page(
    table: Any,
    *,
    partition: tuple[str, str],
    index: str | None = None,
    sort_condition: Any = None,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
    newest_first: bool = True,
    item_filter: Callable[[dict[str, Any]], bool] | None = None,
    filter_expression: Any = None,
) -> Page:
    """One page of a Query on a partition of the table or an index, in sort-key order.

    Filters may make DynamoDB pages short; this keeps reading until ``limit`` items are found, and
    the cursor is the key of the last item returned, so no item is skipped or repeated.
    """
    from boto3.dynamodb.conditions import Key

    name, value = partition
    condition = Key(name).eq(value)
    if sort_condition is not None:
        condition = condition & sort_condition
    kwargs: dict[str, Any] = {"KeyConditionExpression": condition, "ScanIndexForward": not newest_first}
    if index:
        kwargs["IndexName"] = index
    if filter_expression is not None:
        kwargs["FilterExpression"] = filter_expression
    if cursor:
        kwargs["ExclusiveStartKey"] = decode_cursor(cursor, index, partition)
    items: list[dict[str, Any]] = []
    start_from_caller = bool(cursor)
    while True:
        kwargs["Limit"] = max(limit - len(items), 1) if filter_expression is None and item_filter is None else MAX_PAGE
        try:
            reply = table.query(**kwargs)
        except ClientError as error:
            # DynamoDB checks a start key against the query itself (e.g. outside the sort-key range):
            # a start key from the caller that it refuses is a bad cursor, not a server error.
            if start_from_caller and error.response.get("Error", {}).get("Code") == "ValidationException":
                raise invalid_cursor() from error
            raise
        start_from_caller = False
        for item in reply.get("Items", []):
            if item_filter is None or item_filter(item):
                items.append(item)
                if len(items) == limit:
                    last = {k: item[k] for k in INDEX_KEYS[index]}
                    more = reply.get("LastEvaluatedKey") is not None or item is not reply["Items"][-1]
                    return Page(items, encode_cursor(last) if more else None)
        last_key = reply.get("LastEvaluatedKey")
        if not last_key:
            return Page(items, None)
        kwargs["ExclusiveStartKey"] = last_key


def cancellation_codes(error: ClientError) -> list[str]:
    """The per-item reasons of a cancelled transaction, in item order ("None" where it passed)."""
    reasons = error.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]


def is_conditional_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def is_transaction_cancelled(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "TransactionCanceledException"


def plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal: make them int/float again, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
