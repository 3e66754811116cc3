"""Use cases of the applicant's first steps: apply, read one's application, get the training file, HQ list.

Time comes in as ``now``; storage goes through ``nazer.dal.applications`` and
``nazer.dal.training_material``. Nothing here logs personal data: log lines carry ids and codes only.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from nazer import idempotency
from nazer.auth import HQ_ADMIN, Caller
from nazer.dal import applications, stats, training_material
from nazer.dal.base import plain
from nazer.domain.applicant import birth_date_problem, normalize_jalali_birth_date
from nazer.domain.statuses import ApplicationStatus
from nazer.errors import DomainError, FieldError, not_found
from nazer.jalali import iso
from nazer.logic.exam_expiry import settle_expired_attempt
from nazer.models.applications import (
    ApplicationOut,
    ApplicationPage,
    ApplicationRequest,
    ApplicationView,
    ExamSummary,
    TrainingMaterial,
)
from nazer.observability import logger
from nazer.regions import regions
from nazer.settings import get_settings

# HQ's own queue: applications that passed the exam and wait to be announced to their province.
DEFAULT_ADMIN_STATUS = ApplicationStatus.EXAM_PASSED
WRITE_TRIES = 4


def no_application() -> DomainError:
    return not_found("You have not applied yet", "هنوز درخواست عضویت ثبت نکرده‌اید")


# ---------------------------------------------------------------- POST /applications


def submit_application(
    caller: Caller, request: ApplicationRequest, now: datetime, idempotency_key: str | None = None
) -> dict[str, Any]:
    """Apply once, honouring ``Idempotency-Key``: ``{"status": 201, "body": <the application>}``."""
    body = request.model_dump(by_alias=True, mode="json")

    def produce() -> dict[str, Any]:
        created = create_application(caller, request, now)
        return {"status": 201, "body": created.model_dump(by_alias=True, mode="json")}

    return idempotency.run_once("applications.create", caller.sub, idempotency_key, body, produce)


def create_application(caller: Caller, request: ApplicationRequest, now: datetime) -> ApplicationOut:
    """Store the caller's application; 409 when the account already applied or the national ID is taken."""
    birth = normalize_jalali_birth_date(request.birth_date)
    problem = birth_date_problem(birth, now) if birth else ("is not a date", "تاریخ شمسی معتبر نیست")
    if problem:
        message, message_fa = problem
        raise DomainError(
            "validation-error", f"birthDate: {message}", message_fa, [FieldError("birthDate", message, message_fa)]
        )
    created_at = iso(now)
    counters = stats.counter_update(request.province_code, request.county_code, now, applications=1)
    for _ in range(WRITE_TRIES):
        item = application_item(caller, request, str(uuid.uuid4()), created_at)
        try:
            applications.create(item, counters)
        except applications.DuplicateApplicationError as duplicate:
            raise _duplicate_error(duplicate.reason) from duplicate
        except applications.WriteConflictError:
            continue
        _count_submission(item)
        return ApplicationOut.model_validate(item)
    raise DomainError(
        "service-unavailable",
        "Too many applications at once; retry shortly",
        "درخواست‌های هم‌زمان زیاد است؛ کمی بعد دوباره تلاش کنید",
        headers={"Retry-After": "1"},
    )


def application_item(
    caller: Caller, request: ApplicationRequest, application_id: str, created_at: str
) -> dict[str, Any]:
    """The stored application (docs/data-model.md, "The application item"); blank optional fields left out."""
    form = request.model_dump(by_alias=True, mode="json", exclude_none=True)
    form["consents"]["acceptedAt"] = created_at
    status = ApplicationStatus.SUBMITTED.value
    return {
        **applications.application_key(application_id),
        **applications.index_keys(status, request.province_code, created_at, application_id),
        "type": "application",
        **form,
        "applicationId": application_id,
        "userSub": caller.sub,
        "username": caller.username,
        "status": status,
        "examAttemptsUsed": 0,
        "createdAt": created_at,
        "updatedAt": created_at,
    }


def _duplicate_error(reason: str) -> DomainError:
    if reason == "account":
        return DomainError(
            "application-exists",
            "This account has already applied",
            "با این حساب کاربری قبلاً درخواست عضویت ثبت شده است",
        )
    return DomainError(
        "national-id-taken",
        "An application with this national ID already exists",
        "با این کد ملی قبلاً درخواست عضویت ثبت شده است",
        [FieldError("nationalId", "already registered", "این کد ملی قبلاً ثبت شده است")],
    )


