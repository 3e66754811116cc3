"""Applications repository: the membership application and its one-per-account/national-ID guards.

Item shape (see docs/data-model.md): ``pk=APP#<id>``, ``sk=APP``; wire fields stored in camelCase;
``status`` with its index keys (GSI1 by status, GSI2 by province+status, GSI3 by province), all
newest first by ``createdAt``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from nazer.aws import table
from nazer.dal.base import (
    Page,
    cancellation_codes,
    is_conditional_failure,
    is_transaction_cancelled,
    plain,
    query_page,
)

APPLICATION_SK = "APP"
EXAM_SETTINGS_KEY = {"pk": "CONFIG", "sk": "EXAM_SETTINGS"}


class DuplicateApplicationError(Exception):
    """The create transaction was refused: ``reason`` is ``"account"`` or ``"national_id"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WriteConflictError(Exception):
    """DynamoDB cancelled the transaction because another one touched the same items; retry."""


def application_key(application_id: str) -> dict[str, str]:
    return {"pk": f"APP#{application_id}", "sk": APPLICATION_SK}


def user_guard_key(sub: str) -> dict[str, str]:
    return {"pk": f"UNIQ#USER#{sub}", "sk": "UNIQ"}


def national_id_guard_key(national_id: str) -> dict[str, str]:
    return {"pk": f"UNIQ#NID#{national_id}", "sk": "UNIQ"}


def index_keys(status: str, province: str, created_at: str, application_id: str) -> dict[str, str]:
    """The GSI attributes of an application in ``status``."""
    order = f"{created_at}#{application_id}"
    return {
        "gsi1pk": f"APPSTATUS#{status}",
        "gsi1sk": order,
        "gsi2pk": f"APPPROV#{province}#{status}",
        "gsi2sk": order,
        "gsi3pk": f"APPPROV#{province}",
        "gsi3sk": order,
    }


def get(application_id: str, consistent: bool = True) -> dict[str, Any] | None:
    item = table().get_item(Key=application_key(application_id), ConsistentRead=consistent).get("Item")
    return plain(item) if item else None


def application_id_of_user(sub: str) -> str | None:
    item = table().get_item(Key=user_guard_key(sub), ConsistentRead=True).get("Item")
    return str(item["applicationId"]) if item else None


def get_for_user(sub: str) -> dict[str, Any] | None:
    """The caller's own application (two reads: the account guard, then the application)."""
    application_id = application_id_of_user(sub)
    return get(application_id) if application_id else None


