"""Monthly activity counters, kept as events happen (one small item per period, province, county).

Each event adds to the counters of the Jalali period it happened in, so a monthly report reads
one partition per province instead of the period's raw items. The update can stand alone or be
one item of a larger transaction (``counter_update``), so a counter never drifts from its event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nazer.aws import table
from nazer.jalali import Period

# The counters a county row of the monthly report is built from.
COUNTERS = (
    "applications",
    "trainingDownloads",
    "examAttempts",
    "examsPassed",
    "announced",
    "codesIssued",
)


def stats_key(period: Period, province: str, county: str) -> dict[str, str]:
    return {"pk": f"STATS#{period}#{province}", "sk": f"COUNTY#{county}"}


def counter_update(province: str, county: str, at: datetime, **increments: int) -> dict[str, Any]:
    """The ``Update`` item of a transaction that adds ``increments`` to the period's counters."""
    unknown = set(increments) - set(COUNTERS) - {name for name in increments if name.startswith("reports")}
    if unknown:
        raise ValueError(f"unknown counters {sorted(unknown)}")
    names = {f"#c{i}": name for i, name in enumerate(increments)}
    values = {f":c{i}": amount for i, amount in enumerate(increments.values())}
    expression = "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(increments)))
    return {
        "TableName": table().name,
        "Key": stats_key(Period.of(at), province, county),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def bump(province: str, county: str, at: datetime, **increments: int) -> None:
    """Add to the counters of the period containing ``at`` (a single UpdateItem)."""
    update = counter_update(province, county, at, **increments)
    update.pop("TableName")
    table().update_item(**update)


def read_period(period: Period, province: str) -> dict[str, dict[str, int]]:
    """Counters per county code for one province and period (one Query)."""
    from boto3.dynamodb.conditions import Key

    result: dict[str, dict[str, int]] = {}
    kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(f"STATS#{period}#{province}")}
    while True:
        reply = table().query(**kwargs)
        for item in reply.get("Items", []):
            county = str(item["sk"]).removeprefix("COUNTY#")
            result[county] = {k: int(v) for k, v in item.items() if k not in {"pk", "sk"}}
        if "LastEvaluatedKey" not in reply:
            return result
        kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]
