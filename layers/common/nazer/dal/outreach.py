"""Outreach activities repository: ``OUTREACH#<province>`` / ``<jalali date>#<activityId>``.

The sort key starts with the Jalali date (``1403/07/05``), so a province's log reads newest first
and a month is a ``begins_with`` on ``1403/07/`` (what the monthly report reads).
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from nazer.aws import table
from nazer.dal.base import Page, plain, query_page


def partition(province: str) -> str:
    return f"OUTREACH#{province}"


def activity_key(province: str, date: str, activity_id: str) -> dict[str, str]:
    return {"pk": partition(province), "sk": f"{date}#{activity_id}"}


def put(activity: dict[str, Any]) -> dict[str, Any]:
    item = {
        **activity_key(activity["provinceCode"], activity["date"], activity["activityId"]),
        "type": "outreach",
        **{name: value for name, value in activity.items() if value is not None},
    }
    table().put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    return item


def list_for_province(province: str, period_prefix: str | None, limit: int, cursor: str | None) -> Page:
    """Newest first; ``period_prefix`` (``"1403/07/"``) keeps one Jalali month."""
    sort_condition = Key("sk").begins_with(period_prefix) if period_prefix else None
    page = query_page(
        table(), partition=("pk", partition(province)), sort_condition=sort_condition, limit=limit, cursor=cursor
    )
    return Page([plain(item) for item in page.items], page.next_cursor)
