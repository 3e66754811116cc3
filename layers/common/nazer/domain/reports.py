"""Pure rules of violation reports and outreach activities: vocabularies, limits, ages, duplicates."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from nazer.domain.report_status import ReportStatus, is_final
from nazer.jalali import TEHRAN
from nazer.text import normalize_text


class ViolationType(StrEnum):
    OVERPRICING = "overpricing"
    SHORT_SELLING = "short_selling"
    ADULTERATION = "adulteration"
    HOARDING = "hoarding"
    NO_PRICE_LABEL = "no_price_label"
    NO_INVOICE = "no_invoice"
    EXPIRED_GOODS = "expired_goods"
    NON_STANDARD_GOODS = "non_standard_goods"
    SMUGGLED_GOODS = "smuggled_goods"
    REFUSAL_TO_SELL = "refusal_to_sell"
    OTHER = "other"


class Channel(StrEnum):
    WEB = "web"
    SYSTEM_124 = "system_124"
    IN_PERSON = "in_person"
    WRITTEN = "written"
    OTHER = "other"


# Channels an officer registers on an inspector's behalf (``web`` is the inspector's own filing).
OFFLINE_CHANNELS: frozenset[Channel] = frozenset(set(Channel) - {Channel.WEB})


class OutreachType(StrEnum):
    """What a province did to recruit inspectors (items 1–9 of the letter)."""

    PUBLIC_CALL = "public_call"
    GOVERNMENT_CORRESPONDENCE = "government_correspondence"
    NEIGHBOURHOOD_COUNCILS = "neighbourhood_councils"
    BUSINESS_ACTORS = "business_actors"
    GUILD_ASSOCIATIONS = "guild_associations"
    CULTURAL_EVENTS = "cultural_events"
    RETIREES_AND_STUDENTS = "retirees_and_students"
    MEDIA_CLERGY_OFFICIALS = "media_clergy_officials"


DAILY_REPORT_LIMIT = 20
OBSERVED_MAX_AGE = timedelta(days=30)
# A phone's clock may run a little ahead of ours: an observation this far "in the future" is accepted.
OBSERVED_CLOCK_SKEW = timedelta(minutes=5)
OVERDUE_AFTER = timedelta(days=15)
DUPLICATE_WINDOW = timedelta(days=7)
MAX_DUPLICATES_SHOWN = 10
RATE_COUNTER_TTL = timedelta(days=2)


def business_key(name: str) -> str:
    """The normalised business name that groups reports of one shop for the duplicate hint.

    Persian letter variants, digits, case, spaces, ZWNJ and punctuation do not matter:
    ``"فروشگاه  رضا"``, ``"فروشگاه‌رضا"`` and ``"فروشگاه رضا."`` share a key.
    """
    text = normalize_text(name).casefold()
    return "".join(char for char in text if unicodedata.category(char)[0] in {"L", "N"})


def observed_at_problem(observed_at: datetime, now: datetime) -> str | None:
    """Why an observation time is refused (``"future"`` / ``"too_old"``), or None when it is fine."""
    if observed_at > now + OBSERVED_CLOCK_SKEW:
        return "future"
    if observed_at < now - OBSERVED_MAX_AGE:
        return "too_old"
    return None


def age_days(received_at: datetime, now: datetime, final_at: datetime | None = None) -> int:
    """Whole days a report has been (or was, once final) open: 0 on its first day."""
    end = final_at or now
    return max(0, math.floor((end - received_at) / timedelta(days=1)))


def is_overdue(status: ReportStatus, received_at: datetime, now: datetime) -> bool:
    """Open longer than 15 days, the consumer-complaint norm; a final report is never overdue."""
    return not is_final(status) and now - received_at > OVERDUE_AFTER


def overlaps(types: Iterable[str], other: Iterable[str]) -> bool:
    return bool(set(types) & set(other))


def next_tehran_midnight(now: datetime) -> datetime:
    """When the daily report allowance starts again."""
    local = now.astimezone(TEHRAN)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
