"""Rules for the applicant's contact and personal fields: mobile, postal code, email, birth date, names.

Every function here takes text already through :func:`nazer.text.normalize_text` or normalises
digits itself, then validates with ASCII-only full matches (``\\d`` would accept any script's digits).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import jdatetime

from nazer.jalali import age_in_years, format_jalali_date, parse_jalali_date, tehran_date
from nazer.text import to_ascii_digits

ADULT_AGE = 18
OLDEST_AGE = 120

_MOBILE = re.compile(r"09[0-9]{9}")
_PHONE_NOISE = re.compile(r"[\s\-().]+")
_POSTAL_CODE = re.compile(r"[0-9]{10}")
_EMAIL_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + _EMAIL_LABEL + r"(?:\." + _EMAIL_LABEL + r")+")
_LOOSE_JALALI = re.compile(r"([0-9]{4})[/\-]([0-9]{1,2})[/\-]([0-9]{1,2})")
# Inside a person's name, besides letters and combining marks: space, ZWNJ, hyphen, apostrophe, dot.
_NAME_PUNCTUATION = frozenset(" \u200c-'.")


def normalize_mobile(raw: str) -> str | None:
    """An Iranian mobile number as ``09XXXXXXXXX``, or None when it is not one.

    Accepts ``+98 912 …``, ``0098…``, ``98…``, ``912…``, ``0912…``, Persian/Arabic digits, and the
    spaces, hyphens, dots and brackets people type between groups.
    """
    text = _PHONE_NOISE.sub("", to_ascii_digits(raw))
    if text.startswith("+98"):
        text = "0" + text[3:]
    elif text.startswith("0098"):
        text = "0" + text[4:]
    elif text.startswith("98") and len(text) == 12:
        text = "0" + text[2:]
    elif text.startswith("9") and len(text) == 10:
        text = "0" + text
    return text if _MOBILE.fullmatch(text) else None


def normalize_postal_code(raw: str) -> str | None:
    """Ten ASCII digits (a hyphen or spaces between the two groups allowed), or None."""
    text = _PHONE_NOISE.sub("", to_ascii_digits(raw))
    return text if _POSTAL_CODE.fullmatch(text) else None


def is_email(text: str) -> bool:
    """A plain ``local@domain.tld`` address in ASCII, at most 254 characters."""
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


def normalize_jalali_birth_date(raw: str) -> jdatetime.date | None:
    """``1370/5/12``, ``۱۳۷۰/۰۵/۱۲`` or ``1370-05-12`` → a real Jalali date, or None."""
    match = _LOOSE_JALALI.fullmatch(to_ascii_digits(raw).strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return parse_jalali_date(f"{year:04d}/{month:02d}/{day:02d}")
    except ValueError:
        return None


def format_birth_date(value: jdatetime.date) -> str:
    return format_jalali_date(value)


def age_on(birth: jdatetime.date, now: datetime) -> int:
    """Completed years of age on the Tehran calendar date of ``now``."""
    return age_in_years(birth, tehran_date(now))


def birth_date_problem(birth: jdatetime.date, now: datetime) -> tuple[str, str] | None:
    """Why a birth date cannot be an adult applicant's, in English and Persian; None when it can."""
    if birth > tehran_date(now):
        return "is in the future", "تاریخ تولد نمی‌تواند در آینده باشد"
    age = age_on(birth, now)
    if age < ADULT_AGE:
        return f"the applicant must be at least {ADULT_AGE} years old", "سن متقاضی باید دست‌کم ۱۸ سال باشد"
    if age > OLDEST_AGE:
        return "is not a plausible birth date", "تاریخ تولد معتبر به نظر نمی‌رسد"
    return None


def is_person_name(text: str) -> bool:
    """Letters (any script) and combining marks, with spaces, ZWNJ, hyphens, apostrophes or dots between."""
    if not text or not any(char.isalpha() for char in text):
        return False
    return all(char.isalpha() or unicodedata.category(char) == "Mn" or char in _NAME_PUNCTUATION for char in text)
