"""The violation report's lifecycle, worked by officers of the business's province.

``RECEIVED → UNDER_REVIEW → REFERRED → CONFIRMED | UNFOUNDED``, and ``UNDER_REVIEW`` may end
directly in ``CONFIRMED`` or ``UNFOUNDED``. ``CONFIRMED`` and ``UNFOUNDED`` are final. Pure rules:
the repository writes a move conditionally on the status it was read in.
"""

from __future__ import annotations

from enum import StrEnum


class ReportStatus(StrEnum):
    RECEIVED = "RECEIVED"
    UNDER_REVIEW = "UNDER_REVIEW"
    REFERRED = "REFERRED"
    CONFIRMED = "CONFIRMED"
    UNFOUNDED = "UNFOUNDED"


REPORT_MOVES: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.RECEIVED: frozenset({ReportStatus.UNDER_REVIEW}),
    ReportStatus.UNDER_REVIEW: frozenset({ReportStatus.REFERRED, ReportStatus.CONFIRMED, ReportStatus.UNFOUNDED}),
    ReportStatus.REFERRED: frozenset({ReportStatus.CONFIRMED, ReportStatus.UNFOUNDED}),
    ReportStatus.CONFIRMED: frozenset(),
    ReportStatus.UNFOUNDED: frozenset(),
}

INITIAL = ReportStatus.RECEIVED
FINAL: frozenset[ReportStatus] = frozenset({ReportStatus.CONFIRMED, ReportStatus.UNFOUNDED})
OPEN: frozenset[ReportStatus] = frozenset(set(ReportStatus) - FINAL)


def can_move(current: ReportStatus, target: ReportStatus) -> bool:
    """Whether an officer may move a report from ``current`` to ``target``."""
    return target in REPORT_MOVES[current]


def is_final(status: ReportStatus) -> bool:
    return status in FINAL


def moved_fields(target: ReportStatus, at: str) -> dict[str, str]:
    """The dated attributes a move to ``target`` sets besides the status.

    ``referredAt`` on REFERRED, ``finalAt`` on CONFIRMED/UNFOUNDED (read by the monthly figures:
    referred, confirmed, unfounded, days from receipt to a final status).
    """
    if target is ReportStatus.REFERRED:
        return {"referredAt": at}
    if is_final(target):
        return {"finalAt": at}
    return {}
