"""Wire shapes of the inspectors context: code issuance, the inspector list, status changes, the
province's application queue."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from nazer.messages import register
from nazer.models.base import RequestModel, WireModel
from nazer.text import normalize_text

register(
    {
        "application_id_invalid": "شناسهٔ درخواست معتبر نیست",
        "reason_required": "ذکر دلیل الزامی است",
    }
)

MAX_REASON = 500


class IssueCodeRequest(RequestModel):
    application_id: str = Field(min_length=1, max_length=64)

    @field_validator("application_id")
    @classmethod
    def _plain_id(cls, value: str) -> str:
        value = value.strip()
        if not value or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value):
            raise PydanticCustomError("application_id_invalid", "not an application id")
        return value


class IssuedCode(WireModel):
    inspector_code: str
    application_id: str
    province_code: str
    county_code: str
    issued_at: str


class InspectorOut(WireModel):
    """One inspector as the officer's list shows it (names only here, never in reports)."""

    inspector_code: str
    application_id: str
    province_code: str
    county_code: str
    status: str
    issued_at: str
    first_name: str
    last_name: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> InspectorOut:
        return cls(
            inspector_code=item["inspectorCode"],
            application_id=item["applicationId"],
            province_code=item["provinceCode"],
            county_code=item["countyCode"],
            status=item["status"],
            issued_at=item["issuedAt"],
            first_name=item.get("firstName", ""),
            last_name=item.get("lastName", ""),
        )


class InspectorDetail(InspectorOut):
    """The inspector after a status change: the list shape plus the reason and when it changed."""

    status_reason: str | None = None
    updated_at: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> InspectorDetail:
        base = InspectorOut.from_item(item).model_dump()
        return cls(**base, status_reason=item.get("statusReason"), updated_at=item["updatedAt"])


class InspectorPage(WireModel):
    items: list[InspectorOut]
    next_cursor: str | None


class StatusChangeRequest(RequestModel):
    status: Literal["ACTIVE", "SUSPENDED", "REVOKED"]
    reason: str = Field(max_length=MAX_REASON)

    @field_validator("reason", mode="before")
    @classmethod
    def _reason_given(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = normalize_text(value)
            if not value:
                raise PydanticCustomError("reason_required", "a reason is required")
        return value


class ProvinceApplicationOut(WireModel):
    """An application in the province's queue: what an officer needs to identify the applicant."""

    application_id: str
    status: str
    province_code: str
    county_code: str
    first_name: str
    last_name: str
    father_name: str | None = None
    national_id: str
    mobile: str | None = None
    birth_date: str | None = None
    gender: str | None = None
    education: str | None = None
    affiliation: str | None = None
    created_at: str
    announced_at: str | None = None
    inspector_code: str | None = None
    code_issued_at: str | None = None

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> ProvinceApplicationOut:
        return cls.model_validate({name: item.get(name) for name in _APPLICATION_FIELDS})


_APPLICATION_FIELDS = [field.alias or name for name, field in ProvinceApplicationOut.model_fields.items()]


class ProvinceApplicationPage(WireModel):
    items: list[ProvinceApplicationOut]
    next_cursor: str | None
