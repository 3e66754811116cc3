"""An exam attempt left open past its deadline counts as failed as soon as anything looks at it.

Called by every reader of an application (``GET /applications/me``, starting an attempt, HQ
views) so that a status never hangs and no sweeper is needed. Cheap when there is nothing to
settle: it reads nothing unless the application has an open attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nazer.dal import applications, attempts
from nazer.errors import DomainError
from nazer.logic.exam_grading import AlreadyGradedError, grade_attempt, is_overdue
from nazer.observability import logger


def settle_expired_attempt(application: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The application as it stands once an expired open attempt (if any) is graded as failed.

    The grading is conditional (an attempt is graded once), so concurrent readers and a late
    submission cannot fail it twice or count it twice.
    """
    attempt_id = application.get("examOpenAttemptId")
    if not attempt_id:
        return application
    attempt = attempts.get(str(attempt_id))
    if attempt is None:
        return application
    if attempt.get("gradedAt"):
        # The caller's copy is stale: the attempt was graded since it was read.
        return applications.get(application["applicationId"]) or application
    if not is_overdue(attempt, now):
        return application
    try:
        grade_attempt(application, attempt, {}, now, expired=True)
    except AlreadyGradedError:
        pass  # a submission or another reader graded it first
    except DomainError:
        # The application moved on some other way; a reader still gets its current state.
        logger.warning("expired attempt not settled", extra={"attempt_id": attempt_id})
    return applications.get(application["applicationId"]) or application
