"""Domain errors with stable RFC 9457 problem types; mapped to HTTP once, in nazer.http."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    message_fa: str | None = None


# slug -> (status, English title, Persian title)
PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "validation-error": (422, "Request validation failed", "درخواست نامعتبر است"),
    "unauthorized": (401, "Authentication required", "ورود به سامانه لازم است"),
    "forbidden": (403, "Not allowed", "دسترسی مجاز نیست"),
    "not-found": (404, "Not found", "یافت نشد"),
    "method-not-allowed": (405, "Method not allowed", "این روش درخواست پشتیبانی نمی‌شود"),
    "conflict": (409, "Conflict", "تعارض با وضعیت فعلی"),
    "national-id-taken": (409, "National ID already registered", "این کد ملی قبلاً ثبت شده است"),
    "application-exists": (409, "Application already exists", "شما قبلاً درخواست عضویت ثبت کرده‌اید"),
    "invalid-state": (409, "Not allowed in the current state", "این کار در وضعیت فعلی ممکن نیست"),
    "training-required": (409, "Training must be downloaded first", "ابتدا باید فایل آموزشی را دریافت کنید"),
    "attempts-exhausted": (409, "No exam attempts left", "فرصت آزمون شما به پایان رسیده است"),
    "cooldown-active": (409, "Wait before the next attempt", "تا آزمون بعدی باید صبر کنید"),
    "attempt-expired": (409, "The attempt's time is over", "مهلت این آزمون به پایان رسیده است"),
    "attempt-submitted": (409, "The attempt was already submitted", "پاسخ این آزمون قبلاً ثبت شده است"),
    "county-codes-exhausted": (409, "No inspector codes left in this county", "ظرفیت کد ناظر این شهرستان تمام شده است"),
    "payload-too-large": (413, "Payload too large", "حجم درخواست بیش از حد مجاز است"),
    "unsupported-media-type": (415, "Unsupported media type", "نوع محتوای درخواست پشتیبانی نمی‌شود"),
    "rate-limited": (429, "Too many requests", "تعداد درخواست‌ها بیش از حد مجاز است"),
    "internal-error": (500, "Internal error", "خطای داخلی سامانه"),
    "service-unavailable": (503, "Service busy, retry shortly", "سامانه مشغول است؛ کمی بعد دوباره تلاش کنید"),
}


@dataclass
class DomainError(Exception):
    """An expected failure of a use case; the slug picks status and title."""

    slug: str
    detail: str = ""
    detail_fa: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.slug not in PROBLEM_TYPES:
            raise ValueError(f"unknown problem type {self.slug!r}")
        super().__init__(self.detail or self.slug)

    @property
    def status(self) -> int:
        return PROBLEM_TYPES[self.slug][0]


def not_found(detail: str = "No such resource", detail_fa: str = "چنین موردی وجود ندارد") -> DomainError:
    return DomainError("not-found", detail, detail_fa)


def forbidden(
    detail: str = "Your role does not allow this", detail_fa: str = "نقش شما اجازهٔ این کار را ندارد"
) -> DomainError:
    return DomainError("forbidden", detail, detail_fa)


def invalid_state(detail: str, detail_fa: str | None = None) -> DomainError:
    return DomainError("invalid-state", detail, detail_fa)


def field_error(field_name: str, message: str, message_fa: str | None = None) -> DomainError:
    """A 422 about one field, raised by logic that validates beyond what the model can see."""
    return DomainError(
        "validation-error",
        f"{field_name}: {message}",
        None,
        [FieldError(field_name, message, message_fa)],
    )
