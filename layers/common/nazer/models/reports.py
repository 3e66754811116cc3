"""Wire shapes of violation reports, their evidence, the province queue and outreach activities."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from nazer.domain.evidence import ALLOWED_CONTENT_TYPES
from nazer.domain.report_status import ReportStatus
from nazer.domain.reports import Channel, OutreachType, ViolationType
from nazer.jalali import parse_jalali_date
from nazer.messages import register
from nazer.models.base import RequestModel, WireModel
from nazer.regions import regions
from nazer.text import is_ascii_digits, normalize_text, to_ascii_digits

register(
    {
        "channel_not_offline": "ثبت گزارش از این مسیر فقط برای ۱۲۴، حضوری، مکتوب یا سایر است",
        "content_type_not_allowed": "فقط تصویر JPEG یا PNG یا فایل PDF پذیرفته می‌شود",
        "inspector_code_invalid": "کد ناظر باید ۱۰ رقم باشد",
        "code_invalid": "کد باید دو رقم باشد",
        "file_name_invalid": "نام فایل معتبر نیست",
    }
)

MAX_RIALS = 10**15


def _normalized(value: Any) -> Any:
    return normalize_text(value) if isinstance(value, str) else value


def _optional(value: Any) -> Any:
    """Optional text: normalised, and blank counts as absent."""
    if isinstance(value, str):
        value = normalize_text(value)
        return value or None
    return value


def _digits(value: Any) -> Any:
    return to_ascii_digits(value).strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_normalized)]
OptionalText = Annotated[str | None, BeforeValidator(_optional)]
Digits = Annotated[str, BeforeValidator(_digits)]
Rials = Annotated[int, Field(strict=True, ge=0, le=MAX_RIALS)]


def _two_digits(value: str) -> str:
    if not is_ascii_digits(value, 2):
        raise PydanticCustomError("code_invalid", "must be a two-digit code")
    return value


# ---------------------------------------------------------------- requests


class BusinessIn(RequestModel):
    name: Text = Field(min_length=1, max_length=200)
    guild: Text = Field(min_length=1, max_length=100)
    address: Text = Field(min_length=1, max_length=500)
    province_code: Digits
    county_code: Digits
    license_number: OptionalText = Field(default=None, min_length=1, max_length=50)

    @field_validator("province_code")
    @classmethod
    def _known_province(cls, value: str) -> str:
        _two_digits(value)
        if regions().province(value) is None:
            raise PydanticCustomError("province_unknown", "unknown province code")
        return value

    @field_validator("county_code")
    @classmethod
    def _county_of_province(cls, value: str, info: ValidationInfo) -> str:
        _two_digits(value)
        province = info.data.get("province_code")
        if province is not None and not regions().has_county(province, value):
            raise PydanticCustomError("county_not_in_province", "the county is not in this province")
        return value


class ReportIn(RequestModel):
    """A violation report as an inspector files it (``POST /reports``)."""

    business: BusinessIn
    violation_types: list[ViolationType] = Field(min_length=1, max_length=len(ViolationType))
    product: OptionalText = Field(default=None, min_length=1, max_length=200)
    observed_price_rials: Rials | None = None
    official_price_rials: Rials | None = None
    observed_at: AwareDatetime
    description: Text = Field(min_length=10, max_length=4000)

    @field_validator("violation_types")
    @classmethod
    def _distinct(cls, value: list[ViolationType]) -> list[ViolationType]:
        return list(dict.fromkeys(value))


class OfficerReportIn(ReportIn):
    """A report that reached the directorate by 124, in person, in writing or otherwise."""

    inspector_code: Digits
    channel: Channel
    # Required for system_124 (checked by the use case: pydantic reports a default's error without its alias).
    external_reference: OptionalText = Field(default=None, min_length=1, max_length=100)

    @field_validator("inspector_code")
    @classmethod
    def _ten_digits(cls, value: str) -> str:
        if not is_ascii_digits(value, 10):
            raise PydanticCustomError("inspector_code_invalid", "must be a 10-digit inspector code")
        return value

    @field_validator("channel")
    @classmethod
    def _offline(cls, value: Channel) -> Channel:
        if value is Channel.WEB:
            raise PydanticCustomError(
                "channel_not_offline", "must be system_124, in_person, written or other (inspectors file web reports)"
            )
        return value


class AttachmentIn(RequestModel):
    file_name: Text = Field(min_length=1, max_length=200)
    content_type: Annotated[str, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)]
    size_bytes: int = Field(strict=True, ge=1)

    @field_validator("file_name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        # Only the last path component, without control characters: it ends up in a download header.
        name = value.replace("\\", "/").rsplit("/", 1)[-1]
        name = "".join(char for char in name if char.isprintable()).strip()
        if not name or name in {".", ".."}:
            raise PydanticCustomError("file_name_invalid", "not a usable file name")
        return name

    @field_validator("content_type")
    @classmethod
    def _allowed(cls, value: str) -> str:
        if value not in ALLOWED_CONTENT_TYPES:
            raise PydanticCustomError("content_type_not_allowed", "must be image/jpeg, image/png or application/pdf")
        return value


class TransitionIn(RequestModel):
    status: ReportStatus
    note: OptionalText = Field(default=None, max_length=2000)


class OutreachIn(RequestModel):
    date: Digits
    type: OutreachType
    title: Text = Field(min_length=1, max_length=200)
    description: OptionalText = Field(default=None, max_length=4000)
    people_reached: int = Field(strict=True, ge=0, le=100_000_000)

    @field_validator("date")
    @classmethod
    def _jalali(cls, value: str) -> str:
        try:
            parse_jalali_date(value)
        except ValueError as exc:
            raise PydanticCustomError("jalali_date_invalid", "must be a Jalali date like 1403/07/05") from exc
        return value


# ---------------------------------------------------------------- responses


class ReportCreated(WireModel):
    report_id: str
    status: ReportStatus
    received_at: str


class BusinessOut(WireModel):
    name: str
    guild: str
    address: str
    province_code: str
    county_code: str
    license_number: str | None = None


class PublicHistoryEntry(WireModel):
    """What the reporter sees of a move: the status and when (never who, never the note)."""

    status: ReportStatus
    at: str


class HistoryEntry(PublicHistoryEntry):
    by: str
    note: str | None = None


class AttachmentOut(WireModel):
    attachment_id: str
    file_name: str
    content_type: str
    size_bytes: int
    status: str
    sha256: str | None = None


class _ReportBody(WireModel):
    report_id: str
    status: ReportStatus
    channel: Channel
    business: BusinessOut
    violation_types: list[ViolationType]
    product: str | None = None
    observed_price_rials: int | None = None
    official_price_rials: int | None = None
    observed_at: str
    description: str
    received_at: str
    updated_at: str
    referred_at: str | None = None
    final_at: str | None = None


class InspectorReportSummary(_ReportBody):
    """The reporter's view: the report as filed, its status and dates."""


