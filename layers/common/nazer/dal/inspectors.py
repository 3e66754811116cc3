"""Inspectors repository: county counters, code guards, the inspector record, the Cognito group.

Items (see docs/data-model.md and docs/inspectors.md):

- ``COUNTER#<province>#<county>`` / ``COUNTER``: ``value`` = the last sequence issued in the county;
- ``CODE#<code>`` / ``CODE``: the code's uniqueness guard (``applicationId``), never deleted;
- ``INSPECTOR#<code>`` / ``INSPECTOR``: the inspector, GSI1 ``INSPPROV#<province>`` /
  ``<county>#<code>`` lists a province's inspectors by county.

A code is issued by one transaction (:func:`issue_items`) that advances the counter from the value
read, writes the guard and the inspector, moves the application to ``ACTIVE`` with its code and adds
to the month's ``codesIssued``; :func:`write_issue` runs it and reads the cancellation reasons.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from nazer.aws import table
from nazer.dal import applications, stats
from nazer.dal.base import Page, cancellation_codes, is_transaction_cancelled, plain, query_page
from nazer.domain.inspector_code import LAST_SEQUENCE

# Item order of the issuing transaction: the cancellation reasons come back in this order.
COUNTER_ITEM, GUARD_ITEM, INSPECTOR_ITEM, APPLICATION_ITEM, STATS_ITEM = range(5)

# Reasons (per item, or of the whole call) that mean "someone else got there first; read and retry".
RETRYABLE_REASONS = frozenset(
    {"ConditionalCheckFailed", "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
)
RETRYABLE_ERRORS = frozenset(
    {
        "TransactionInProgressException",
        "TransactionConflictException",
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "InternalServerError",
    }
)


def inspector_key(code: str) -> dict[str, str]:
    return {"pk": f"INSPECTOR#{code}", "sk": "INSPECTOR"}


def counter_key(province: str, county: str) -> dict[str, str]:
    return {"pk": f"COUNTER#{province}#{county}", "sk": "COUNTER"}


def code_guard_key(code: str) -> dict[str, str]:
    return {"pk": f"CODE#{code}", "sk": "CODE"}


def inspector_item(
    *,
    code: str,
    application: dict[str, Any],
    issued_at: str,
    status: str = "ACTIVE",
) -> dict[str, Any]:
    """The stored inspector record for an application's code."""
    return {
        **inspector_key(code),
        "gsi1pk": f"INSPPROV#{application['provinceCode']}",
        "gsi1sk": f"{application['countyCode']}#{code}",
        "type": "inspector",
        "inspectorCode": code,
        "applicationId": application["applicationId"],
        "userSub": application["userSub"],
        "username": application["username"],
        "provinceCode": application["provinceCode"],
        "countyCode": application["countyCode"],
        "firstName": application.get("firstName", ""),
        "lastName": application.get("lastName", ""),
        "status": status,
        "issuedAt": issued_at,
        "updatedAt": issued_at,
    }


def get(code: str) -> dict[str, Any] | None:
    item = table().get_item(Key=inspector_key(code), ConsistentRead=True).get("Item")
    return plain(item) if item else None


def read_counter(province: str, county: str) -> int | None:
    """The last sequence issued in a county (strongly consistent), or None before its first code."""
    item = table().get_item(Key=counter_key(province, county), ConsistentRead=True).get("Item")
    return int(item["value"]) if item else None


# ---------------------------------------------------------------- issuing


