"""Liaisons repository: each directorate's liaison, ``pk=LIAISON``, ``sk=PROVINCE#<province>``.

Attributes ``provinceCode``, ``fullName``, ``phone``, ``email``, ``updatedAt``, ``updatedBy``.
One Query lists every directorate's liaison.
"""

from __future__ import annotations

from typing import Any

from nazer.aws import table
from nazer.dal.base import plain

LIAISON_PK = "LIAISON"


def liaison_key(province_code: str) -> dict[str, str]:
    return {"pk": LIAISON_PK, "sk": f"PROVINCE#{province_code}"}


def put(province_code: str, fields: dict[str, Any], updated_at: str, updated_by: str) -> dict[str, Any]:
    item = {
        **liaison_key(province_code),
        "type": "liaison",
        "provinceCode": province_code,
        **fields,
        "updatedAt": updated_at,
        "updatedBy": updated_by,
    }
    table().put_item(Item=item)
    return item


def list_all() -> dict[str, dict[str, Any]]:
    """Every stored liaison, by province code."""
    from boto3.dynamodb.conditions import Key

    result: dict[str, dict[str, Any]] = {}
    kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(LIAISON_PK)}
    while True:
        reply = table().query(**kwargs)
        for item in reply.get("Items", []):
            result[str(item["provinceCode"])] = plain(item)
        if "LastEvaluatedKey" not in reply:
            return result
        kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]
