"""Monthly reports repository: what a period's report reads, its records, and its files in S3.

Reads (no Scan; see docs/monthly-reports.md for the cost):

- reports of a directorate received in a period: GSI1 ``REPPROV#<p>`` with ``gsi1sk`` between the
  period's bounds, projected to the attributes the figures need, streamed page by page;
- the directorate's inspectors: GSI1 ``INSPPROV#<p>``;
- its outreach log of the month: ``OUTREACH#<p>`` with ``sk`` beginning with the Jalali ``YYYY/MM/``.

Records: ``MONTHLY#<period>`` / ``PROVINCE#<p>`` (generation, files, totals, submission; GSI1
``MONTHLYPROV#<p>`` / ``<period>`` lists a directorate's periods) and ``MONTHLY#<period>`` /
``NATIONAL`` (the run over all directorates and the national roll-up file).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from nazer.aws import s3_client, table
from nazer.dal.base import Page, is_conditional_failure, plain, query_page
from nazer.jalali import Period
from nazer.settings import get_settings

NATIONAL_SK = "NATIONAL"
_REPORT_FIELDS = (
    "receivedAt",
    "channel",
    "violationTypes",
    "#status",
    "countyCode",
    "inspectorCode",
    "referredAt",
    "finalAt",
)
_INSPECTOR_FIELDS = ("inspectorCode", "countyCode", "#status", "issuedAt")


@dataclass
class ReadCount:
    """Pages and items a generation read (for the cost notes and the benchmark)."""

    pages: int = 0
    items: int = 0


def record_key(period: Period, province: str) -> dict[str, str]:
    return {"pk": f"MONTHLY#{period}", "sk": f"PROVINCE#{province}"}


def national_key(period: Period) -> dict[str, str]:
    return {"pk": f"MONTHLY#{period}", "sk": NATIONAL_SK}


def sort_bound(instant_iso: str) -> str:
    """``2024-09-21T20:30:00Z`` → ``2024-09-21T20:30:00``: a prefix bound for ``<receivedAt>#<id>``.

    Without the ``Z`` the bound sorts before every key of that second (with or without fractions)
    and, as BETWEEN's upper bound, after none of them — so BETWEEN start and end is ``[start, end)``.
    """
    return instant_iso.removesuffix("Z")


def _paged(kwargs: dict[str, Any], count: ReadCount | None) -> Iterator[dict[str, Any]]:
    while True:
        reply = table().query(**kwargs)
        items = reply.get("Items", [])
        if count is not None:
            count.pages += 1
            count.items += len(items)
        yield from items
        last = reply.get("LastEvaluatedKey")
        if not last:
            return
        kwargs["ExclusiveStartKey"] = last


def iter_reports(
    province: str, start_iso: str, end_iso: str, count: ReadCount | None = None
) -> Iterator[dict[str, Any]]:
    """Reports of a directorate's queue received in ``[start, end)``, oldest first, streamed."""
    condition = Key("gsi1pk").eq(f"REPPROV#{province}") & Key("gsi1sk").between(
        sort_bound(start_iso), sort_bound(end_iso)
    )
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": condition,
        "ProjectionExpression": ", ".join(_REPORT_FIELDS),
        "ExpressionAttributeNames": {"#status": "status"},
    }
    return _paged(kwargs, count)


def iter_inspectors(province: str, count: ReadCount | None = None) -> Iterator[dict[str, Any]]:
    """Every inspector whose code was issued by the directorate."""
    kwargs: dict[str, Any] = {
        "IndexName": "GSI1",
        "KeyConditionExpression": Key("gsi1pk").eq(f"INSPPROV#{province}"),
        "ProjectionExpression": ", ".join(_INSPECTOR_FIELDS),
        "ExpressionAttributeNames": {"#status": "status"},
    }
    return _paged(kwargs, count)


def list_outreach(period: Period, province: str, count: ReadCount | None = None) -> list[dict[str, Any]]:
    """The directorate's outreach activities dated in the period (Jalali date order)."""
    prefix = f"{period.year:04d}/{period.month:02d}/"
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": Key("pk").eq(f"OUTREACH#{province}") & Key("sk").begins_with(prefix)
    }
    return [plain(item) for item in _paged(kwargs, count)]


# ---------------------------------------------------------------- records


def _number(value: Any) -> Any:
    """Python numbers → DynamoDB numbers (floats as Decimal), recursively."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v) for v in value]
    return value


def record_generation(
    period: Period,
    province: str,
    *,
    generated_at: str,
    files: Mapping[str, Mapping[str, str]],
    totals: Mapping[str, Any],
    counts: Mapping[str, int],
) -> None:
    """Publish a directorate's generated report; keeps any submission already made."""
    assignments = {
        "type": "monthly-report",
        "period": str(period),
        "provinceCode": province,
        "generatedAt": generated_at,
        "files": dict(files),
        "totals": dict(totals),
        "counts": dict(counts),
        "gsi1pk": f"MONTHLYPROV#{province}",
        "gsi1sk": str(period),
    }
    table().update_item(
        Key=record_key(period, province),
        UpdateExpression="SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(assignments))),
        ExpressionAttributeNames={f"#a{i}": name for i, name in enumerate(assignments)},
        ExpressionAttributeValues={f":a{i}": _number(value) for i, value in enumerate(assignments.values())},
    )


