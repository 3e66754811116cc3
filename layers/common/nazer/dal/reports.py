"""Reports repository: the report, its history entries and attachments, and the daily rate counter.

Items (see docs/data-model.md and docs/reports.md):

- ``REPORT#<id>`` / ``REPORT``: the report; GSI1 ``REPPROV#<province>`` (the province queue and the
  monthly figures, by ``receivedAt``), GSI2 ``REPINSP#<inspectorCode>`` (the reporter's list),
  GSI3 ``REPBIZ#<province>#<county>#<business key>`` (the possible-duplicate hint);
- ``REPORT#<id>`` / ``HISTORY#<at>#<n>``: one per status (who, when, note);
- ``REPORT#<id>`` / ``ATTACHMENT#<attachmentId>``: an evidence file, PENDING then READY;
- ``RATE#<inspectorCode>#<tehranDay>`` / ``RATE``: reports filed that day, ``ttl`` two days on.

Every multi-item change is one transaction with conditions, so a report never exists without its
first history entry, a move is never recorded twice, and the daily cap holds under concurrency.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from nazer.aws import table
from nazer.dal.base import Page, cancellation_codes, is_conditional_failure, is_transaction_cancelled, plain, query_page
from nazer.errors import DomainError

REPORT_SK = "REPORT"
HISTORY_PREFIX = "HISTORY#"
ATTACHMENT_PREFIX = "ATTACHMENT#"
CONDITION_FAILED = "ConditionalCheckFailed"
TRANSACTION_CONFLICT = "TransactionConflict"
TRANSACTION_ATTEMPTS = 4


class RateLimitReachedError(Exception):
    """The inspector has filed the day's allowance already."""


class StaleReportError(Exception):
    """The report is no longer in the state it was read in (another officer moved it first)."""


class AttachmentRefusedError(Exception):
    """The report takes no more attachments (limit reached, report closed, or gone)."""


def transact(actions: list[dict[str, Any]]) -> None:
    """``TransactWriteItems``, tried again when DynamoDB cancels it for a conflicting transaction.

    Two transactions touching one item at once (an inspector's daily counter, a report two officers
    move) make DynamoDB cancel one with ``TransactionConflict``; nothing was written, and every
    condition is evaluated afresh on the next try. Condition failures are the caller's to read.
    """
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            table().meta.client.transact_write_items(TransactItems=actions)
            return
        except ClientError as error:
            codes = cancellation_codes(error) if is_transaction_cancelled(error) else []
            if TRANSACTION_CONFLICT not in codes or CONDITION_FAILED in codes:
                raise
            if attempt + 1 < TRANSACTION_ATTEMPTS:
                time.sleep(0.02 * 2**attempt)
    raise DomainError(
        "service-unavailable",
        "The record is busy; retry shortly",
        "این مورد هم‌اکنون در حال به‌روزرسانی است؛ کمی بعد دوباره تلاش کنید",
        headers={"Retry-After": "1"},
    )


def report_key(report_id: str) -> dict[str, str]:
    return {"pk": f"REPORT#{report_id}", "sk": REPORT_SK}


def attachment_key(report_id: str, attachment_id: str) -> dict[str, str]:
    return {"pk": f"REPORT#{report_id}", "sk": f"{ATTACHMENT_PREFIX}{attachment_id}"}


def rate_key(inspector_code: str, tehran_day: str) -> dict[str, str]:
    return {"pk": f"RATE#{inspector_code}#{tehran_day}", "sk": "RATE"}


def province_partition(province: str) -> str:
    return f"REPPROV#{province}"


def inspector_partition(inspector_code: str) -> str:
    return f"REPINSP#{inspector_code}"


def business_partition(province: str, county: str, business_key: str) -> str:
    return f"REPBIZ#{province}#{county}#{business_key}"


def index_keys(report: dict[str, Any], business_key: str) -> dict[str, str]:
    """The GSI attributes of a report: all three sort by ``<receivedAt>#<reportId>``."""
    order = f"{report['receivedAt']}#{report['reportId']}"
    return {
        "gsi1pk": province_partition(report["provinceCode"]),
        "gsi1sk": order,
        "gsi2pk": inspector_partition(report["inspectorCode"]),
        "gsi2sk": order,
        "gsi3pk": business_partition(report["provinceCode"], report["countyCode"], business_key),
        "gsi3sk": order,
    }


def report_item(report: dict[str, Any], business_key: str) -> dict[str, Any]:
    """The stored report: its attributes plus keys; ``None`` values are left out."""
    attributes = {name: value for name, value in report.items() if value is not None}
    return {
        **report_key(report["reportId"]),
        **index_keys(report, business_key),
        "type": "report",
        "businessKey": business_key,
        "historyCount": 1,
        "attachmentCount": 0,
        **attributes,
    }


