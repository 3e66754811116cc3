"""An exam attempt left open past its deadline counts as failed as soon as anything looks at it.

Called by every reader of an application (``GET /applications/me``, starting an attempt, HQ
views) so that a status never hangs and no sweeper is needed. The exam context implements the
grading; until an attempt exists there is nothing to settle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def settle_expired_attempt(application: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The application as it stands once an expired open attempt (if any) is graded as failed."""
    return application
