"""HQ's review after the exam: announce passed applicants to their province, or reject one.

Each announced application moves ``EXAM_PASSED → APPROVED`` in its own small transaction with the
month's ``announced`` counter, so a batch can partly succeed and every id gets its own outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from nazer.dal import applications, stats
from nazer.dal.transactions import TransactionRefusedError, transact
from nazer.domain.statuses import ApplicationStatus, sources_of
from nazer.errors import invalid_state, not_found
from nazer.jalali import iso
from nazer.logic.exam import plausible_id
from nazer.logic.exam_expiry import settle_expired_attempt
from nazer.models.exam import AnnouncementResult, AnnouncementResults, RejectionOut
from nazer.observability import logger, metrics

APPROVED = "approved"
WRONG_PROVINCE = "wrong_province"
WRONG_STATUS = "wrong_status"
NOT_FOUND = "not_found"


def announce(province_code: str, application_ids: Sequence[str], now: datetime) -> AnnouncementResults:
    """Approve each listed ``EXAM_PASSED`` application of ``province_code``; one outcome per distinct id.

    Repeating an announcement is harmless: an application already ``APPROVED`` answers ``approved``.
    """
    results: list[AnnouncementResult] = []
    for application_id in dict.fromkeys(application_ids):
        outcome = _announce_one(application_id, province_code, now)
        results.append(AnnouncementResult(application_id=application_id, outcome=outcome))
    approved = sum(1 for result in results if result.outcome == APPROVED)
    logger.info("announcement", extra={"province": province_code, "ids": len(results), "approved": approved})
    return AnnouncementResults(results=results)


def _announce_one(application_id: str, province_code: str, now: datetime) -> str:
    application = applications.get(application_id) if plausible_id(application_id) else None
    if application is None:
        return NOT_FOUND
    if application["provinceCode"] != province_code:
        return WRONG_PROVINCE
    if application["status"] == ApplicationStatus.APPROVED:
        return APPROVED
    if application["status"] != ApplicationStatus.EXAM_PASSED:
        return WRONG_STATUS
    at = iso(now)
    update = applications.status_update(
        application, ApplicationStatus.APPROVED, [ApplicationStatus.EXAM_PASSED], at, extra={"announcedAt": at}
    )
    counter = stats.counter_update(application["provinceCode"], application["countyCode"], now, announced=1)
    try:
        transact([{"Update": update}, {"Update": counter}])
    except TransactionRefusedError:
        current = applications.get(application_id)
        return APPROVED if current and current["status"] == ApplicationStatus.APPROVED else WRONG_STATUS
    metrics.add_metric(name="ApplicationsApproved", unit=MetricUnit.Count, value=1)
    return APPROVED


def reject(application_id: str, reason: str, now: datetime, rejected_by: str) -> RejectionOut:
    """``EXAM_PASSED`` or ``APPROVED`` → ``REJECTED`` with HQ's reason; 409 from any other status."""
    application = applications.get(application_id) if plausible_id(application_id) else None
    if application is None:
        raise not_found("No such application", "چنین درخواستی یافت نشد")
    application = settle_expired_attempt(application, now)
    allowed = sources_of(ApplicationStatus.REJECTED)
    at = iso(now)
    stored: dict[str, Any] | None = None
    if application["status"] in allowed:
        stored = applications.change_status(
            application,
            ApplicationStatus.REJECTED,
            allowed,
            at,
            extra={"rejectionReason": reason, "rejectedAt": at, "rejectedBy": rejected_by},
        )
    if stored is None:
        current = applications.get(application_id) or application
        raise invalid_state(
            f"Only an application that passed the exam or was approved can be rejected (it is {current['status']})",
            "فقط درخواستی که آزمون را گذرانده یا تأیید شده است رد می‌شود",
        )
    logger.info("application rejected", extra={"application_id": application_id})
    return RejectionOut(
        application_id=application_id,
        status=stored["status"],
        rejection_reason=stored["rejectionReason"],
        rejected_at=stored["rejectedAt"],
    )
