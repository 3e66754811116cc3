"""Inspectors, report bodies and images for the reports tests (in-process, served moto, or the stack)."""

from __future__ import annotations

import io
import itertools
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import jwt
from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

from nazer.dal.applications import application_key, index_keys, national_id_guard_key, user_guard_key
from nazer.dal.inspectors import inspector_item
from nazer.jalali import iso
from tests.support.events import claims
from tests.support.factories import put_inspector, valid_national_id

# Codes stay unique within a test session (the served emulator and the stack keep their state).
_SEQUENCE = itertools.count(random.randrange(10_000))

# What the factories store as the reporter's personal data: no report response may contain any of it.
FIRST_NAME = "مریم"
LAST_NAME = "احمدی"
MOBILE = "09121234567"


def new_code(province: str = "23", county: str = "01") -> str:
    return f"{province}{county}40{next(_SEQUENCE) % 10_000:04d}"


def an_inspector(
    status: str = "ACTIVE", province: str = "23", county: str = "01"
) -> tuple[dict[str, str], str, dict[str, Any]]:
    """An inspector in the current (moto) table: their authorizer claims, code and application."""
    sub = str(uuid.uuid4())
    code = new_code(province, county)
    application, _ = put_inspector(code=code, status=status, sub=sub)
    return claims("inspector", sub=sub, username=application["username"]), code, application


def officer(province: str = "23") -> dict[str, str]:
    """The demo officer of a province (the same user on every call)."""
    sub = str(uuid.uuid5(uuid.NAMESPACE_URL, f"officer-{province}"))
    return claims("province-officer", province=province, username=f"officer-{province}", sub=sub)


def hq() -> dict[str, str]:
    return claims("hq-admin", username="hq-admin", sub=str(uuid.uuid5(uuid.NAMESPACE_URL, "hq-admin")))


def report_body(now: datetime | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid POST /reports body about a business in Tehran (23/01)."""
    observed = (now or datetime.now(UTC)) - timedelta(hours=2)
    body: dict[str, Any] = {
        "business": {
            "name": "سوپرمارکت نمونه",
            "guild": "خواربارفروشی",
            "address": "تهران، خیابان انقلاب، پلاک ۱۲",
            "provinceCode": "23",
            "countyCode": "01",
        },
        "violationTypes": ["overpricing"],
        "product": "روغن مایع ۱ لیتری",
        "observedPriceRials": 1_250_000,
        "officialPriceRials": 980_000,
        "observedAt": observed.isoformat(),
        "description": "قیمت روغن بیش از نرخ مصوب دریافت شد.",
    }
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def officer_body(inspector_code: str, channel: str = "system_124", **overrides: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {"inspectorCode": inspector_code, "channel": channel}
    if channel == "system_124":
        extra["externalReference"] = "124-1403-778899"
    return report_body(**{**extra, **overrides})


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A real JPEG whose EXIF carries a GPS position, a device and a time."""
    image = Image.new("RGB", size, (180, 40, 40))
    for x in range(size[0]):
        image.putpixel((x, x % size[1]), (10, 200, 30))
    exif = Image.Exif()
    exif[Base.Make] = "Samsung"
    exif[Base.Model] = "SM-A525F"
    exif[Base.DateTime] = "2024:09:26 10:00:00"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (35.0, 41.0, 22.0)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (51.0, 23.0, 1.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def tiny_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# ---------------------------------------------------------------- the local stack


def stack_inspector(stack: Any, province: str = "23", county: str = "01", status: str = "ACTIVE") -> tuple[str, str]:
    """A signed-up user made an inspector on the running stack; returns (ID token, inspector code).

    The codes routes are built elsewhere, so the application and inspector items are written
    straight into the stack's table, and the user is added to the ``inspector`` group.
    """
    password = "Inspector-Pass-1403"
    username, token = stack.sign_up(password=password)
    sub = str(jwt.decode(token, options={"verify_signature": False})["sub"])
    stack.cognito().admin_add_user_to_group(
        UserPoolId=stack.descriptor["userPoolId"], Username=username, GroupName="inspector"
    )
    table = boto3.resource(
        "dynamodb",
        endpoint_url=stack.descriptor["awsEndpoint"],
        region_name=stack.descriptor["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(stack.descriptor["tableName"])
    code = new_code(province, county)
    now = iso(datetime.now(UTC))
    application_id = str(uuid.uuid4())
    national_id = valid_national_id()
    application = {
        **application_key(application_id),
        **index_keys(status, province, now, application_id),
        "type": "application",
        "applicationId": application_id,
        "userSub": sub,
        "username": username,
        "status": status,
        "provinceCode": province,
        "countyCode": county,
        "nationalId": national_id,
        "firstName": FIRST_NAME,
        "lastName": LAST_NAME,
        "mobile": MOBILE,
        "inspectorCode": code,
        "codeIssuedAt": now,
        "createdAt": now,
        "updatedAt": now,
    }
    table.put_item(Item=application)
    table.put_item(Item={**user_guard_key(sub), "applicationId": application_id})
    table.put_item(Item={**national_id_guard_key(national_id), "applicationId": application_id})
    table.put_item(Item=inspector_item(code=code, application=application, issued_at=now, status=status))
    return stack.sign_in(username, password), code
