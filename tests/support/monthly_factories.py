"""Items the monthly report reads, written straight into the table in the shapes of docs/data-model.md.

The writers (applications, exam, inspectors, reports, outreach) are built elsewhere; these
factories follow their documented item shapes exactly so the report can be tested on its own.
Every function takes an optional ``table`` (a boto3 Table) — the e2e suite passes the local
stack's; otherwise ``nazer.aws.table()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from nazer.dal.inspectors import inspector_key
from nazer.dal.stats import COUNTERS, stats_key
from nazer.jalali import Period, iso


def _table(table: Any = None) -> Any:
    if table is not None:
        return table
    from nazer.aws import table as default_table

    return default_table()


def put_counters(period: Period, province: str, county: str, *, table: Any = None, **counters: int) -> None:
    """``STATS#<period>#<p>`` / ``COUNTY#<c>``, ADDed like nazer.dal.stats.bump does."""
    unknown = set(counters) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown counters {sorted(unknown)}")
    names = {f"#c{i}": name for i, name in enumerate(counters)}
    values = {f":c{i}": amount for i, amount in enumerate(counters.values())}
    _table(table).update_item(
        Key=stats_key(period, province, county),
        UpdateExpression="ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


def new_report_id(received_at: datetime) -> str:
    """Sortable like a ULID: milliseconds first, then randomness."""
    millis = int(received_at.timestamp() * 1000)
    return f"{millis:013d}{uuid.uuid4().hex[:13].upper()}"


def report_item(
    *,
    province: str,
    county: str,
    received_at: datetime,
    inspector_code: str,
    channel: str = "web",
    violation_types: Iterable[str] = ("overpricing",),
    status: str = "RECEIVED",
    referred_at: datetime | None = None,
    final_at: datetime | None = None,
    report_id: str | None = None,
    business_name: str = "فروشگاه نمونه",
) -> dict[str, Any]:
    """A report item as the reports repository stores it (business's province and county)."""
    rid = report_id or new_report_id(received_at)
    received = iso(received_at)
    order = f"{received}#{rid}"
    item: dict[str, Any] = {
        "pk": f"REPORT#{rid}",
        "sk": "REPORT",
        "gsi1pk": f"REPPROV#{province}",
        "gsi1sk": order,
        "gsi2pk": f"REPINSP#{inspector_code}",
        "gsi2sk": order,
        "gsi3pk": f"REPBIZ#{province}#{county}#{business_name}",
        "gsi3sk": order,
        "type": "report",
        "reportId": rid,
        "inspectorCode": inspector_code,
        "channel": channel,
        "status": status,
        "provinceCode": province,
        "countyCode": county,
        "business": {
            "name": business_name,
            "guild": "خواربار",
            "address": "خیابان آزادی، پلاک ۱۲",
            "provinceCode": province,
            "countyCode": county,
        },
        "violationTypes": list(violation_types),
        "product": "برنج",
        "observedPriceRials": 1_200_000,
        "officialPriceRials": 950_000,
        "observedAt": received,
        "description": "قیمت بالاتر از نرخ مصوب",
        "receivedAt": received,
        "updatedAt": iso(final_at or referred_at or received_at),
    }
    if channel == "system_124":
        item["externalReference"] = f"124-{rid[-8:]}"
    if channel != "web":
        item["registeredBy"] = str(uuid.uuid4())
    if referred_at is not None:
        item["referredAt"] = iso(referred_at)
    if final_at is not None:
        item["finalAt"] = iso(final_at)
    return item


def put_report(*, table: Any = None, **fields: Any) -> dict[str, Any]:
    item = report_item(**fields)
    _table(table).put_item(Item=item)
    return item


def inspector_record(
    *, code: str, status: str = "ACTIVE", issued_at: datetime, county: str | None = None
) -> dict[str, Any]:
    """The inspector record (``INSPECTOR#<code>``) with its ``INSPPROV#<p>`` index keys."""
    province, county_code = code[:2], county or code[2:4]
    issued = iso(issued_at)
    return {
        **inspector_key(code),
        "gsi1pk": f"INSPPROV#{province}",
        "gsi1sk": f"{county_code}#{code}",
        "type": "inspector",
        "inspectorCode": code,
        "applicationId": str(uuid.uuid4()),
        "userSub": str(uuid.uuid4()),
        "username": f"+98912{uuid.uuid4().int % 10**7:07d}",
        "provinceCode": province,
        "countyCode": county_code,
        "firstName": "زهرا",
        "lastName": "کریمی",
        "status": status,
        "issuedAt": issued,
        "updatedAt": issued,
    }


def put_inspector_record(*, table: Any = None, **fields: Any) -> dict[str, Any]:
    item = inspector_record(**fields)
    _table(table).put_item(Item=item)
    return item


def put_outreach(
    *,
    province: str,
    date: str,
    kind: str = "public_call",
    title: str = "فراخوان عمومی جذب ناظران افتخاری",
    description: str = "نشست با شورای محله",
    people_reached: int = 50,
    table: Any = None,
) -> dict[str, Any]:
    """``OUTREACH#<p>`` / ``<Jalali YYYY/MM/DD>#<activityId>``."""
    activity_id = str(uuid.uuid4())
    item = {
        "pk": f"OUTREACH#{province}",
        "sk": f"{date}#{activity_id}",
        "activityId": activity_id,
        "provinceCode": province,
        "date": date,
        "type": kind,
        "title": title,
        "description": description,
        "peopleReached": people_reached,
        "createdAt": "2024-10-01T08:00:00Z",
        "createdBy": str(uuid.uuid4()),
    }
    _table(table).put_item(Item=item)
    return item
