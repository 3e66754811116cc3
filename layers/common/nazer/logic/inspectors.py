"""Inspector codes: issuing them under any concurrency, the province's lists, inspector status.

Issuing is one DynamoDB transaction per try (``nazer.dal.inspectors.issue_items``): the county
counter advances from the value read, so of any number of concurrent callers exactly one wins each
number — no duplicate, no gap — and the application's own condition (still ``APPROVED``, no code)
makes a second code for one applicant impossible. Losers read again and retry with full-jitter
backoff inside a time budget; a caller whose application was issued meanwhile gets that code.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from nazer.auth import Caller
from nazer.dal import applications, inspector_groups
from nazer.dal import inspectors as repository
from nazer.domain import inspector_code
from nazer.domain.backoff import Budget, RetryPolicy
from nazer.domain.inspector_status import InspectorStatus, can_move, holds_inspector_group
from nazer.domain.statuses import ApplicationStatus
from nazer.errors import DomainError, forbidden, invalid_state, not_found
from nazer.idempotency import run_once
from nazer.jalali import iso
from nazer.logic.exam_expiry import settle_expired_attempt
from nazer.models.inspectors import (
    InspectorDetail,
    InspectorOut,
    InspectorPage,
    IssueCodeRequest,
    IssuedCode,
    ProvinceApplicationOut,
    ProvinceApplicationPage,
    StatusChangeRequest,
)
from nazer.observability import logger
from nazer.regions import regions

NAMESPACE = "Nazer"
# 10 s of retries at most: well inside API Gateway's 29 s, with room for the reads and Cognito.
DEFAULT_RETRY = RetryPolicy()
STATUS_CHANGE_TRIES = 3


@dataclass(frozen=True)
class IssueOutcome:
    """``created``: this call issued the code (201); otherwise it existed already (200)."""

    created: bool
    code: IssuedCode
    tries: int


# ---------------------------------------------------------------- issuing


def issue_inspector_code(
    caller: Caller,
    province: str,
    application_id: str,
    now: datetime,
    *,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rng: Callable[[], float] = random.random,
) -> IssueOutcome:
    """Issue the applicant's code, or return the one they already hold.

    Raises 403 (not an officer of ``province``, or the application is another province's), 404
    (no such application), 409 ``invalid-state`` (not ``APPROVED``), 409 ``county-codes-exhausted``
    (the county issued 9999 codes; nothing written) and 503 with ``Retry-After`` when contention
    outlasts the retry budget (nothing written).
    """
    caller.require_officer_of(province)
    application = _application_of_province(province, application_id, now)
    if application.get("inspectorCode"):
        _sync_group(application["username"], application["inspectorCode"], application["status"])
        return IssueOutcome(False, _issued(application), 0)
    _require_approved(application)

    policy = retry or DEFAULT_RETRY
    budget = Budget(policy, clock)
    county = application["countyCode"]
    issued_at = iso(now)
    while True:
        budget.tries += 1
        previous = repository.read_counter(province, county)
        last = previous or 0
        if last >= inspector_code.LAST_SEQUENCE:
            stored = applications.get(application_id)
            if stored and stored.get("inspectorCode"):
                return IssueOutcome(False, _issued(stored), budget.tries)
            _emit("CountyCodesRemaining", 0, province=province, county=county)
            raise DomainError(
                "county-codes-exhausted",
                f"County {county} of province {province} has issued all {inspector_code.LAST_SEQUENCE} codes",
                f"شهرستان {county} استان {province} همهٔ {inspector_code.LAST_SEQUENCE} کد خود را صادر کرده است",
            )
        code = _build(province, county, last + 1)
        items = repository.issue_items(
            application=application, code=code, previous=previous, issued_at=issued_at, at=now
        )
        result = repository.write_issue(items)
        if result.written:
            _emit("CodesIssued", 1)
            _emit("CountyCodesRemaining", inspector_code.remaining(last + 1), province=province, county=county)
            _sync_group(application["username"], code, ApplicationStatus.ACTIVE)
            issued = IssuedCode(
                inspector_code=code,
                application_id=application_id,
                province_code=province,
                county_code=county,
                issued_at=issued_at,
            )
            return IssueOutcome(True, issued, budget.tries)
        if result.application_changed:
            stored = result.application or applications.get(application_id)
            if stored and stored.get("inspectorCode"):
                # The same application was issued by a concurrent request: that code is the answer.
                _sync_group(stored["username"], stored["inspectorCode"], stored["status"])
                return IssueOutcome(False, _issued(stored), budget.tries)
            if stored is None:
                raise not_found("No such application", "چنین درخواستی وجود ندارد")
            _require_approved(stored)
        pause = budget.next_delay(rng)
        if pause is None:
            logger.warning(
                "code issue gave up under contention",
                extra={"province": province, "county": county, "tries": budget.tries, "reasons": result.reasons},
            )
            _emit("CodeIssueBudgetExhausted", 1, province=province, county=county)
            raise DomainError(
                "service-unavailable",
                "Too many codes are being issued in this county right now; retry shortly",
                "هم‌اکنون صدور کد در این شهرستان پرترافیک است؛ کمی بعد دوباره تلاش کنید",
                headers={"Retry-After": str(policy.retry_after_seconds)},
            )
        sleep(pause)


def issue_reply(
    caller: Caller, province: str, request: IssueCodeRequest, idempotency_key: str | None, now: datetime
) -> dict[str, Any]:
    """``POST /provinces/{p}/inspectors``: ``{"status": 201|200, "body": IssuedCode}``, once per key."""

    def produce() -> dict[str, Any]:
        outcome = issue_inspector_code(caller, province, request.application_id, now)
        return {"status": 201 if outcome.created else 200, "body": outcome.code.model_dump(mode="json")}

    body = request.model_dump(mode="json", by_alias=True)
    return run_once(f"issue-inspector-code#{province}", caller.sub, idempotency_key, body, produce)


def _application_of_province(province: str, application_id: str, now: datetime) -> dict[str, Any]:
    application = applications.get(application_id)
    if application is None:
        raise not_found("No such application", "چنین درخواستی وجود ندارد")
    if application.get("provinceCode") != province:
        raise forbidden("The application belongs to another province", "این درخواست متعلق به استان دیگری است")
    return settle_expired_attempt(application, now)


def _require_approved(application: dict[str, Any]) -> None:
    if application.get("status") != ApplicationStatus.APPROVED:
        raise invalid_state(
            f"A code is issued only for an APPROVED application (this one is {application.get('status')})",
            "کد ناظر فقط برای درخواست تأییدشده صادر می‌شود",
        )


def _build(province: str, county: str, sequence: int) -> str:
    try:
        return inspector_code.build(province, county, sequence)
    except ValueError as error:
        raise invalid_state(
            "The application's province or county code is not valid for a code",
            "کد استان یا شهرستان این درخواست برای ساخت کد ناظر معتبر نیست",
        ) from error


def _issued(application: dict[str, Any]) -> IssuedCode:
    return IssuedCode(
        inspector_code=application["inspectorCode"],
        application_id=application["applicationId"],
        province_code=application["provinceCode"],
        county_code=application["countyCode"],
        issued_at=application.get("codeIssuedAt") or application.get("updatedAt") or "",
    )


# ---------------------------------------------------------------- the Cognito group


def _sync_group(username: str, code: str, status: str) -> bool:
    """Make the user's membership of group ``inspector`` match the status; never fails the request.

    The code stands whatever Cognito says: a failure is logged (code and error only, no personal
    data) and counted, and a repeat issue call or ``python -m infra.repair_inspector_groups``
    applies it again.
    """
    try:
        wanted = holds_inspector_group(InspectorStatus(status))
    except ValueError:
        return True
    error = (
        inspector_groups.add_to_inspector_group(username)
        if wanted
        else inspector_groups.remove_from_inspector_group(username)
    )
    if error is None:
        return True
    logger.warning(
        "inspector group sync failed",
        extra={"inspectorCode": code, "action": "add" if wanted else "remove", "error": error},
    )
    _emit("InspectorGroupSyncFailed", 1)
    return False


@dataclass(frozen=True)
class GroupRepair:
    province: str
    checked: int
    failed: int


def repair_inspector_groups(province: str) -> GroupRepair:
    """Apply every inspector's group membership of a province again (granted unless revoked)."""
    checked = failed = 0
    for inspector in repository.all_in_province(province):
        checked += 1
        if not _sync_group(inspector["username"], inspector["inspectorCode"], inspector["status"]):
            failed += 1
    return GroupRepair(province, checked, failed)


# ---------------------------------------------------------------- lists


def list_province_applications(
    caller: Caller, province: str, status: ApplicationStatus, limit: int, cursor: str | None, now: datetime
) -> ProvinceApplicationPage:
    """``GET /provinces/{p}/applications``: the province's applications in one status, newest first."""
    _require_reader(caller, province)
    page = applications.list_by_province(province, status.value, limit, cursor)
    items = [ProvinceApplicationOut.from_item(settle_expired_attempt(item, now)) for item in page.items]
    return ProvinceApplicationPage(items=items, next_cursor=page.next_cursor)


def list_inspectors(
    caller: Caller,
    province: str,
    county: str | None,
    status: InspectorStatus | None,
    limit: int,
    cursor: str | None,
) -> InspectorPage:
    """``GET /provinces/{p}/inspectors``: by county then code, optionally one county and one status."""
    _require_reader(caller, province)
    page = repository.list_by_province(
        province, county=county, status=status.value if status else None, limit=limit, cursor=cursor
    )
    return InspectorPage(items=[InspectorOut.from_item(item) for item in page.items], next_cursor=page.next_cursor)


def _require_reader(caller: Caller, province: str) -> None:
    caller.require_province_reader(province)
    if regions().province(province) is None:
        raise not_found("No such province", "چنین استانی وجود ندارد")


# ---------------------------------------------------------------- status


def change_inspector_status(
    caller: Caller, province: str, code: str, request: StatusChangeRequest, now: datetime
) -> InspectorDetail:
    """``POST /provinces/{p}/inspectors/{code}/status``: SUSPENDED ⇄ ACTIVE, REVOKED final.

    The inspector and the application move together in one transaction, each only from the status
    read; a revoked code stays taken for ever (its guard and the county counter are never touched).
    """
    caller.require_officer_of(province)
    target = InspectorStatus(request.status)
    now_iso = iso(now)
    for _ in range(STATUS_CHANGE_TRIES):
        inspector = repository.get(code) if inspector_code.is_valid(code) else None
        if inspector is None or inspector.get("provinceCode") != province:
            raise not_found("No such inspector in this province", "چنین ناظری در این استان وجود ندارد")
        current = InspectorStatus(inspector["status"])
        if not can_move(current, target):
            raise invalid_state(
                f"An inspector cannot move from {current} to {target}",
                f"وضعیت ناظر از {_STATUS_FA[current]} به {_STATUS_FA[target]} تغییر نمی‌کند",
            )
        application = applications.get(inspector["applicationId"])
        if application is None:
            raise invalid_state("The inspector's application is missing", "درخواست این ناظر یافت نشد")
        items = repository.status_items(
            inspector=inspector,
            application=application,
            target=target.value,
            reason=request.reason,
            changed_by=caller.sub,
            now=now_iso,
        )
        reasons = repository.write_status(items)
        if not reasons:
            if target is not InspectorStatus.SUSPENDED:
                # Reactivation grants the group again (repairing a lost grant); revocation removes it.
                _sync_group(inspector["username"], code, target.value)
            changed = inspector | {"status": target.value, "statusReason": request.reason, "updatedAt": now_iso}
            return InspectorDetail.from_item(changed)
        if reasons == ("None", "ConditionalCheckFailed"):
            # The inspector was as read but the application does not mirror it: no retry can help.
            logger.error("application out of step with its inspector", extra={"inspectorCode": code})
            raise invalid_state(
                "The inspector's application is not in the inspector's status",
                "وضعیت درخواست این ناظر با وضعیت ناظر هم‌خوان نیست",
            )
        # Someone changed the inspector meanwhile (or a transient conflict): read again and re-decide.
    raise DomainError(
        "service-unavailable",
        "The inspector is being changed by someone else; retry shortly",
        "وضعیت این ناظر هم‌زمان در حال تغییر است؛ کمی بعد دوباره تلاش کنید",
        headers={"Retry-After": "1"},
    )


def status_reply(
    caller: Caller,
    province: str,
    code: str,
    request: StatusChangeRequest,
    idempotency_key: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The status change as ``{"status": 200, "body": ...}``, once per Idempotency-Key."""

    def produce() -> dict[str, Any]:
        detail = change_inspector_status(caller, province, code, request, now)
        return {"status": 200, "body": detail.model_dump(mode="json")}

    body = request.model_dump(mode="json", by_alias=True)
    return run_once(f"inspector-status#{province}#{code}", caller.sub, idempotency_key, body, produce)


_STATUS_FA = {
    InspectorStatus.ACTIVE: "«فعال»",
    InspectorStatus.SUSPENDED: "«تعلیق‌شده»",
    InspectorStatus.REVOKED: "«لغوشده»",
}


# ---------------------------------------------------------------- metrics


def _emit(name: str, value: float, **dimensions: str) -> None:
    """One metric with its own dimensions (thread-safe: not the handler's shared metric set)."""
    with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=NAMESPACE) as metric:
        for dimension, dimension_value in dimensions.items():
            metric.add_dimension(name=dimension, value=dimension_value)
