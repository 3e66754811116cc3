"""Inspectors repository: the inspector record, keyed by the 10-digit code.

Item: ``pk=INSPECTOR#<code>``, ``sk=INSPECTOR``; GSI1 ``INSPPROV#<province>`` /
``<county>#<code>`` lists a province's inspectors by county. The application mirrors the
inspector's status and holds ``inspectorCode``.
"""

from __future__ import annotations

from typing import Any

from nazer.aws import table
from nazer.dal.base import plain


def inspector_key(code: str) -> dict[str, str]:
    return {"pk": f"INSPECTOR#{code}", "sk": "INSPECTOR"}


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
