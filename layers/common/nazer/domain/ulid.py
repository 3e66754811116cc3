"""ULIDs: 128-bit identifiers that sort by creation time (report tracking numbers, attachment ids).

A ULID is 48 bits of Unix time in milliseconds followed by 80 random bits, written as 26 characters
of Crockford's base32 (``01J8Z3…``). Lexical order is time order, so a partition keyed by
``<receivedAt>#<ulid>`` or a list of ids sorts newest-last without another attribute. Within one
millisecond a generator increments the random part instead of drawing a new one, so ids made by one
process never go backwards.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26
_TIME_BITS = 48
_RANDOM_BITS = 80
_MAX_TIME = (1 << _TIME_BITS) - 1
_MAX_RANDOM = (1 << _RANDOM_BITS) - 1
_PATTERN = re.compile(f"[0-7][{ALPHABET}]{{25}}")


def encode(value: int) -> str:
    """A 128-bit integer as 26 Crockford base32 characters (most significant first)."""
    if not 0 <= value < 1 << 128:
        raise ValueError("a ULID is 128 bits")
    chars = []
    for _ in range(LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def decode(text: str) -> int:
    """The 128-bit integer of a ULID string (ValueError if it is not one)."""
    if not is_ulid(text):
        raise ValueError("not a ULID")
    value = 0
    for char in text:
        value = (value << 5) | ALPHABET.index(char)
    return value


def is_ulid(text: str) -> bool:
    """26 upper-case Crockford characters whose value fits in 128 bits."""
    return bool(_PATTERN.fullmatch(text))


def timestamp_ms(text: str) -> int:
    """The creation time (Unix milliseconds) a ULID carries."""
    return decode(text) >> _RANDOM_BITS


def _millis(instant: datetime) -> int:
    if instant.tzinfo is None:
        raise ValueError("a ULID needs an aware datetime")
    millis = int(instant.astimezone(UTC).timestamp() * 1000)
    if not 0 <= millis <= _MAX_TIME:
        raise ValueError("time outside the ULID range")
    return millis


class UlidGenerator:
    """Makes ULIDs for given instants; monotonic within a millisecond, safe across threads."""

    def __init__(self, random_bits: Callable[[int], int] = secrets.randbits):
        self._random_bits = random_bits
        self._lock = threading.Lock()
        self._last_ms = -1
        self._last_random = 0

    def new(self, instant: datetime) -> str:
        millis = _millis(instant)
        with self._lock:
            if millis == self._last_ms and self._last_random < _MAX_RANDOM:
                # Same millisecond: keep the order by counting up instead of drawing again.
                random_part = self._last_random + 1
            else:
                random_part = self._random_bits(_RANDOM_BITS)
            self._last_ms, self._last_random = millis, random_part
        return encode((millis << _RANDOM_BITS) | random_part)


_DEFAULT = UlidGenerator()


def new_ulid(instant: datetime) -> str:
    """A fresh ULID for ``instant`` from this process's generator."""
    return _DEFAULT.new(instant)
