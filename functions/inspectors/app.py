"""Inspector codes: the province's queue awaiting codes, issuing codes, the inspector list, status."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from nazer.access import Access, route
from nazer.domain.inspector_status import InspectorStatus
from nazer.domain.statuses import ApplicationStatus
from nazer.http import create_app, current_caller, header, json_response, resolve
from nazer.jalali import now_utc
from nazer.logic import inspectors
from nazer.models.inspectors import (
    InspectorDetail,
    InspectorPage,
    IssueCodeRequest,
    IssuedCode,
    ProvinceApplicationPage,
    StatusChangeRequest,
)
from nazer.observability import logger, metrics, tracer

router = Router()

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=2048)]


def _json(description: str, model: type[BaseModel]) -> dict[str, Any]:
    """An OpenAPI response entry with a JSON body of ``model``."""
    return {"description": description, "content": {"application/json": {"model": model}}}


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/applications",
    Access.PROVINCE_READ,
    summary="The province's applications in one status (default APPROVED: the queue awaiting codes)",
    tags=["inspectors"],
    responses={200: _json("The page of applications", ProvinceApplicationPage)},
)
def list_province_applications(
    provinceCode: str,  # noqa: N803 - the path parameter's name on the wire
    status: Annotated[ApplicationStatus, Query()] = ApplicationStatus.APPROVED,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[str]:
    page = inspectors.list_province_applications(current_caller(app), provinceCode, status, limit, cursor, now_utc())
    return json_response(200, page.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "POST",
    "/provinces/{provinceCode}/inspectors",
    Access.PROVINCE_OFFICER,
    summary="Issue an approved applicant's inspector code (a repeat returns the same code with 200)",
    tags=["inspectors"],
    responses={201: _json("The code, issued now", IssuedCode), 200: _json("The code issued before", IssuedCode)},
)
def issue_code(provinceCode: str, body: IssueCodeRequest) -> Response[str]:  # noqa: N803
    reply = inspectors.issue_reply(current_caller(app), provinceCode, body, header(app, "Idempotency-Key"), now_utc())
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/provinces/{provinceCode}/inspectors",
    Access.PROVINCE_READ,
    summary="The province's inspectors with their status, by county",
    tags=["inspectors"],
    responses={200: _json("The page of inspectors", InspectorPage)},
)
def list_inspectors(
    provinceCode: str,  # noqa: N803
    county: Annotated[str | None, Query(pattern=r"^[0-9]{2}$")] = None,
    status: Annotated[InspectorStatus | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response[str]:
    page = inspectors.list_inspectors(current_caller(app), provinceCode, county, status, limit, cursor)
    return json_response(200, page.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "POST",
    "/provinces/{provinceCode}/inspectors/{inspectorCode}/status",
    Access.PROVINCE_OFFICER,
    summary="Suspend, reactivate or revoke an inspector (with a reason); REVOKED is final",
    tags=["inspectors"],
    responses={200: _json("The inspector after the change", InspectorDetail)},
)
def change_status(provinceCode: str, inspectorCode: str, body: StatusChangeRequest) -> Response[str]:  # noqa: N803
    reply = inspectors.status_reply(
        current_caller(app), provinceCode, inspectorCode, body, header(app, "Idempotency-Key"), now_utc()
    )
    return json_response(reply["status"], reply["body"])


app = create_app()
app.include_router(router)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
