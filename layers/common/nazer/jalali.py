"""Solar Hijri (Jalali) dates and monthly periods, always through Asia/Tehran.

A period ``"1403-07"`` runs from 1403/07/01 00:00 to 1403/08/01 00:00 Tehran time. Instants are
converted to Tehran time *before* they become Jalali dates, or times near midnight land on the
wrong day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime

TEHRAN = ZoneInfo("Asia/Tehran")
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")
_JALALI_DATE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")
REPORT_DEADLINE_DAY = 7
MONTH_NAMES_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(instant: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` offset, to the second."""
    return instant.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_jalali_date(text: str) -> jdatetime.date:
    """``"1370/05/12"`` → a Jalali date; ValueError unless it is a real calendar date."""
    match = _JALALI_DATE.fullmatch(text)
    if not match:
        raise ValueError("expected YYYY/MM/DD")
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12):
        raise ValueError("month out of range")
    if day < 1 or day > days_in_month(year, month):
        raise ValueError("day out of range")
    return jdatetime.date(year, month, day)


def format_jalali_date(value: jdatetime.date) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def days_in_month(year: int, month: int) -> int:
    """29–31 days; Esfand has 30 in leap years (jdatetime's own table says 29 there)."""
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def tehran_date(instant: datetime) -> jdatetime.date:
    """The Jalali calendar date of an instant in Tehran."""
    local = instant.astimezone(TEHRAN)
    return jdatetime.date.fromgregorian(date=local.date())


def age_in_years(birth: jdatetime.date, on: jdatetime.date) -> int:
    years = int(on.year) - int(birth.year)
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


@dataclass(frozen=True, order=True)
class Period:
    """A Jalali month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12) or not (1300 <= self.year <= 1500):
            raise ValueError(f"not a period: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.fullmatch(text)
        if not match:
            raise ValueError("expected YYYY-MM")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, instant: datetime) -> Period:
        day = tehran_date(instant)
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def start(self) -> datetime:
        """First instant of the period, in UTC."""
        return _tehran_midnight(self.year, self.month, 1)

    def end(self) -> datetime:
        """First instant after the period (exclusive), in UTC."""
        following = self.next()
        return _tehran_midnight(following.year, following.month, 1)

    def deadline(self) -> datetime:
        """Reports are due before day 7 (00:00 Tehran) of the following month."""
        following = self.next()
        return _tehran_midnight(following.year, following.month, REPORT_DEADLINE_DAY)

    def contains(self, instant: datetime) -> bool:
        return self.start() <= instant < self.end()

    def days(self) -> int:
        return days_in_month(self.year, self.month)

    def name_fa(self) -> str:
        """``"مهر ۱۴۰۳"``: the month's Persian name and the year in Persian digits (titles of files)."""
        return f"{MONTH_NAMES_FA[self.month - 1]} {persian_digits(str(self.year))}"

    def first_day(self) -> jdatetime.date:
        return jdatetime.date(self.year, self.month, 1)

    def last_day(self) -> jdatetime.date:
        return jdatetime.date(self.year, self.month, self.days())


def _tehran_midnight(year: int, month: int, day: int) -> datetime:
    gregorian = jdatetime.date(year, month, day).togregorian()
    return datetime(gregorian.year, gregorian.month, gregorian.day, tzinfo=TEHRAN).astimezone(UTC)


def tehran_day_key(instant: datetime) -> str:
    """``"1403-07-05"``: the Tehran calendar day of an instant (rate limits per day)."""
    day = tehran_date(instant)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def persian_digits(text: str) -> str:
    """ASCII digits shown as Persian digits (display only: stored values keep ASCII)."""
    return text.translate(_PERSIAN_DIGITS)


def format_tehran_datetime(instant: datetime) -> str:
    """``"1403/08/03 14:30"``: an instant as a Jalali date and a Tehran clock time."""
    local = instant.astimezone(TEHRAN)
    return f"{format_jalali_date(tehran_date(instant))} {local.hour:02d}:{local.minute:02d}"


def parse_iso(text: str) -> datetime:
    """An ISO 8601 instant as stored (``Z`` or an offset); naive values are taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def days_between(start: datetime, end: datetime) -> float:
    return (end - start) / timedelta(days=1)


def gregorian_to_jalali(value: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=value)
