"""Shapes of the monthly-report routes (see the contract's "Monthly reports")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from nazer.models.base import RequestModel, WireModel
from nazer.text import normalize_text

FileFormat = Literal["xlsx", "csv", "json"]
ComplianceState = Literal["not_generated", "missing", "on_time", "late"]


class SubmissionRequest(RequestModel):
    """``POST /provinces/{p}/monthly-reports/{period}/submission``: optional remarks for HQ."""

    remarks: str | None = Field(default=None, max_length=2000)

    @field_validator("remarks")
    @classmethod
    def _normalise(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return normalize_text(value) or None


class SubmissionResponse(WireModel):
    submitted_at: str
    late: bool


class MonthlyReportItem(WireModel):
    period: str
    province_code: str
    generated_at: str | None
    submitted_at: str | None
    late: bool | None


class MonthlyReportList(WireModel):
    items: list[MonthlyReportItem]
    next_cursor: str | None


class FileLink(WireModel):
    url: str
    expires_at: str
    file_name: str


class ComplianceProvince(WireModel):
    province_code: str
    generated_at: str | None
    submitted_at: str | None
    late: bool | None
    state: ComplianceState


class ComplianceResponse(WireModel):
    period: str
    deadline: str
    provinces: list[ComplianceProvince]
    national_file: FileLink | None


class GenerationResponse(WireModel):
    period: str
    generated_at: str
    provinces: int