def issue_items(
    *,
    application: dict[str, Any],
    code: str,
    previous: int | None,
    issued_at: str,
    at: datetime,
) -> list[dict[str, Any]]:
    """The issuing transaction, in the order of the ``*_ITEM`` constants.

    1. the county counter moves from ``previous`` (as read; None = no counter yet) to ``previous + 1``,
       only if it still holds ``previous`` and that is below 9999;
    2. the code's guard, only if no such code exists;
    3. the inspector record, only if new;
    4. the application ``APPROVED → ACTIVE`` with ``inspectorCode``, only if it has no code yet
       (on failure DynamoDB returns the stored application, so the winner's code is known);
    5. the month's ``codesIssued`` counter of the county.
    """
    name = table().name
    province, county = application["provinceCode"], application["countyCode"]
    current = previous or 0
    counter: dict[str, Any] = {
        "TableName": name,
        "Key": counter_key(province, county),
        "UpdateExpression": "SET #value = :next, #province = :province, #county = :county, #updatedAt = :now",
        "ExpressionAttributeNames": {
            "#value": "value",
            "#province": "provinceCode",
            "#county": "countyCode",
            "#updatedAt": "updatedAt",
        },
        "ExpressionAttributeValues": {
            ":next": current + 1,
            ":province": province,
            ":county": county,
            ":now": issued_at,
        },
    }
    if previous is None:
        counter["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        counter["ConditionExpression"] = "#value = :current AND #value < :last"
        counter["ExpressionAttributeValues"] |= {":current": current, ":last": LAST_SEQUENCE}
    guard = {
        "TableName": name,
        "Item": {
            **code_guard_key(code),
            "type": "code",
            "inspectorCode": code,
            "applicationId": application["applicationId"],
            "issuedAt": issued_at,
        },
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    inspector = {
        "TableName": name,
        "Item": inspector_item(code=code, application=application, issued_at=issued_at),
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    activate = applications.status_update(
        application, "ACTIVE", ["APPROVED"], issued_at, extra={"inspectorCode": code, "codeIssuedAt": issued_at}
    )
    activate["ExpressionAttributeNames"]["#noCode"] = "inspectorCode"
    activate["ConditionExpression"] = f"({activate['ConditionExpression']}) AND attribute_not_exists(#noCode)"
    activate |= {"TableName": name, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    return [
        {"Update": counter},
        {"Put": guard},
        {"Put": inspector},
        {"Update": activate},
        {"Update": stats.counter_update(province, county, at, codesIssued=1)},
    ]


@dataclass(frozen=True)
class IssueWrite:
    """What became of one run of the issuing transaction."""

    written: bool
    # The application's own condition failed: it has a code already, or left APPROVED.
    application_changed: bool = False
    # Its stored state, when DynamoDB returned it with the cancellation (else read it again).
    application: dict[str, Any] | None = None
    # Lost a race on the counter (or a transient conflict): read again and retry.
    retryable: bool = False
    reasons: tuple[str, ...] = ()


def write_issue(items: list[dict[str, Any]]) -> IssueWrite:
    """Run the issuing transaction and tell the caller's outcome apart from a lost race.

    A transaction left unanswered (timeout, dropped connection) may have committed: it is retryable,
    and the next try's conditions tell which — the application then holds its code, which is returned.
    """
    try:
        table().meta.client.transact_write_items(TransactItems=items)
    except (HTTPClientError, BotoConnectionError) as error:
        return IssueWrite(False, retryable=True, reasons=(type(error).__name__,))
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in RETRYABLE_ERRORS:
            return IssueWrite(False, retryable=True, reasons=(code,))
        if not is_transaction_cancelled(error):
            raise
        reasons = tuple(cancellation_codes(error))
        if len(reasons) > APPLICATION_ITEM and reasons[APPLICATION_ITEM] == "ConditionalCheckFailed":
            stored = _reason_item(error, APPLICATION_ITEM)
            return IssueWrite(False, application_changed=True, application=stored, reasons=reasons)
        if reasons and all(reason in RETRYABLE_REASONS or reason == "None" for reason in reasons):
            return IssueWrite(False, retryable=True, reasons=reasons)
        raise
    return IssueWrite(True)


def _reason_item(error: ClientError, index: int) -> dict[str, Any] | None:
    """The item DynamoDB returned with a failed condition (ALL_OLD), as plain Python values."""
    reasons: list[Any] = list(error.response.get("CancellationReasons") or [])
    raw: dict[str, Any] | None = reasons[index].get("Item") if index < len(reasons) else None
    if not raw:
        return None
    deserializer = TypeDeserializer()
    try:
        return {str(name): plain(deserializer.deserialize(value)) for name, value in raw.items()}
    except (TypeError, ValueError, AttributeError):
        return None


# ---------------------------------------------------------------- status


def status_items(
    *,
    inspector: dict[str, Any],
    application: dict[str, Any],
    target: str,
    reason: str,
    changed_by: str,
    now: str,
) -> list[dict[str, Any]]:
    """Move the inspector and mirror it on the application, both only from the status read."""
    name = table().name
    update_inspector = {
        "TableName": name,
        "Key": inspector_key(inspector["inspectorCode"]),
        "UpdateExpression": "SET #status = :to, #reason = :reason, #by = :by, #updatedAt = :now",
        "ConditionExpression": "#status = :from",
        "ExpressionAttributeNames": {
            "#status": "status",
            "#reason": "statusReason",
            "#by": "statusChangedBy",
            "#updatedAt": "updatedAt",
        },
        "ExpressionAttributeValues": {
            ":to": target,
            ":from": inspector["status"],
            ":reason": reason,
            ":by": changed_by,
            ":now": now,
        },
    }
    mirror = applications.status_update(
        application, target, [inspector["status"]], now, extra={"inspectorStatusReason": reason}
    )
    mirror["TableName"] = name
    return [{"Update": update_inspector}, {"Update": mirror}]


def write_status(items: list[dict[str, Any]]) -> tuple[str, ...]:
    """Run a status change; () when written, else the per-item reasons (inspector, application)."""
    try:
        table().meta.client.transact_write_items(TransactItems=items)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in RETRYABLE_ERRORS:
            return (code,)
        if is_transaction_cancelled(error):
            return tuple(cancellation_codes(error)) or ("TransactionCanceledException",)
        raise
    return ()


# ---------------------------------------------------------------- lists


def list_by_province(province: str, *, county: str | None, status: str | None, limit: int, cursor: str | None) -> Page:
    """A province's inspectors in county, then code order; optionally one county and one status."""
    return query_page(
        table(),
        index="GSI1",
        partition=("gsi1pk", f"INSPPROV#{province}"),
        sort_condition=Key("gsi1sk").begins_with(f"{county}#") if county else None,
        filter_expression=Attr("status").eq(status) if status else None,
        limit=limit,
        cursor=cursor,
        newest_first=False,
    )


def all_in_province(province: str) -> Iterator[dict[str, Any]]:
    """Every inspector of a province, page by page (for operations such as the group repair)."""
    cursor: str | None = None
    while True:
        page = list_by_province(province, county=None, status=None, limit=100, cursor=cursor)
        yield from (plain(item) for item in page.items)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