def _count_submission(item: dict[str, Any]) -> None:
    """The business metric and one log line, both without personal data."""
    with single_metric(name="ApplicationsSubmitted", unit=MetricUnit.Count, value=1, namespace="Nazer") as metric:
        metric.add_dimension(name="province", value=item["provinceCode"])
    logger.info(
        "application submitted",
        extra={"application_id": item["applicationId"], "province": item["provinceCode"], "county": item["countyCode"]},
    )


# ---------------------------------------------------------------- GET /applications/me


def my_application(caller: Caller, now: datetime) -> ApplicationView:
    """The caller's own application with its progress; 404 when they have not applied."""
    application = applications.get_for_user(caller.sub)
    if application is None:
        raise no_application()
    application = settle_expired_attempt(application, now)
    max_attempts, cooldown_hours = applications.exam_limits()
    return application_view(application, max_attempts, cooldown_hours, now)


def application_view(
    application: dict[str, Any], max_attempts: int, cooldown_hours: int, now: datetime
) -> ApplicationView:
    """A stored application as the applicant (and HQ) see it."""
    return ApplicationView.model_validate(
        {**application, "exam": exam_summary(application, max_attempts, cooldown_hours, now)}
    )


def exam_summary(application: dict[str, Any], max_attempts: int, cooldown_hours: int, now: datetime) -> ExamSummary:
    """Attempts used and left, best score, and when the next attempt may start (null when it may now)."""
    used = int(application.get("examAttemptsUsed") or 0)
    status = application.get("status")
    left = 0 if status == ApplicationStatus.EXAM_LOCKED else max(0, max_attempts - used)
    cooldown_until = None
    last = application.get("examLastAttemptAt")
    if status == ApplicationStatus.EXAM_FAILED and last and cooldown_hours > 0 and left > 0:
        until = datetime.fromisoformat(str(last)) + timedelta(hours=cooldown_hours)
        cooldown_until = iso(until) if until > now else None
    best = application.get("examBestScore")
    return ExamSummary(
        attempts_used=used,
        attempts_left=left,
        best_score=int(best) if best is not None else None,
        cooldown_until=cooldown_until,
    )


# ---------------------------------------------------------------- GET /training-material


def training_link(caller: Caller, now: datetime) -> TrainingMaterial:
    """A presigned link to the training PDF; the first one moves the application to TRAINING."""
    application = applications.get_for_user(caller.sub)
    if application is None:
        raise no_application()
    if application["status"] == ApplicationStatus.SUBMITTED:
        counters = stats.counter_update(
            application["provinceCode"], application["countyCode"], now, trainingDownloads=1
        )
        for _ in range(WRITE_TRIES):
            try:
                if applications.record_training_download(application, iso(now), counters):
                    logger.info("training started", extra={"application_id": application["applicationId"]})
                break
            except applications.WriteConflictError:
                continue
        else:
            # The link still works; the move is made by the next call, as the status is still SUBMITTED.
            logger.warning("training move postponed", extra={"application_id": application["applicationId"]})
    ttl = get_settings().presign_ttl_seconds
    return TrainingMaterial(
        url=training_material.presigned_url(ttl),
        expires_at=iso(now + timedelta(seconds=ttl)),
        file_name=training_material.file_name(),
    )


# ---------------------------------------------------------------- GET /admin/applications


def list_applications(
    caller: Caller,
    *,
    status: ApplicationStatus | None,
    province: str | None,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> ApplicationPage:
    """HQ's list, newest first: by status, by province, or both; ``EXAM_PASSED`` when neither is given."""
    caller.require_group(HQ_ADMIN)
    if province is not None and regions().province(province) is None:
        raise DomainError(
            "validation-error",
            "province: not one of the 32 directorates",
            "کد استان معتبر نیست",
            [FieldError("province", "not one of the 32 directorates", "کد استان معتبر نیست")],
        )
    if province is not None:
        page = applications.list_by_province(province, status.value if status else None, limit, cursor)
    else:
        page = applications.list_by_status((status or DEFAULT_ADMIN_STATUS).value, limit, cursor)
    max_attempts, cooldown_hours = applications.exam_limits()
    items = [
        application_view(settle_expired_attempt(plain(item), now), max_attempts, cooldown_hours, now)
        for item in page.items
    ]
    return ApplicationPage(items=items, next_cursor=page.next_cursor)
