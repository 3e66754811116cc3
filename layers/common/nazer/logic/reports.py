"""Violation reports: confidential intake, evidence, offline channels, the province queue.

Plain functions taking the caller, validated request models and ``now``; they return response
models or ``{"status", "body"}`` replies (creating POSTs, through ``nazer.idempotency``).
Reports carry the inspector *code* only: nothing here reads or returns the reporter's name,
national ID or mobile, and nothing personal is logged.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from nazer.auth import INSPECTOR, Caller
from nazer.dal import applications, inspectors
from nazer.dal import evidence as evidence_store
from nazer.dal import reports as store
from nazer.domain import evidence
from nazer.domain.report_status import INITIAL, OPEN, ReportStatus, can_move, is_final, moved_fields
from nazer.domain.reports import (
    DAILY_REPORT_LIMIT,
    DUPLICATE_WINDOW,
    MAX_DUPLICATES_SHOWN,
    RATE_COUNTER_TTL,
    Channel,
    ViolationType,
    business_key,
    next_tehran_midnight,
    observed_at_problem,
    overlaps,
)
from nazer.domain.reports import age_days as report_age_days
from nazer.domain.reports import is_overdue as report_is_overdue
from nazer.domain.ulid import is_ulid, new_ulid
from nazer.errors import DomainError, FieldError, field_error, forbidden, invalid_state, not_found
from nazer.idempotency import Reply, run_once
from nazer.jalali import TEHRAN, iso, parse_jalali_date, tehran_day_key
from nazer.models.reports import (
    AttachmentIn,
    AttachmentOut,
    AttachmentReady,
    FileLink,
    HistoryEntry,
    InspectorReportPage,
    InspectorReportSummary,
    InspectorReportView,
    OfficerReportIn,
    OfficerReportPage,
    OfficerReportSummary,
    OfficerReportView,
    PublicHistoryEntry,
    ReportCreated,
    ReportIn,
    TransitionIn,
    UploadTicket,
    dump,
)
from nazer.observability import logger
from nazer.regions import regions
from nazer.settings import get_settings

ACTIVE = "ACTIVE"
READY = "READY"
PENDING = "PENDING"


# ---------------------------------------------------------------- who is calling


def acting_inspector(caller: Caller, *, must_be_active: bool) -> dict[str, Any]:
    """The caller's inspector record (found through their application), or 403.

    A suspended or revoked inspector may still follow their reports but not file: ``409
    invalid-state`` (the contract's answer for a state that forbids the action).
    """
    caller.require_group(INSPECTOR)
    application = applications.get_for_user(caller.sub)
    code = application.get("inspectorCode") if application else None
    inspector = inspectors.get(str(code)) if code else None
    if inspector is None or inspector.get("userSub") != caller.sub:
        raise forbidden("No inspector code belongs to this account", "کد ناظری به این حساب تعلق ندارد")
    if must_be_active and inspector.get("status") != ACTIVE:
        raise invalid_state(
            f"An inspector whose code is {inspector.get('status')} cannot file reports or evidence",
            "کد ناظری شما فعال نیست و نمی‌توانید گزارش یا مدرک ثبت کنید",
        )
    return inspector


def _own_report(inspector: dict[str, Any], report_id: str) -> dict[str, Any]:
    report = store.get(report_id) if is_ulid(report_id) else None
    # Another inspector's report looks exactly like a missing one.
    if report is None or report.get("inspectorCode") != inspector["inspectorCode"]:
        raise _no_report()
    return report


def _province_report(province: str, report_id: str) -> store.ReportDetails:
    details = store.get_details(report_id) if is_ulid(report_id) else None
    if details is None or details.report.get("provinceCode") != province:
        raise _no_report()
    return details


def _no_report() -> DomainError:
    return not_found("No such report", "چنین گزارشی وجود ندارد")


def _known_province(province: str) -> None:
    if regions().province(province) is None:
        raise not_found("No such province", "چنین استانی وجود ندارد")


# ---------------------------------------------------------------- intake


def file_report(caller: Caller, body: ReportIn, idempotency_key: str | None, now: datetime) -> Reply:
    """``POST /reports``: an ACTIVE inspector's report → 201 with its tracking number."""
    inspector = acting_inspector(caller, must_be_active=True)
    code = str(inspector["inspectorCode"])

    def produce() -> Reply:
        _check_observed_at(body.observed_at, now)
        report = _new_report(body, inspector_code=code, channel=Channel.WEB, now=now)
        rate = store.RateLimit(
            inspector_code=code,
            tehran_day=tehran_day_key(now),
            limit=DAILY_REPORT_LIMIT,
            expires_epoch=int((now + RATE_COUNTER_TTL).timestamp()),
        )
        try:
            stored = store.create(report, business_key(body.business.name), by=code, rate=rate)
        except store.RateLimitReachedError as exc:
            retry_after = max(1, int((next_tehran_midnight(now) - now).total_seconds()))
            raise DomainError(
                "rate-limited",
                f"At most {DAILY_REPORT_LIMIT} reports a day; the count starts again at midnight Tehran time",
                f"هر ناظر روزانه حداکثر {DAILY_REPORT_LIMIT} گزارش ثبت می‌کند؛ از نیمه‌شب به وقت تهران دوباره ممکن است",
                headers={"Retry-After": str(retry_after)},
            ) from exc
        _received(stored)
        created = ReportCreated(report_id=stored["reportId"], status=stored["status"], received_at=stored["receivedAt"])
        return {"status": 201, "body": dump(created)}

    return run_once("reports.file", caller.sub, idempotency_key, body.model_dump(mode="json", by_alias=True), produce)


def register_report(
    caller: Caller, province: str, body: OfficerReportIn, idempotency_key: str | None, now: datetime
) -> Reply:
    """``POST /provinces/{p}/reports``: an officer registers a 124 / in-person / written / other report."""
    caller.require_officer_of(province)

    def produce() -> Reply:
        if body.channel is Channel.SYSTEM_124 and body.external_reference is None:
            raise field_error(
                "externalReference",
                "required for a system_124 report (124's own tracking number)",
                "شمارهٔ پیگیری سامانهٔ ۱۲۴ برای این گزارش الزامی است",
            )
        if body.business.province_code != province:
            raise field_error(
                "business.provinceCode",
                "a directorate registers reports about businesses of its own province",
                "هر استان فقط گزارش‌های مربوط به واحدهای صنفی همان استان را ثبت می‌کند",
            )
        inspector = inspectors.get(body.inspector_code)
        if inspector is None:
            raise field_error("inspectorCode", "no inspector has this code", "ناظری با این کد وجود ندارد")
        if inspector.get("status") != ACTIVE:
            raise invalid_state(
                f"The inspector's code is {inspector.get('status')}: their reports cannot be registered",
                "کد این ناظر فعال نیست و گزارش او ثبت نمی‌شود",
            )
        _check_observed_at(body.observed_at, now)
        report = _new_report(
            body,
            inspector_code=body.inspector_code,
            channel=body.channel,
            now=now,
            external_reference=body.external_reference,
            registered_by=caller.sub,
        )
        stored = store.create(report, business_key(body.business.name), by=caller.username, rate=None)
        _received(stored)
        first = store.history_item(stored["reportId"], 1, stored["status"], stored["receivedAt"], caller.username, None)
        return {"status": 201, "body": dump(_officer_view(stored, [first], [], now))}

    payload = {"province": province, **body.model_dump(mode="json", by_alias=True)}
    return run_once("reports.register", caller.sub, idempotency_key, payload, produce)


def _check_observed_at(observed_at: datetime, now: datetime) -> None:
    problem = observed_at_problem(observed_at, now)
    if problem == "future":
        raise field_error("observedAt", "must not be in the future", "زمان مشاهده نمی‌تواند در آینده باشد")
    if problem == "too_old":
        raise field_error("observedAt", "must be within the last 30 days", "زمان مشاهده باید در ۳۰ روز گذشته باشد")


def _new_report(
    body: ReportIn,
    *,
    inspector_code: str,
    channel: Channel,
    now: datetime,
    external_reference: str | None = None,
    registered_by: str | None = None,
) -> dict[str, Any]:
    business = body.business
    received_at = iso(now)
    types = [str(violation) for violation in body.violation_types]
    return {
        "reportId": new_ulid(now),
        "inspectorCode": inspector_code,
        "channel": str(channel),
        "externalReference": external_reference,
        "status": str(INITIAL),
        "provinceCode": business.province_code,
        "countyCode": business.county_code,
        "business": business.model_dump(by_alias=True, exclude_none=True),
        "violationTypes": types,
        "product": body.product,
        "observedPriceRials": body.observed_price_rials,
        "officialPriceRials": body.official_price_rials,
        "observedAt": iso(body.observed_at),
        "description": body.description,
        "receivedAt": received_at,
        "updatedAt": received_at,
        "registeredBy": registered_by,
        "possibleDuplicateOf": _possible_duplicates(
            business.province_code, business.county_code, business_key(business.name), types, now
        ),
    }


def _possible_duplicates(province: str, county: str, key: str, types: list[str], now: datetime) -> list[str]:
    """Reports of the same business and county sharing a violation type in the previous 7 days (GSI3)."""
    recent = store.recent_for_business(province, county, key, iso(now - DUPLICATE_WINDOW))
    matches = [str(item["reportId"]) for item in recent if overlaps(types, item.get("violationTypes", []))]
    return matches[:MAX_DUPLICATES_SHOWN]


def _received(report: dict[str, Any]) -> None:
    logger.info(
        "report received",
        extra={"reportId": report["reportId"], "provinceCode": report["provinceCode"], "channel": report["channel"]},
    )
    with single_metric(name="ReportsReceived", unit=MetricUnit.Count, value=1, namespace="Nazer") as metric:
        metric.add_dimension(name="province", value=str(report["provinceCode"]))
        metric.add_dimension(name="channel", value=str(report["channel"]))


# ---------------------------------------------------------------- the reporter's side


def my_reports(caller: Caller, limit: int, cursor: str | None) -> InspectorReportPage:
    """``GET /reports/mine``: the caller's reports, newest first (GSI2)."""
    inspector = acting_inspector(caller, must_be_active=False)
    page = store.list_for_inspector(str(inspector["inspectorCode"]), limit, cursor)
    return InspectorReportPage(
        items=[InspectorReportSummary.model_validate(item) for item in page.items], next_cursor=page.next_cursor
    )


def my_report(caller: Caller, report_id: str) -> InspectorReportView:
    """``GET /reports/{id}``: statuses and dates of one's own report, never officers' notes."""
    inspector = acting_inspector(caller, must_be_active=False)
    details = store.get_details(report_id) if is_ulid(report_id) else None
    if details is None or details.report.get("inspectorCode") != inspector["inspectorCode"]:
        raise _no_report()
    return InspectorReportView.model_validate(
        {
            **details.report,
            "history": [PublicHistoryEntry.model_validate(entry) for entry in details.history],
            "attachments": [_attachment_out(item) for item in details.attachments],
        }
    )


# ---------------------------------------------------------------- evidence


def request_upload(
    caller: Caller, report_id: str, body: AttachmentIn, idempotency_key: str | None, now: datetime
) -> Reply:
    """``POST /reports/{id}/attachments``: a presigned PUT for one evidence file (≤ 10 MB, ≤ 5 per report)."""
    inspector = acting_inspector(caller, must_be_active=True)
    _own_report(inspector, report_id)
    if body.size_bytes > evidence.MAX_BYTES:
        raise _too_large()

    def produce() -> Reply:
        attachment_id = new_ulid(now)
        attachment = {
            "attachmentId": attachment_id,
            "reportId": report_id,
            "fileName": body.file_name,
            "contentType": body.content_type,
            "sizeBytes": body.size_bytes,
            "status": PENDING,
            "createdAt": iso(now),
        }
        try:
            store.add_attachment(attachment, evidence.MAX_ATTACHMENTS, [str(status) for status in OPEN])
        except store.AttachmentRefusedError as exc:
            current = store.get(report_id)
            if current is None:
                raise _no_report() from exc
            if is_final(ReportStatus(current["status"])):
                raise invalid_state(
                    "The report is closed: no more evidence", "پرونده این گزارش بسته شده و مدرک جدید نمی‌پذیرد"
                ) from exc
            raise invalid_state(
                f"A report takes at most {evidence.MAX_ATTACHMENTS} attachments",
                f"هر گزارش حداکثر {evidence.MAX_ATTACHMENTS} پیوست می‌پذیرد",
            ) from exc
        ttl = get_settings().presign_ttl_seconds
        url = evidence_store.presign_upload(
            evidence_store.upload_key(report_id, attachment_id), body.content_type, body.size_bytes, ttl
        )
        ticket = UploadTicket(upload_url=url, expires_at=iso(now + timedelta(seconds=ttl)), attachment_id=attachment_id)
        return {"status": 201, "body": dump(ticket)}

    payload = {"reportId": report_id, **body.model_dump(mode="json", by_alias=True)}
    return run_once("reports.attachment", caller.sub, idempotency_key, payload, produce)


def complete_upload(caller: Caller, report_id: str, attachment_id: str, now: datetime) -> AttachmentReady:
    """``POST …/attachments/{id}/completion``: check the uploaded file, strip metadata, record SHA-256.

    Safe to repeat: a READY attachment answers with what was recorded. A refused file is deleted
    and its place given back, so the reporter can ask for a new upload.
    """
    inspector = acting_inspector(caller, must_be_active=False)
    _own_report(inspector, report_id)
    attachment = store.get_attachment(report_id, attachment_id) if is_ulid(attachment_id) else None
    if attachment is None:
        raise not_found("No such attachment", "چنین پیوستی وجود ندارد")
    if attachment["status"] == READY:
        return _ready(attachment)
    upload_key = evidence_store.upload_key(report_id, attachment_id)
    upload = evidence_store.read_upload(upload_key, evidence.MAX_BYTES)
    if upload is None:
        latest = store.get_attachment(report_id, attachment_id)
        if latest is not None and latest["status"] == READY:
            return _ready(latest)
        raise invalid_state(
            "Upload the file to the upload URL first", "ابتدا فایل را از طریق نشانی بارگذاری ارسال کنید"
        )
    if upload.content is None:
        _refuse(report_id, attachment_id, upload_key)
        raise _too_large()
    if upload.size != int(attachment["sizeBytes"]):
        _refuse(report_id, attachment_id, upload_key)
        raise field_error(
            "sizeBytes", "the uploaded file is not the size declared", "حجم فایل ارسالی با حجم اعلام‌شده یکی نیست"
        )
    try:
        cleaned = evidence.clean(upload.content, str(attachment["contentType"]))
    except evidence.EvidenceRejectedError as exc:
        _refuse(report_id, attachment_id, upload_key)
        raise field_error(
            "contentType",
            f"the uploaded file is not a valid {attachment['contentType']}",
            "نوع واقعی فایل با نوع اعلام‌شده یکی نیست یا فایل خراب است",
        ) from exc
    evidence_key = evidence_store.evidence_key(report_id, attachment_id)
    evidence_store.store_evidence(evidence_key, cleaned.content, cleaned.content_type, cleaned.sha256)
    stored = store.mark_attachment_ready(
        report_id,
        attachment_id,
        {"sha256": cleaned.sha256, "sizeBytes": cleaned.size, "evidenceKey": evidence_key, "readyAt": iso(now)},
    )
    if stored is None:
        stored = store.get_attachment(report_id, attachment_id)
        if stored is None or stored["status"] != READY:
            raise invalid_state("The attachment was withdrawn meanwhile", "این پیوست در این فاصله حذف شد")
    evidence_store.delete_upload(upload_key)
    logger.info("evidence ready", extra={"reportId": report_id, "attachmentId": attachment_id})
    return _ready(stored)


def _refuse(report_id: str, attachment_id: str, upload_key: str) -> None:
    evidence_store.delete_upload(upload_key)
    store.discard_attachment(report_id, attachment_id)


def _ready(attachment: dict[str, Any]) -> AttachmentReady:
    return AttachmentReady(attachment_id=attachment["attachmentId"], status=READY, sha256=attachment["sha256"])


def _too_large() -> DomainError:
    limit_mb = evidence.MAX_BYTES // (1024 * 1024)
    return DomainError(
        "payload-too-large",
        f"An evidence file may be at most {limit_mb} MB",
        f"حجم هر فایل مدرک حداکثر {limit_mb} مگابایت است",
        [FieldError("sizeBytes", f"at most {evidence.MAX_BYTES} bytes", f"حداکثر {limit_mb} مگابایت")],
    )


def _attachment_out(item: dict[str, Any]) -> AttachmentOut:
    return AttachmentOut.model_validate(item)


# ---------------------------------------------------------------- the province side


def province_queue(
    caller: Caller,
    province: str,
    *,
    status: ReportStatus | None,
    county: str | None,
    violation_type: ViolationType | None,
    received_from: str | None,
    received_to: str | None,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> OfficerReportPage:
    """``GET /provinces/{p}/reports``: the queue, newest first, by a Query on GSI1 (never a Scan)."""
    caller.require_province_reader(province)
    _known_province(province)
    if county is not None and not regions().has_county(province, county):
        raise field_error("county", "not a county of this province", "این شهرستان در این استان نیست")
    lower = _range_bound(received_from, "from", end=False)
    upper = _range_bound(received_to, "to", end=True)
    if lower and upper and upper <= lower:
        raise field_error("to", "must not be before from", "تاریخ پایان نباید پیش از تاریخ شروع باشد")
    page = store.list_for_province(
        province,
        limit=limit,
        cursor=cursor,
        status=str(status) if status else None,
        county=county,
        violation_type=str(violation_type) if violation_type else None,
        received_from=iso(lower) if lower else None,
        received_before=iso(upper) if upper else None,
    )
    return OfficerReportPage(items=[_officer_summary(item, now) for item in page.items], next_cursor=page.next_cursor)


def _range_bound(value: str | None, field: str, *, end: bool) -> datetime | None:
    """A date-range bound as an instant: a Jalali (``1403/07/05``) or ISO date is a whole Tehran day,
    an ISO 8601 date-time (with offset) an exact instant. Lower bounds are inclusive; the upper bound
    returned is exclusive (the day after a date, the next second after an instant).
    """
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    message_fa = "تاریخ معتبر نیست (مانند ۱۴۰۳/۰۷/۰۵ یا 2024-09-26T10:00:00+03:30)"
    try:
        if "/" in text:
            day_start = datetime.combine(parse_jalali_date(text).togregorian(), time(), tzinfo=TEHRAN)
            bound = day_start + timedelta(days=1) if end else day_start
        elif len(text) == 10:
            day_start = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(), tzinfo=TEHRAN)
            bound = day_start + timedelta(days=1) if end else day_start
        else:
            instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if instant.tzinfo is None:
                raise field_error(field, "a date-time needs an offset (Z or +03:30)", message_fa)
            instant = instant.replace(microsecond=0)
            bound = instant + timedelta(seconds=1) if end else instant
        iso(bound)  # representable in UTC
    except (ValueError, OverflowError) as exc:
        raise field_error(field, "expected a Jalali date, an ISO date or an ISO date-time", message_fa) from exc
    return bound


def province_report(caller: Caller, province: str, report_id: str, now: datetime) -> OfficerReportView:
    """``GET /provinces/{p}/reports/{id}``: the officer's view with the full history."""
    caller.require_province_reader(province)
    details = _province_report(province, report_id)
    return _officer_view(details.report, details.history, details.attachments, now)


def transition(
    caller: Caller, province: str, report_id: str, body: TransitionIn, idempotency_key: str | None, now: datetime
) -> Reply:
    """``POST …/transitions``: move a report along the state machine, recorded with who, when and a note.

    The write is conditional on the status (and step) the report was read in: of two officers
    moving it at once, one wins and the other gets ``409 invalid-state``.
    """
    caller.require_officer_of(province)
    _province_report(province, report_id)

    def produce() -> Reply:
        current = store.get(report_id)
        if current is None:
            raise _no_report()
        source = ReportStatus(current["status"])
        if not can_move(source, body.status):
            raise invalid_state(
                f"A {source} report cannot move to {body.status}",
                f"گزارش در وضعیت {source} نمی‌تواند به وضعیت {body.status} برود",
            )
        at = iso(now)
        try:
            store.move(current, str(body.status), at, caller.username, body.note, moved_fields(body.status, at))
        except store.StaleReportError as exc:
            latest = store.get(report_id) or current
            raise invalid_state(
                f"Another officer moved the report to {latest['status']} meanwhile",
                f"کارشناس دیگری هم‌زمان وضعیت گزارش را به {latest['status']} تغییر داد",
            ) from exc
        logger.info("report moved", extra={"reportId": report_id, "from": str(source), "to": str(body.status)})
        details = _province_report(province, report_id)
        return {"status": 200, "body": dump(_officer_view(details.report, details.history, details.attachments, now))}

    payload = {"province": province, "reportId": report_id, **body.model_dump(mode="json", by_alias=True)}
    return run_once("reports.transition", caller.sub, idempotency_key, payload, produce)


def attachment_link(caller: Caller, province: str, report_id: str, attachment_id: str, now: datetime) -> FileLink:
    """``GET …/attachments/{id}``: a short-lived download of the cleaned file (READY attachments only)."""
    caller.require_province_reader(province)
    _province_report(province, report_id)
    attachment = store.get_attachment(report_id, attachment_id) if is_ulid(attachment_id) else None
    if attachment is None or attachment.get("status") != READY:
        raise not_found("No such attachment", "چنین پیوستی وجود ندارد")
    ttl = get_settings().presign_ttl_seconds
    url = evidence_store.presign_download(
        str(attachment["evidenceKey"]), str(attachment["fileName"]), str(attachment["contentType"]), ttl
    )
    return FileLink(url=url, expires_at=iso(now + timedelta(seconds=ttl)), file_name=str(attachment["fileName"]))


def _officer_summary(item: dict[str, Any], now: datetime) -> OfficerReportSummary:
    return OfficerReportSummary.model_validate({**item, **_officer_hints(item, now)})


def _officer_view(
    report: dict[str, Any], history: list[dict[str, Any]], attachments: list[dict[str, Any]], now: datetime
) -> OfficerReportView:
    return OfficerReportView.model_validate(
        {
            **report,
            **_officer_hints(report, now),
            "history": [HistoryEntry.model_validate(entry) for entry in history],
            # Officers only ever see evidence that has been cleaned.
            "attachments": [_attachment_out(item) for item in attachments if item.get("status") == READY],
        }
    )


def _officer_hints(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    received = _instant(item["receivedAt"])
    final_at = _instant(item["finalAt"]) if item.get("finalAt") else None
    status = ReportStatus(item["status"])
    return {
        "ageDays": report_age_days(received, now, final_at),
        "overdue": report_is_overdue(status, received, now),
        "possibleDuplicateOf": list(item.get("possibleDuplicateOf") or []),
    }


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
