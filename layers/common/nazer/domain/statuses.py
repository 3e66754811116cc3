"""Application statuses and the moves between them."""

from __future__ import annotations

from enum import StrEnum


class ApplicationStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    TRAINING = "TRAINING"
    EXAM_FAILED = "EXAM_FAILED"
    EXAM_LOCKED = "EXAM_LOCKED"
    EXAM_PASSED = "EXAM_PASSED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"


# Which statuses each status may move to; anything else is refused.
APPLICATION_MOVES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.TRAINING}),
    ApplicationStatus.TRAINING: frozenset(
        {ApplicationStatus.EXAM_PASSED, ApplicationStatus.EXAM_FAILED, ApplicationStatus.EXAM_LOCKED}
    ),
    ApplicationStatus.EXAM_FAILED: frozenset(
        {ApplicationStatus.EXAM_PASSED, ApplicationStatus.EXAM_FAILED, ApplicationStatus.EXAM_LOCKED}
    ),
    ApplicationStatus.EXAM_LOCKED: frozenset(),
    ApplicationStatus.EXAM_PASSED: frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}),
    ApplicationStatus.APPROVED: frozenset({ApplicationStatus.ACTIVE, ApplicationStatus.REJECTED}),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.ACTIVE: frozenset({ApplicationStatus.SUSPENDED, ApplicationStatus.REVOKED}),
    ApplicationStatus.SUSPENDED: frozenset({ApplicationStatus.ACTIVE, ApplicationStatus.REVOKED}),
    ApplicationStatus.REVOKED: frozenset(),
}


def can_move(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in APPLICATION_MOVES[current]


def sources_of(target: ApplicationStatus) -> frozenset[ApplicationStatus]:
    """Every status from which ``target`` may be reached (the condition of a status write)."""
    return frozenset(status for status, targets in APPLICATION_MOVES.items() if target in targets)