def history_item(report_id: str, n: int, status: str, at: str, by: str, note: str | None) -> dict[str, Any]:
    item = {
        "pk": f"REPORT#{report_id}",
        "sk": f"{HISTORY_PREFIX}{at}#{n:04d}",
        "type": "reportHistory",
        "step": n,
        "status": status,
        "at": at,
        "by": by,
    }
    if note:
        item["note"] = note
    return item


@dataclass(frozen=True)
class RateLimit:
    """The daily counter a web report is charged to."""

    inspector_code: str
    tehran_day: str
    limit: int
    expires_epoch: int


def create(report: dict[str, Any], business_key: str, by: str, rate: RateLimit | None) -> dict[str, Any]:
    """Store a new report, its RECEIVED entry and (for web reports) the day's count, all or nothing."""
    name = table().name
    item = report_item(report, business_key)
    first = history_item(report["reportId"], 1, report["status"], report["receivedAt"], by, None)
    actions: list[dict[str, Any]] = [
        {"Put": {"TableName": name, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": name, "Item": first, "ConditionExpression": "attribute_not_exists(pk)"}},
    ]
    if rate is not None:
        actions.append(
            {
                "Update": {
                    "TableName": name,
                    "Key": rate_key(rate.inspector_code, rate.tehran_day),
                    "UpdateExpression": "SET #ttl = if_not_exists(#ttl, :ttl) ADD #count :one",
                    "ConditionExpression": "attribute_not_exists(#count) OR #count < :limit",
                    "ExpressionAttributeNames": {"#count": "count", "#ttl": "ttl"},
                    "ExpressionAttributeValues": {":one": 1, ":limit": rate.limit, ":ttl": rate.expires_epoch},
                }
            }
        )
    try:
        transact(actions)
    except ClientError as error:
        if rate is not None and is_transaction_cancelled(error):
            codes = cancellation_codes(error)
            if len(codes) == 3 and codes[2] == CONDITION_FAILED:
                raise RateLimitReachedError from error
        raise
    stored: dict[str, Any] = plain(item)
    return stored


def reports_filed_on(inspector_code: str, tehran_day: str) -> int:
    item = table().get_item(Key=rate_key(inspector_code, tehran_day), ConsistentRead=True).get("Item")
    return int(item["count"]) if item else 0


def get(report_id: str) -> dict[str, Any] | None:
    item = table().get_item(Key=report_key(report_id), ConsistentRead=True).get("Item")
    return plain(item) if item else None


@dataclass(frozen=True)
class ReportDetails:
    report: dict[str, Any]
    history: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


def get_details(report_id: str) -> ReportDetails | None:
    """The report with its history (oldest first) and attachments: one Query on its partition."""
    kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(f"REPORT#{report_id}"), "ConsistentRead": True}
    items: list[dict[str, Any]] = []
    while True:
        reply = table().query(**kwargs)
        items.extend(plain(item) for item in reply.get("Items", []))
        if "LastEvaluatedKey" not in reply:
            break
        kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]
    report = next((item for item in items if item["sk"] == REPORT_SK), None)
    if report is None:
        return None
    history = sorted(
        (item for item in items if str(item["sk"]).startswith(HISTORY_PREFIX)), key=lambda item: int(item["step"])
    )
    attachments = [item for item in items if str(item["sk"]).startswith(ATTACHMENT_PREFIX)]
    return ReportDetails(report, history, attachments)


def list_for_inspector(inspector_code: str, limit: int, cursor: str | None) -> Page:
    page = query_page(
        table(), index="GSI2", partition=("gsi2pk", inspector_partition(inspector_code)), limit=limit, cursor=cursor
    )
    return Page([plain(item) for item in page.items], page.next_cursor)


def list_for_province(
    province: str,
    *,
    limit: int,
    cursor: str | None,
    status: str | None = None,
    county: str | None = None,
    violation_type: str | None = None,
    received_from: str | None = None,
    received_before: str | None = None,
) -> Page:
    """The province queue, newest first: a Query on GSI1, date range on the sort key, filters server-side.

    ``received_from`` is inclusive, ``received_before`` exclusive (both ISO instants in UTC).
    """
    sort = Key("gsi1sk")
    sort_condition: Any = None
    if received_from and received_before:
        sort_condition = sort.between(received_from, received_before)
    elif received_from:
        sort_condition = sort.gte(received_from)
    elif received_before:
        sort_condition = sort.lt(received_before)
    filters: Any = None
    for condition in (
        Attr("status").eq(status) if status else None,
        Attr("countyCode").eq(county) if county else None,
        Attr("violationTypes").contains(violation_type) if violation_type else None,
    ):
        if condition is not None:
            filters = condition if filters is None else filters & condition
    page = query_page(
        table(),
        index="GSI1",
        partition=("gsi1pk", province_partition(province)),
        sort_condition=sort_condition,
        filter_expression=filters,
        limit=limit,
        cursor=cursor,
    )
    return Page([plain(item) for item in page.items], page.next_cursor)


