"""Put aggregates straight into the table, in any status, for tests of later stages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from nazer.aws import table
from nazer.dal.applications import application_key, index_keys, national_id_guard_key, user_guard_key
from nazer.jalali import iso


def valid_national_id(seed: int | None = None) -> str:
    """A national ID with a correct check digit (and not one repeated digit)."""
    number = seed if seed is not None else uuid.uuid4().int % 10**9
    body = f"{number:09d}"
    if len(set(body)) == 1:
        body = "12345678" + body[-1]
    total = sum(int(digit) * (10 - position) for position, digit in enumerate(body))
    remainder = total % 11
    check = remainder if remainder < 2 else 11 - remainder
    return body + str(check)


def put_application(
    status: str = "APPROVED",
    *,
    province: str = "23",
    county: str = "01",
    sub: str | None = None,
    username: str | None = None,
    created_at: datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An application item as the applications repository stores it, with its guards."""
    application_id = str(uuid.uuid4())
    subject = sub or str(uuid.uuid4())
    created = iso(created_at or datetime.now(UTC))
    national_id = fields.pop("nationalId", None) or valid_national_id()
    item: dict[str, Any] = {
        **application_key(application_id),
        **index_keys(status, province, created, application_id),
        "type": "application",
        "applicationId": application_id,
        "userSub": subject,
        "username": username or f"+98912{uuid.uuid4().int % 10**7:07d}",
        "status": status,
        "provinceCode": province,
        "countyCode": county,
        "nationalId": national_id,
        "firstName": "مریم",
        "lastName": "احمدی",
        "fatherName": "علی",
        "birthDate": "1370/05/12",
        "gender": "female",
        "mobile": "09121234567",
        "education": "bachelor",
        "occupation": "کارمند",
        "affiliation": "retiree",
        "referralChannel": "media",
        "conflictOfInterest": {"ownsOrWorksInBusiness": False},
        "consents": {"terms": True, "confidentialityPledge": True, "pledgeVersion": "1403-1", "acceptedAt": created},
        "createdAt": created,
        "updatedAt": created,
        **fields,
    }
    table().put_item(Item=item)
    table().put_item(Item={**user_guard_key(subject), "applicationId": application_id})
    table().put_item(Item={**national_id_guard_key(national_id), "applicationId": application_id})
    return item


def put_inspector(
    *,
    code: str,
    status: str = "ACTIVE",
    province: str | None = None,
    county: str | None = None,
    sub: str | None = None,
    issued_at: datetime | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An application with an issued code and its inspector record (status mirrored)."""
    from nazer.dal.inspectors import inspector_item

    issued = iso(issued_at or datetime.now(UTC))
    application = put_application(
        status,
        province=province or code[:2],
        county=county or code[2:4],
        sub=sub,
        inspectorCode=code,
        codeIssuedAt=issued,
    )
    inspector = inspector_item(code=code, application=application, issued_at=issued, status=status)
    table().put_item(Item=inspector)
    return application, inspector
