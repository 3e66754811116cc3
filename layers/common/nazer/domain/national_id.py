"""The Iranian national ID (کد ملی): ten digits, the last one a check digit.

The check digit of the first nine digits d0…d8 is ``r = Σ d[i]·(10-i) mod 11``, written as ``r``
when ``r < 2`` and ``11 - r`` otherwise. IDs of one repeated digit (``1111111111``) satisfy that
rule and are still refused: they are the first thing people type to get past a form.
"""

from __future__ import annotations

import re

from nazer.text import to_ascii_digits

_TEN_DIGITS = re.compile(r"[0-9]{10}")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalize_national_id(raw: str) -> str:
    """Persian/Arabic digits to ASCII; spaces and hyphens people type between groups removed."""
    return _SEPARATORS.sub("", to_ascii_digits(raw))


def check_digit(first_nine: str) -> int:
    """The check digit that completes nine ASCII digits."""
    if not re.fullmatch(r"[0-9]{9}", first_nine):
        raise ValueError("expected nine ASCII digits")
    remainder = sum(int(digit) * (10 - position) for position, digit in enumerate(first_nine)) % 11
    return remainder if remainder < 2 else 11 - remainder


def national_id_problem(national_id: str) -> str | None:
    """Why an already normalised ID is not valid (English), or None when it is."""
    if not _TEN_DIGITS.fullmatch(national_id):
        return "must be 10 digits"
    if len(set(national_id)) == 1:
        return "cannot be one repeated digit"
    if check_digit(national_id[:9]) != int(national_id[9]):
        return "check digit does not match"
    return None


def is_valid_national_id(national_id: str) -> bool:
    """True for ten ASCII digits, not all alike, with a matching check digit."""
    return national_id_problem(national_id) is None