def recent_for_business(
    province: str, county: str, business_key: str, since: str, limit: int = 50
) -> list[dict[str, Any]]:
    """Reports of one business received at or after ``since``, newest first (GSI3, one partition)."""
    reply = table().query(
        IndexName="GSI3",
        KeyConditionExpression=Key("gsi3pk").eq(business_partition(province, county, business_key))
        & Key("gsi3sk").gte(since),
        ScanIndexForward=False,
        Limit=limit,
    )
    return [plain(item) for item in reply.get("Items", [])]


def move(
    report: dict[str, Any], to_status: str, at: str, by: str, note: str | None, extra: dict[str, str]
) -> dict[str, Any]:
    """Move the report and record the move, conditional on the status and step it was read in.

    Raises :class:`StaleReportError` when another writer moved it first; nothing is written then.
    """
    name = table().name
    step = int(report["historyCount"]) + 1
    assignments = {"status": to_status, "updatedAt": at, "historyCount": step, **extra}
    names = {f"#a{i}": attribute for i, attribute in enumerate(assignments)}
    values: dict[str, Any] = {f":a{i}": value for i, value in enumerate(assignments.values())}
    names |= {"#status": "status", "#count": "historyCount"}
    values |= {":current": report["status"], ":step": int(report["historyCount"])}
    actions = [
        {
            "Update": {
                "TableName": name,
                "Key": report_key(report["reportId"]),
                "UpdateExpression": "SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(assignments))),
                "ConditionExpression": "#status = :current AND #count = :step",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        },
        {
            "Put": {
                "TableName": name,
                "Item": history_item(report["reportId"], step, to_status, at, by, note),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
    ]
    try:
        transact(actions)
    except ClientError as error:
        if is_transaction_cancelled(error) and CONDITION_FAILED in cancellation_codes(error):
            raise StaleReportError from error
        raise
    return {**report, **assignments}


# ---------------------------------------------------------------- attachments


def add_attachment(attachment: dict[str, Any], max_count: int, open_statuses: list[str]) -> None:
    """Reserve one of the report's attachment places and store the PENDING attachment, atomically."""
    name = table().name
    report_id = attachment["reportId"]
    status_values = {f":s{i}": status for i, status in enumerate(open_statuses)}
    open_condition = f"#status IN ({', '.join(status_values)})"
    actions = [
        {
            "Update": {
                "TableName": name,
                "Key": report_key(report_id),
                "UpdateExpression": "ADD #count :one",
                "ConditionExpression": f"attribute_exists(pk) AND #count < :max AND {open_condition}",
                "ExpressionAttributeNames": {"#count": "attachmentCount", "#status": "status"},
                "ExpressionAttributeValues": {":one": 1, ":max": max_count, **status_values},
            }
        },
        {
            "Put": {
                "TableName": name,
                "Item": {
                    **attachment_key(report_id, attachment["attachmentId"]),
                    "type": "reportAttachment",
                    **attachment,
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
    ]
    try:
        transact(actions)
    except ClientError as error:
        if is_transaction_cancelled(error) and cancellation_codes(error)[:1] == [CONDITION_FAILED]:
            raise AttachmentRefusedError from error
        raise


def get_attachment(report_id: str, attachment_id: str) -> dict[str, Any] | None:
    item = table().get_item(Key=attachment_key(report_id, attachment_id), ConsistentRead=True).get("Item")
    return plain(item) if item else None


def mark_attachment_ready(report_id: str, attachment_id: str, fields: dict[str, Any]) -> dict[str, Any] | None:
    """PENDING → READY with the cleaned file's facts; None when it was not PENDING any more."""
    assignments = {"status": "READY", **fields}
    names = {f"#a{i}": attribute for i, attribute in enumerate(assignments)} | {"#status": "status"}
    values = {f":a{i}": value for i, value in enumerate(assignments.values())} | {":pending": "PENDING"}
    try:
        reply = table().update_item(
            Key=attachment_key(report_id, attachment_id),
            UpdateExpression="SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(assignments))),
            ConditionExpression="#status = :pending",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if is_conditional_failure(error):
            return None
        raise
    stored: dict[str, Any] = plain(reply["Attributes"])
    return stored


def discard_attachment(report_id: str, attachment_id: str) -> bool:
    """Drop a PENDING attachment whose file was refused and give its place back to the report."""
    name = table().name
    actions = [
        {
            "Delete": {
                "TableName": name,
                "Key": attachment_key(report_id, attachment_id),
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":pending": "PENDING"},
            }
        },
        {
            "Update": {
                "TableName": name,
                "Key": report_key(report_id),
                "UpdateExpression": "ADD #count :minus",
                "ConditionExpression": "#count > :zero",
                "ExpressionAttributeNames": {"#count": "attachmentCount"},
                "ExpressionAttributeValues": {":minus": -1, ":zero": 0},
            }
        },
    ]
    try:
        transact(actions)
    except ClientError as error:
        if is_transaction_cancelled(error):
            return False
        raise
    return True