def record_national(period: Period, *, generated_at: str, provinces: int, file: Mapping[str, str]) -> None:
    """The run over every directorate finished: the period counts as generated."""
    table().put_item(
        Item={
            **national_key(period),
            "type": "monthly-national",
            "period": str(period),
            "generatedAt": generated_at,
            "provinces": provinces,
            "file": dict(file),
        }
    )


def replace_national_file(period: Period, file: Mapping[str, str]) -> None:
    """Point the national record at a re-rendered roll-up (only if the record exists)."""
    try:
        table().update_item(
            Key=national_key(period),
            UpdateExpression="SET #file = :file",
            ConditionExpression=Attr("pk").exists(),
            ExpressionAttributeNames={"#file": "file"},
            ExpressionAttributeValues={":file": dict(file)},
        )
    except ClientError as error:
        if not is_conditional_failure(error):
            raise


def get_record(period: Period, province: str) -> dict[str, Any] | None:
    item = table().get_item(Key=record_key(period, province), ConsistentRead=True).get("Item")
    return plain(item) if item else None


def get_national(period: Period) -> dict[str, Any] | None:
    item = table().get_item(Key=national_key(period), ConsistentRead=True).get("Item")
    return plain(item) if item else None


def period_records(period: Period) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """Every directorate's record of a period by province code, and the national record (one Query)."""
    provinces: dict[str, dict[str, Any]] = {}
    national: dict[str, Any] | None = None
    kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(f"MONTHLY#{period}"), "ConsistentRead": True}
    for item in _paged(kwargs, None):
        record = plain(item)
        if record["sk"] == NATIONAL_SK:
            national = record
        else:
            provinces[str(record["sk"]).removeprefix("PROVINCE#")] = record
    return provinces, national


def list_for_province(province: str, limit: int, cursor: str | None) -> Page:
    """A directorate's generated periods, newest first."""
    page = query_page(
        table(), index="GSI1", partition=("gsi1pk", f"MONTHLYPROV#{province}"), limit=limit, cursor=cursor
    )
    return Page([plain(item) for item in page.items], page.next_cursor)


def submit(period: Period, province: str, *, remarks: str | None, now: str, late: bool) -> dict[str, Any] | None:
    """Record a submission: the first time and lateness stay, the remarks are the latest.

    One conditional update (the report must have been generated), so racing submissions agree on
    the first time. None when the period's report was not generated.
    """
    try:
        reply = table().update_item(
            Key=record_key(period, province),
            UpdateExpression=(
                "SET submittedAt = if_not_exists(submittedAt, :now), late = if_not_exists(late, :late), "
                "lastSubmittedAt = :now, remarks = :remarks"
            ),
            ConditionExpression=Attr("generatedAt").exists(),
            ExpressionAttributeValues={":now": now, ":late": late, ":remarks": remarks},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if is_conditional_failure(error):
            return None
        raise
    stored: dict[str, Any] = plain(reply["Attributes"])
    return stored


# ---------------------------------------------------------------- files


def put_file(key: str, body: IO[bytes] | bytes, *, content_type: str, file_name: str) -> None:
    s3_client().put_object(
        Bucket=get_settings().bucket_name,
        Key=key,
        Body=body,
        ContentType=content_type,
        ContentDisposition=f'attachment; filename="{file_name}"',
    )


def put_path(key: str, path: Path, *, content_type: str, file_name: str) -> None:
    with path.open("rb") as handle:
        put_file(key, handle, content_type=content_type, file_name=file_name)


def copy_file(source_key: str, key: str) -> str | None:
    """Copy an object in place (metadata kept); the new version's id when the bucket is versioned."""
    bucket = get_settings().bucket_name
    reply = s3_client().copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": source_key})
    version = reply.get("VersionId")
    return str(version) if version and version != "null" else None


def delete_files(keys: list[str]) -> None:
    if keys:
        s3_client().delete_objects(
            Bucket=get_settings().bucket_name, Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True}
        )


def read_file(key: str) -> bytes:
    body: bytes = s3_client().get_object(Bucket=get_settings().bucket_name, Key=key)["Body"].read()
    return body


def presign(key: str, version_id: str | None, ttl_seconds: int) -> str:
    """A presigned GET of one object (of the recorded version, when there is one)."""
    params: dict[str, str] = {"Bucket": get_settings().bucket_name, "Key": key}
    if version_id:
        params["VersionId"] = version_id
    url: str = s3_client().generate_presigned_url("get_object", Params=params, ExpiresIn=ttl_seconds)
    return url
