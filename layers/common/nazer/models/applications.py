"""Shapes of the applications context: the membership form, the stored application, training, HQ list.

The request model normalises before it validates: Persian text (Arabic yeh/kaf, digits to ASCII,
trimmed), then ASCII-only full matches for every code and number. Rules that need the clock (age)
are checked by the logic, which knows ``now``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from nazer.domain.applicant import (
    format_birth_date,
    is_email,
    is_person_name,
    normalize_jalali_birth_date,
    normalize_mobile,
    normalize_postal_code,
)
from nazer.domain.national_id import national_id_problem, normalize_national_id
from nazer.messages import register
from nazer.models.base import RequestModel, WireModel
from nazer.regions import regions
from nazer.text import is_ascii_digits, normalize_text

register(
    {
        "name_invalid": "نام فقط می‌تواند حروف، فاصله و نیم‌فاصله داشته باشد",
        "guild_required": "اگر در کسب‌وکار صنفی فعالیت دارید، نام صنف را بنویسید",
        "pledge_version_invalid": "نسخهٔ تعهدنامه معتبر نیست",
        "county_invalid": "کد شهرستان باید دو رقم باشد",
    }
)

Gender = Literal["male", "female"]
Education = Literal["below_diploma", "diploma", "associate", "bachelor", "master", "doctorate"]
Affiliation = Literal[
    "retiree",
    "student",
    "university_faculty",
    "journalist",
    "guild_association",
    "ngo_activist",
    "cultural_activist",
    "producer",
    "neighbourhood_council",
    "government_employee",
    "clergy",
    "other",
]
ReferralChannel = Literal[
    "provincial_call",
    "government_body",
    "neighbourhood_council",
    "guild_association",
    "university",
    "media",
    "mosque",
    "cppo_portal",
    "acquaintance",
    "other",
]


def _normalized(value: Any) -> Any:
    return normalize_text(value) if isinstance(value, str) else value


def _normalized_or_none(value: Any) -> Any:
    """Forms send empty strings for fields left blank: an optional field then is simply absent."""
    value = _normalized(value)
    return None if value == "" else value


_Required = BeforeValidator(_normalized)
_Optional = BeforeValidator(_normalized_or_none)
Name = Annotated[str, StringConstraints(min_length=1, max_length=50), _Required]
Text100 = Annotated[str, StringConstraints(min_length=1, max_length=100), _Required]
Code = Annotated[str, StringConstraints(max_length=10), _Required]
OptionalText20 = Annotated[str | None, StringConstraints(max_length=20), _Optional]
OptionalText100 = Annotated[str | None, StringConstraints(max_length=100), _Optional]
OptionalText254 = Annotated[str | None, StringConstraints(max_length=254), _Optional]
OptionalText300 = Annotated[str | None, StringConstraints(max_length=300), _Optional]
OptionalText1000 = Annotated[str | None, StringConstraints(max_length=1000), _Optional]


def _check_name(value: str) -> str:
    if not is_person_name(value):
        raise PydanticCustomError("name_invalid", "may hold only letters, spaces, ZWNJ, hyphens and apostrophes")
    return value


class ConflictOfInterest(RequestModel):
    """Whether the applicant owns or works in a guild business (HQ weighs it), and which guild."""

    owns_or_works_in_business: StrictBool
    guild: OptionalText100 = Field(default=None, validate_default=True)

    @field_validator("guild")
    @classmethod
    def _guild_when_in_business(cls, value: str | None, info: ValidationInfo) -> str | None:
        owns = info.data.get("owns_or_works_in_business")
        if owns is True and not value:
            raise PydanticCustomError("guild_required", "name the guild of the business")
        # No business, no guild: a stray answer is not kept.
        return value if owns else None


class Consents(RequestModel):
    terms: StrictBool
    confidentiality_pledge: StrictBool
    pledge_version: Annotated[str, StringConstraints(max_length=20), BeforeValidator(_normalized)]

    @field_validator("terms", "confidentiality_pledge")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if value is not True:
            raise PydanticCustomError("consent_required", "must be accepted")
        return value

    @field_validator("pledge_version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not value or not all(char.isascii() and (char.isalnum() or char in "._-") for char in value):
            raise PydanticCustomError("pledge_version_invalid", "must be a version label such as 1403-1")
        return value


class ApplicationRequest(RequestModel):
    """``POST /applications``: the membership form."""

    national_id: Annotated[str, StringConstraints(max_length=20)]
    first_name: Name
    last_name: Name
    father_name: Name
    birth_date: Annotated[str, StringConstraints(max_length=20)]
    gender: Gender
    mobile: Annotated[str, StringConstraints(max_length=20)]
    email: OptionalText254 = None
    province_code: Code
    county_code: Code
    address: OptionalText300 = None
    postal_code: OptionalText20 = None
    education: Education
    field_of_study: OptionalText100 = None
    occupation: Text100
    affiliation: Affiliation
    referral_channel: ReferralChannel
    motivation: OptionalText1000 = None
    conflict_of_interest: ConflictOfInterest
    consents: Consents

    @field_validator("national_id")
    @classmethod
    def _national_id(cls, value: str) -> str:
        national_id = normalize_national_id(value)
        problem = national_id_problem(national_id)
        if problem:
            raise PydanticCustomError("national_id_invalid", f"national ID {problem}")
        return national_id

    @field_validator("first_name", "last_name", "father_name")
    @classmethod
    def _names(cls, value: str) -> str:
        return _check_name(value)

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value: str) -> str:
        birth = normalize_jalali_birth_date(value)
        if birth is None:
            raise PydanticCustomError("jalali_date_invalid", "must be a real Solar Hijri date as YYYY/MM/DD")
        return format_birth_date(birth)

    @field_validator("mobile")
    @classmethod
    def _mobile(cls, value: str) -> str:
        mobile = normalize_mobile(value)
        if mobile is None:
            raise PydanticCustomError("mobile_invalid", "must be an Iranian mobile number such as 09121234567")
        return mobile

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not is_email(value):
            raise PydanticCustomError("email_invalid", "must be an email address such as name@example.com")
        return value

    @field_validator("province_code")
    @classmethod
    def _province(cls, value: str) -> str:
        if not is_ascii_digits(value, 2) or regions().province(value) is None:
            raise PydanticCustomError("province_unknown", "must be one of the 32 directorates' two-digit codes")
        return value

    @field_validator("county_code")
    @classmethod
    def _county(cls, value: str, info: ValidationInfo) -> str:
        if not is_ascii_digits(value, 2):
            raise PydanticCustomError("county_invalid", "must be a two-digit county code")
        province = info.data.get("province_code")
        if province is not None and not regions().has_county(province, value):
            raise PydanticCustomError("county_not_in_province", "is not a county of the chosen province")
        return value

    @field_validator("postal_code")
    @classmethod
    def _postal_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        postal_code = normalize_postal_code(value)
        if postal_code is None:
            raise PydanticCustomError("postal_code_invalid", "must be 10 digits")
        return postal_code


# ---------------------------------------------------------------- replies


class ConflictOfInterestOut(WireModel):
    owns_or_works_in_business: bool
    guild: str | None = None


class ConsentsOut(WireModel):
    terms: bool
    confidentiality_pledge: bool
    pledge_version: str
    accepted_at: str


class ApplicationOut(WireModel):
    """The stored application as its owner submitted it (the ``201`` of ``POST /applications``)."""

    application_id: str
    status: str
    national_id: str
    first_name: str
    last_name: str
    father_name: str
    birth_date: str
    gender: str
    mobile: str
    email: str | None = None
    province_code: str
    county_code: str
    address: str | None = None
    postal_code: str | None = None
    education: str
    field_of_study: str | None = None
    occupation: str
    affiliation: str
    referral_channel: str
    motivation: str | None = None
    conflict_of_interest: ConflictOfInterestOut
    consents: ConsentsOut
    created_at: str


class ExamSummary(WireModel):
    attempts_used: int
    attempts_left: int
    best_score: int | None = None
    cooldown_until: str | None = None


class ApplicationView(ApplicationOut):
    """``GET /applications/me`` (and each HQ list item): the application with its progress."""

    training_downloaded_at: str | None = None
    exam: ExamSummary
    inspector_code: str | None = None


class ApplicationPage(WireModel):
    items: list[ApplicationView]
    next_cursor: str | None = None


class TrainingMaterial(WireModel):
    """A short-lived link to the training file."""

    url: str
    expires_at: str
    file_name: str
