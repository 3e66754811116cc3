"""Persian text and digit normalisation, applied to every input before it is validated or stored."""

from __future__ import annotations

import re

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "هٔ"})
_ASCII_DIGITS = re.compile(r"[0-9]+")


def to_ascii_digits(value: str) -> str:
    """Persian (U+06F0…) and Arabic-Indic (U+0660…) digits become ASCII; everything else is kept."""
    return value.translate(_DIGITS)


def normalize_text(value: str) -> str:
    """Arabic yeh/kaf become Persian, digits become ASCII, ZWNJ is kept, surrounding space trimmed."""
    return value.translate(_LETTERS).translate(_DIGITS).strip()


def is_ascii_digits(value: str, length: int | None = None) -> bool:
    """A full match of ASCII [0-9] (``str.isdigit`` and ``\\d`` accept other scripts' digits)."""
    if not _ASCII_DIGITS.fullmatch(value):
        return False
    return length is None or len(value) == length
