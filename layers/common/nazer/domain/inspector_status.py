"""An inspector's status and the moves a province may make: SUSPENDED ⇄ ACTIVE, REVOKED is final.

The application mirrors the inspector's status (same names in ``ApplicationStatus``), so the two
are always written in one transaction.
"""

from __future__ import annotations

from enum import StrEnum


class InspectorStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"


INSPECTOR_MOVES: dict[InspectorStatus, frozenset[InspectorStatus]] = {
    InspectorStatus.ACTIVE: frozenset({InspectorStatus.SUSPENDED, InspectorStatus.REVOKED}),
    InspectorStatus.SUSPENDED: frozenset({InspectorStatus.ACTIVE, InspectorStatus.REVOKED}),
    InspectorStatus.REVOKED: frozenset(),
}


def can_move(current: InspectorStatus, target: InspectorStatus) -> bool:
    """Whether a province may move an inspector from ``current`` to ``target``."""
    return target in INSPECTOR_MOVES[current]


def holds_inspector_group(status: InspectorStatus) -> bool:
    """Whether a user with this status belongs in the Cognito group ``inspector``.

    A suspension is temporary: the user keeps the group (and so can follow their earlier reports)
    while filing is refused on the application's status. A revoked code is dead: the group goes.
    """
    return status is not InspectorStatus.REVOKED
