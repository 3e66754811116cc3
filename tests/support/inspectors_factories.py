"""Approved applications and county counters written straight into a given table.

Takes a boto3 ``Table`` so the same factories serve in-process moto, the locked moto server and
the local stack's table (``endpoint_url=stack.descriptor["awsEndpoint"]``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import boto3

from nazer.dal.applications import application_key, index_keys, national_id_guard_key, user_guard_key
from nazer.dal.inspectors import counter_key
from nazer.jalali import iso
from tests.support.events import api_event, claims
from tests.support.factories import valid_national_id


def stack_table(descriptor: dict[str, Any]) -> Any:
    """The local stack's application table (a boto3 resource Table on the emulator)."""
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=descriptor["awsEndpoint"],
        region_name=descriptor["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return resource.Table(descriptor["tableName"])


def application_items(
    status: str = "APPROVED",
    *,
    province: str,
    county: str,
    sub: str | None = None,
    username: str | None = None,
    created_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """An application as the applications repository stores it, and its two guards."""
    application_id = str(uuid.uuid4())
    subject = sub or str(uuid.uuid4())
    created = iso(created_at or datetime.now(UTC))
    national_id = valid_national_id()
    application = {
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
        "firstName": "زهرا",
        "lastName": "کریمی",
        "fatherName": "حسن",
        "birthDate": "1368/02/20",
        "gender": "female",
        "mobile": "09121234567",
        "education": "master",
        "occupation": "دبیر",
        "affiliation": "university_faculty",
        "referralChannel": "provincial_call",
        "conflictOfInterest": {"ownsOrWorksInBusiness": False},
        "consents": {"terms": True, "confidentialityPledge": True, "pledgeVersion": "1403-1", "acceptedAt": created},
        "createdAt": created,
        "updatedAt": created,
        "announcedAt": created,
    }
    return [
        application,
        {**user_guard_key(subject), "applicationId": application_id},
        {**national_id_guard_key(national_id), "applicationId": application_id},
    ]


def put_applications(
    table: Any, count: int, *, province: str, county: str, status: str = "APPROVED"
) -> list[dict[str, Any]]:
    """``count`` applications of one county in ``status`` (batched writes); the application items."""
    written: list[dict[str, Any]] = []
    with table.batch_writer() as batch:
        for _ in range(count):
            items = application_items(status, province=province, county=county)
            for item in items:
                batch.put_item(Item=item)
            written.append(items[0])
    return written


def put_application(table: Any, status: str = "APPROVED", **options: Any) -> dict[str, Any]:
    items = application_items(status, **options)
    for item in items:
        table.put_item(Item=item)
    return items[0]


def set_counter(table: Any, province: str, county: str, value: int) -> None:
    """Pretend a county has issued ``value`` codes already."""
    table.put_item(
        Item={**counter_key(province, county), "value": value, "provinceCode": province, "countyCode": county}
    )


def read_counter(table: Any, province: str, county: str) -> int | None:
    item = table.get_item(Key=counter_key(province, county), ConsistentRead=True).get("Item")
    return int(item["value"]) if item else None


# ---------------------------------------------------------------- events of the inspectors routes


def officer(province: str = "23", **options: Any) -> dict[str, str]:
    return claims("province-officer", province=province, **options)


def hq_admin() -> dict[str, str]:
    return claims("hq-admin")


def issue_event(
    province: str, body: Any, caller: dict[str, str] | None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return api_event(
        "POST",
        f"/provinces/{province}/inspectors",
        resource="/provinces/{provinceCode}/inspectors",
        path_parameters={"provinceCode": province},
        body=body,
        headers=headers,
        caller=caller,
    )


def list_inspectors_event(
    province: str, caller: dict[str, str] | None, query: dict[str, str] | None = None
) -> dict[str, Any]:
    return api_event(
        "GET",
        f"/provinces/{province}/inspectors",
        resource="/provinces/{provinceCode}/inspectors",
        path_parameters={"provinceCode": province},
        query=query,
        caller=caller,
    )


def list_applications_event(
    province: str, caller: dict[str, str] | None, query: dict[str, str] | None = None
) -> dict[str, Any]:
    return api_event(
        "GET",
        f"/provinces/{province}/applications",
        resource="/provinces/{provinceCode}/applications",
        path_parameters={"provinceCode": province},
        query=query,
        caller=caller,
    )


def status_event(
    province: str,
    code: str,
    body: Any,
    caller: dict[str, str] | None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    return api_event(
        "POST",
        f"/provinces/{province}/inspectors/{code}/status",
        resource="/provinces/{provinceCode}/inspectors/{inspectorCode}/status",
        path_parameters={"provinceCode": province, "inspectorCode": code},
        body=body,
        headers=headers,
        caller=caller,
    )
