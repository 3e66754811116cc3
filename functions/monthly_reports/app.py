"""Monthly reports: a directorate's periods and files, its submission, HQ's compliance view and generation."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from nazer.access import Access, route
from nazer.http import create_app, current_caller, header, json_response, resolve
from nazer.idempotency import run_once
from nazer.jalali import now_utc
from nazer.logic import monthly_reports
from nazer.models.base import WireModel
from nazer.models.monthly_reports import (
    ComplianceResponse,
    FileFormat,
    FileLink,
    GenerationResponse,
    MonthlyReportList,
    SubmissionRequest,
    SubmissionResponse,
)
from nazer.observability import logger, metrics, tracer

router = Router()

ProvinceCode = Annotated[str, Path(alias="provinceCode", description="2-digit directorate code")]
PeriodText = Annotated[str, Path(description="Jalali month, YYYY-MM (e.g. 1403-07)")]


def _reply(model: type[WireModel], description: str) -> dict[int, Any]:
    """The documented 200 reply of a route that answers with ``json_response``."""
    return {200: {"description": description, "content": {"application/json": {"model": model}}}}


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/monthly-reports",
    Access.PROVINCE_READ,
    summary="A directorate's generated periods with their submission state",
    tags=["monthly-reports"],
    responses=_reply(MonthlyReportList, "The periods, newest first"),
)
def list_monthly_reports(
    province_code: ProvinceCode,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query()] = None,
) -> Response[str]:
    result = monthly_reports.list_reports(current_caller(router), province_code, limit, cursor)
    return json_response(200, result.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/monthly-reports/{period}/file",
    Access.PROVINCE_READ,
    summary="A presigned link to the period's workbook, CSV or JSON figures",
    tags=["monthly-reports"],
    responses=_reply(FileLink, "A short-lived download link"),
)
def get_monthly_report_file(
    province_code: ProvinceCode,
    period: PeriodText,
    file_format: Annotated[FileFormat, Query(alias="format")] = "xlsx",
) -> Response[str]:
    link = monthly_reports.report_file(current_caller(router), province_code, period, file_format, now_utc())
    return json_response(200, link.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "POST",
    "/provinces/{provinceCode}/monthly-reports/{period}/submission",
    Access.PROVINCE_OFFICER,
    summary="The directorate submits its monthly report to HQ",
    tags=["monthly-reports"],
    responses=_reply(SubmissionResponse, "When it was submitted and whether that was late"),
)
def submit_monthly_report(
    province_code: ProvinceCode, period: PeriodText, body: Annotated[SubmissionRequest, Body()]
) -> Response[str]:
    caller = current_caller(router)

    def produce() -> dict[str, Any]:
        result = monthly_reports.submit(caller, province_code, period, body.remarks, now_utc())
        return {"status": 200, "body": result.model_dump(by_alias=True, mode="json")}

    reply = run_once(
        f"monthly-submission:{province_code}:{period}",
        caller.sub,
        header(router, "Idempotency-Key"),  # type: ignore[arg-type]
        body.model_dump(mode="json"),
        produce,
    )
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/admin/monthly-reports/{period}",
    Access.HQ,
    summary="HQ's compliance view of a period and the national roll-up",
    tags=["monthly-reports"],
    responses=_reply(ComplianceResponse, "Every directorate's state for the period"),
)
def get_compliance(period: PeriodText) -> Response[str]:
    result = monthly_reports.compliance(current_caller(router), period, now_utc())
    return json_response(200, result.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "POST",
    "/admin/monthly-reports/{period}/generation",
    Access.HQ,
    summary="(Re)generate a period's files for every directorate, synchronously",
    tags=["monthly-reports"],
    responses=_reply(GenerationResponse, "The period's files, generated now"),
)
def generate_monthly_reports(period: PeriodText) -> Response[str]:
    caller = current_caller(router)

    def produce() -> dict[str, Any]:
        run = monthly_reports.generate_on_demand(caller, period, now_utc())
        metrics.add_metric(name="MonthlyReportsGenerated", unit=MetricUnit.Count, value=len(run.provinces))
        metrics.add_metric(name="MonthlyReportRunDuration", unit=MetricUnit.Seconds, value=run.duration_seconds)
        metrics.add_metric(name="MonthlyReportReportsRead", unit=MetricUnit.Count, value=run.reports)
        return {"status": 200, "body": run.response().model_dump(by_alias=True, mode="json")}

    reply = run_once(
        f"monthly-generation:{period}",
        caller.sub,
        header(router, "Idempotency-Key"),  # type: ignore[arg-type]
        {"period": period},
        produce,
    )
    return json_response(reply["status"], reply["body"])


app = create_app()
app.include_router(router)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
