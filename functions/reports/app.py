"""Violation reports: inspectors' confidential intake and evidence, offline channels, the province
queue with its state machine, and the province outreach log."""

from __future__ import annotations

from typing import Annotated, Any, cast

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from nazer.access import Access, route
from nazer.auth import Caller
from nazer.domain.report_status import ReportStatus
from nazer.domain.reports import ViolationType
from nazer.http import create_app, current_caller, header, json_response, resolve
from nazer.jalali import now_utc
from nazer.logic import outreach, reports
from nazer.models.base import WireModel
from nazer.models.reports import (
    AttachmentIn,
    AttachmentReady,
    FileLink,
    InspectorReportPage,
    InspectorReportView,
    OfficerReportIn,
    OfficerReportPage,
    OfficerReportView,
    OutreachIn,
    OutreachOut,
    OutreachPage,
    ReportCreated,
    ReportIn,
    TransitionIn,
    UploadTicket,
)
from nazer.observability import logger, metrics, tracer

router = Router()

ProvinceCode = Annotated[str, Path(alias="provinceCode")]
ReportId = Annotated[str, Path(alias="reportId")]
AttachmentId = Annotated[str, Path(alias="attachmentId")]
Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query()]
TAGS = ["reports"]


def _caller() -> Caller:
    return current_caller(cast(APIGatewayRestResolver, router))


def _idempotency_key() -> str | None:
    return header(cast(APIGatewayRestResolver, router), "Idempotency-Key")


# ---------------------------------------------------------------- the inspector


def _documented(model: type[WireModel], description: str, status: int = 201) -> dict[int, Any]:
    """The OpenAPI entry of a route that answers with ``json_response`` (status chosen at run time)."""
    return {status: {"description": description, "content": {"application/json": {"model": model}}}}


@route(
    router,
    "POST",
    "/reports",
    Access.INSPECTOR,
    summary="File a violation report (ACTIVE inspector)",
    tags=TAGS,
    responses=_documented(ReportCreated, "The tracking number"),
)
def file_report(body: ReportIn) -> Response[str]:
    reply = reports.file_report(_caller(), body, _idempotency_key(), now_utc())
    return json_response(reply["status"], reply["body"])


@route(router, "GET", "/reports/mine", Access.INSPECTOR, summary="The caller's own reports, newest first", tags=TAGS)
def my_reports(limit: Limit = 50, cursor: Cursor = None) -> InspectorReportPage:
    return reports.my_reports(_caller(), limit, cursor)


@route(
    router,
    "GET",
    "/reports/{reportId}",
    Access.INSPECTOR,
    summary="One of the caller's reports: status and public history",
    tags=TAGS,
)
def my_report(report_id: ReportId) -> InspectorReportView:
    return reports.my_report(_caller(), report_id)


@route(
    router,
    "POST",
    "/reports/{reportId}/attachments",
    Access.INSPECTOR,
    summary="A presigned upload for one evidence file",
    tags=TAGS,
    responses=_documented(UploadTicket, "A presigned PUT (≤ 5 minutes) for the declared type and size"),
)
def request_upload(report_id: ReportId, body: AttachmentIn) -> Response[str]:
    caller = _caller()
    reply = reports.request_upload(caller, report_id, body, _idempotency_key(), now_utc())
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "POST",
    "/reports/{reportId}/attachments/{attachmentId}/completion",
    Access.INSPECTOR,
    summary="Finalise an upload: check type and size, strip metadata, record SHA-256",
    tags=TAGS,
)
def complete_upload(report_id: ReportId, attachment_id: AttachmentId) -> AttachmentReady:
    return reports.complete_upload(_caller(), report_id, attachment_id, now_utc())


# ---------------------------------------------------------------- the province


@route(
    router,
    "POST",
    "/provinces/{provinceCode}/reports",
    Access.PROVINCE_OFFICER,
    summary="Register a report that came by 124, in person or in writing",
    tags=TAGS,
    responses=_documented(OfficerReportView, "The registered report, as officers see it"),
)
def register_report(province_code: ProvinceCode, body: OfficerReportIn) -> Response[str]:
    caller = _caller()
    reply = reports.register_report(caller, province_code, body, _idempotency_key(), now_utc())
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/reports",
    Access.PROVINCE_READ,
    summary="The province's report queue, newest first",
    tags=TAGS,
)
def province_queue(
    province_code: ProvinceCode,
    status: Annotated[ReportStatus | None, Query()] = None,
    county: Annotated[str | None, Query()] = None,
    violation_type: Annotated[ViolationType | None, Query(alias="violationType")] = None,
    received_from: Annotated[str | None, Query(alias="from")] = None,
    received_to: Annotated[str | None, Query(alias="to")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> OfficerReportPage:
    return reports.province_queue(
        _caller(),
        province_code,
        status=status,
        county=county,
        violation_type=violation_type,
        received_from=received_from,
        received_to=received_to,
        limit=limit,
        cursor=cursor,
        now=now_utc(),
    )


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/reports/{reportId}",
    Access.PROVINCE_READ,
    summary="One report with its full history",
    tags=TAGS,
)
def province_report(province_code: ProvinceCode, report_id: ReportId) -> OfficerReportView:
    return reports.province_report(_caller(), province_code, report_id, now_utc())


@route(
    router,
    "POST",
    "/provinces/{provinceCode}/reports/{reportId}/transitions",
    Access.PROVINCE_OFFICER,
    summary="Move a report along its lifecycle",
    tags=TAGS,
    responses=_documented(OfficerReportView, "The report after the move, with its history", status=200),
)
def transition(province_code: ProvinceCode, report_id: ReportId, body: TransitionIn) -> Response[str]:
    caller = _caller()
    reply = reports.transition(caller, province_code, report_id, body, _idempotency_key(), now_utc())
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/reports/{reportId}/attachments/{attachmentId}",
    Access.PROVINCE_READ,
    summary="A short-lived download link of a cleaned evidence file",
    tags=TAGS,
)
def attachment_link(province_code: ProvinceCode, report_id: ReportId, attachment_id: AttachmentId) -> FileLink:
    caller = _caller()
    return reports.attachment_link(caller, province_code, report_id, attachment_id, now_utc())


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/outreach-activities",
    Access.PROVINCE_READ,
    summary="The province's outreach log",
    tags=["outreach"],
)
def list_outreach(
    province_code: ProvinceCode,
    period: Annotated[str | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> OutreachPage:
    return outreach.list_activities(_caller(), province_code, period, limit, cursor)


@route(
    router,
    "POST",
    "/provinces/{provinceCode}/outreach-activities",
    Access.PROVINCE_OFFICER,
    summary="Log an outreach activity",
    tags=["outreach"],
    responses=_documented(OutreachOut, "The logged activity"),
)
def log_outreach(province_code: ProvinceCode, body: OutreachIn) -> Response[str]:
    caller = _caller()
    reply = outreach.log_activity(caller, province_code, body, _idempotency_key(), now_utc())
    return json_response(reply["status"], reply["body"])


app = create_app()
app.include_router(router)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