class InspectorReportView(InspectorReportSummary):
    history: list[PublicHistoryEntry]
    attachments: list[AttachmentOut]


class OfficerReportSummary(_ReportBody):
    """A row of the province queue: the inspector by code only, age, overdue and duplicate hints."""

    inspector_code: str
    external_reference: str | None = None
    province_code: str
    county_code: str
    age_days: int
    overdue: bool
    possible_duplicate_of: list[str]


class OfficerReportView(OfficerReportSummary):
    history: list[HistoryEntry]
    attachments: list[AttachmentOut]


class InspectorReportPage(WireModel):
    items: list[InspectorReportSummary]
    next_cursor: str | None


class OfficerReportPage(WireModel):
    items: list[OfficerReportSummary]
    next_cursor: str | None


class UploadTicket(WireModel):
    upload_url: str
    expires_at: str
    attachment_id: str


class AttachmentReady(WireModel):
    attachment_id: str
    status: str
    sha256: str


class FileLink(WireModel):
    url: str
    expires_at: str
    file_name: str


class OutreachOut(WireModel):
    activity_id: str
    province_code: str
    date: str
    type: OutreachType
    title: str
    description: str | None = None
    people_reached: int
    created_at: str


class OutreachPage(WireModel):
    items: list[OutreachOut]
    next_cursor: str | None


def dump(model: WireModel) -> dict[str, Any]:
    """A response model as JSON-ready camelCase data."""
    return model.model_dump(by_alias=True, mode="json")
