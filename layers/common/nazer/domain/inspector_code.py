"""The 10-digit inspector code, in one place: province (2) + county (2) + ``40`` + sequence (4).

``2301400007`` is the 7th inspector of county ``01`` of Tehran (``23``). Every part is ASCII
digits (codes are strings everywhere: a leading zero is never lost); a county's sequence runs
``0001``–``9999`` and is never reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK = "40"
FIRST_SEQUENCE = 1
LAST_SEQUENCE = 9999
CODE_LENGTH = 10

_TWO_DIGITS = re.compile(r"[0-9]{2}")
_CODE = re.compile(r"(?P<province>[0-9]{2})(?P<county>[0-9]{2})" + MARK + r"(?P<sequence>[0-9]{4})")


@dataclass(frozen=True, order=True)
class InspectorCode:
    """A parsed code; ``str()`` gives the 10-digit string back."""

    province: str
    county: str
    sequence: int

    def __post_init__(self) -> None:
        if not _TWO_DIGITS.fullmatch(self.province):
            raise ValueError("province code must be two ASCII digits")
        if not _TWO_DIGITS.fullmatch(self.county):
            raise ValueError("county code must be two ASCII digits")
        if isinstance(self.sequence, bool) or not FIRST_SEQUENCE <= self.sequence <= LAST_SEQUENCE:
            raise ValueError(f"sequence must be {FIRST_SEQUENCE}–{LAST_SEQUENCE}")

    def __str__(self) -> str:
        return f"{self.province}{self.county}{MARK}{self.sequence:04d}"


def build(province: str, county: str, sequence: int) -> str:
    """The code of ``sequence`` in a county; ValueError if any part is out of range."""
    return str(InspectorCode(province, county, sequence))


def parse(code: str) -> InspectorCode:
    """Split a code into its parts; ValueError unless it is a well-formed code."""
    match = _CODE.fullmatch(code) if isinstance(code, str) else None
    if match is None:
        raise ValueError("an inspector code is 10 ASCII digits: province, county, 40, sequence 0001–9999")
    return InspectorCode(match["province"], match["county"], int(match["sequence"]))


def is_valid(code: str) -> bool:
    """True for a well-formed code (the format only; whether it was issued is the table's business)."""
    try:
        parse(code)
    except ValueError:
        return False
    return True


def remaining(last_issued: int) -> int:
    """How many codes a county can still issue after sequence ``last_issued``."""
    return max(0, LAST_SEQUENCE - last_issued)
