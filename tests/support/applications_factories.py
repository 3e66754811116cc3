"""Bodies of the membership form, valid unless a test overrides a field."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from tests.support.factories import valid_national_id

# A fixed "now" for handler tests that inject time: 1403/07/05 10:00 Tehran.
NOW = datetime(2024, 9, 26, 6, 30, tzinfo=UTC)


def application_body(**overrides: Any) -> dict[str, Any]:
    """A complete, valid ``POST /applications`` body with a fresh national ID."""
    body: dict[str, Any] = {
        "nationalId": valid_national_id(),
        "firstName": "مریم",
        "lastName": "احمدی",
        "fatherName": "علی",
        "birthDate": "1370/05/12",
        "gender": "female",
        "mobile": "09121234567",
        "email": "maryam@example.com",
        "provinceCode": "23",
        "countyCode": "01",
        "address": "تهران، خیابان انقلاب، پلاک ۱۲",
        "postalCode": "1234567890",
        "education": "bachelor",
        "fieldOfStudy": "حقوق",
        "occupation": "کارمند بازنشسته",
        "affiliation": "retiree",
        "referralChannel": "media",
        "motivation": "می‌خواهم در نظارت بر بازار سهمی داشته باشم.",
        "conflictOfInterest": {"ownsOrWorksInBusiness": False},
        "consents": {"terms": True, "confidentialityPledge": True, "pledgeVersion": "1403-1"},
    }
    body.update(copy.deepcopy(overrides))
    return body


def post_application(caller: dict[str, str], body: Any = None, headers: dict[str, str] | None = None) -> Any:
    """``POST /applications`` through the function's handler (a valid body unless one is given)."""
    from tests.support.events import api_event
    from tests.support.lambdas import invoke

    payload = application_body() if body is None else body
    return invoke("applications", api_event("POST", "/applications", body=payload, headers=headers, caller=caller))


def get_route(path: str, caller: dict[str, str] | None, query: dict[str, str] | None = None) -> Any:
    """A GET route of the applications function through its handler."""
    from tests.support.events import api_event
    from tests.support.lambdas import invoke

    return invoke("applications", api_event("GET", path, query=query, caller=caller))


def freeze_clock(monkeypatch: Any, now: datetime) -> None:
    """Make the applications function see ``now`` as the current time."""
    import sys

    from tests.support.lambdas import raw_handler

    module = sys.modules[raw_handler("applications").__module__]
    monkeypatch.setattr(module, "now_utc", lambda: now)
