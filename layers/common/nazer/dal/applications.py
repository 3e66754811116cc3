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
from nazer.dal.base import Page, is_conditional_failure, plain, query_page

APPLICATION_SK = "APP"


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