def status_update(
    application: dict[str, Any],
    to_status: str,
    from_statuses: Iterable[str],
    now: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``Update`` (for update_item or a transaction) moving the application to ``to_status``.

    Conditional on the stored status still being one of ``from_statuses``, so two writers can
    never both move it.
    """
    allowed = list(from_statuses)
    values: dict[str, Any] = {f":from{i}": status for i, status in enumerate(allowed)}
    keys = index_keys(to_status, application["provinceCode"], application["createdAt"], application["applicationId"])
    assignments = {"status": to_status, "updatedAt": now, "gsi1pk": keys["gsi1pk"], "gsi2pk": keys["gsi2pk"]}
    assignments |= extra or {}
    names = {f"#a{i}": name for i, name in enumerate(assignments)}
    values |= {f":a{i}": value for i, value in enumerate(assignments.values())}
    names["#status"] = "status"
    return {
        "Key": application_key(application["applicationId"]),
        "UpdateExpression": "SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(assignments))),
        "ConditionExpression": f"#status IN ({', '.join(f':from{i}' for i in range(len(allowed)))})",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def change_status(
    application: dict[str, Any],
    to_status: str,
    from_statuses: Iterable[str],
    now: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Move the application; the stored item afterwards, or None if its status was not allowed."""
    update = status_update(application, to_status, from_statuses, now, extra)
    try:
        reply = table().update_item(**update, ReturnValues="ALL_NEW")
    except ClientError as error:
        if is_conditional_failure(error):
            return None
        raise
    stored: dict[str, Any] = plain(reply["Attributes"])
    return stored


def list_by_status(status: str, limit: int, cursor: str | None) -> Page:
    return query_page(table(), index="GSI1", partition=("gsi1pk", f"APPSTATUS#{status}"), limit=limit, cursor=cursor)


def list_by_province(province: str, status: str | None, limit: int, cursor: str | None) -> Page:
    if status:
        return query_page(
            table(), index="GSI2", partition=("gsi2pk", f"APPPROV#{province}#{status}"), limit=limit, cursor=cursor
        )
    return query_page(table(), index="GSI3", partition=("gsi3pk", f"APPPROV#{province}"), limit=limit, cursor=cursor)


def create(item: dict[str, Any], counters: dict[str, Any]) -> None:
    """Store a new application with its two uniqueness guards and its monthly counter, atomically.

    One ``TransactWriteItems``: the application, ``UNIQ#USER#<sub>`` and ``UNIQ#NID#<nationalId>``,
    each conditional on not existing yet, plus ``counters`` (a ``nazer.dal.stats.counter_update``).
    Either all four are written or none. Raises :class:`DuplicateApplicationError` when the account
    already applied (checked first) or the national ID is taken, and :class:`WriteConflictError` when
    a concurrent transaction on the same items made DynamoDB cancel this one.
    """
    name = table().name
    guard = {"applicationId": item["applicationId"], "createdAt": item["createdAt"]}
    not_there = "attribute_not_exists(pk)"
    transaction = [
        {"Put": {"TableName": name, "Item": item, "ConditionExpression": not_there}},
        {
            "Put": {
                "TableName": name,
                "Item": {**user_guard_key(item["userSub"]), "type": "uniq-user", **guard},
                "ConditionExpression": not_there,
            }
        },
        {
            "Put": {
                "TableName": name,
                "Item": {**national_id_guard_key(item["nationalId"]), "type": "uniq-nid", **guard},
                "ConditionExpression": not_there,
            }
        },
        {"Update": counters},
    ]
    try:
        table().meta.client.transact_write_items(TransactItems=transaction)
    except ClientError as error:
        if not is_transaction_cancelled(error):
            raise
        codes = cancellation_codes(error)
        failed = [code == "ConditionalCheckFailed" for code in codes] + [False] * len(transaction)
        if failed[1]:
            raise DuplicateApplicationError("account") from error
        if failed[2]:
            raise DuplicateApplicationError("national_id") from error
        if failed[0]:
            # A fresh random id collided: as good as a conflict, the caller retries with a new one.
            raise WriteConflictError() from error
        if "TransactionConflict" in codes:
            raise WriteConflictError() from error
        raise


def record_training_download(application: dict[str, Any], now: str, counters: dict[str, Any]) -> bool:
    """First training download: ``SUBMITTED → TRAINING`` with ``trainingDownloadedAt``, and the counter.

    One transaction, conditional on the status still being ``SUBMITTED``; False when another
    request got there first (nothing is written then, so the counter counts each applicant once);
    :class:`WriteConflictError` when a concurrent transaction on the same items cancelled it.
    """
    move = status_update(application, "TRAINING", ["SUBMITTED"], now, extra={"trainingDownloadedAt": now})
    try:
        table().meta.client.transact_write_items(
            TransactItems=[{"Update": {"TableName": table().name, **move}}, {"Update": counters}]
        )
    except ClientError as error:
        if not is_transaction_cancelled(error):
            raise
        codes = cancellation_codes(error)
        if "ConditionalCheckFailed" in codes:
            return False
        if "TransactionConflict" in codes:
            raise WriteConflictError() from error
        raise
    return True


def exam_limits() -> tuple[int, int]:
    """``(maxAttempts, cooldownHours)`` of the exam settings (owned by the exam context; 3 and 24 by default)."""
    item = table().get_item(Key=EXAM_SETTINGS_KEY).get("Item") or {}
    return int(item.get("maxAttempts", 3)), int(item.get("cooldownHours", 24))
