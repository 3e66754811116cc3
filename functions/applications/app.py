"""Applications: the membership form, the applicant's own application, the training file, HQ's list."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from nazer.access import Access, route
from nazer.domain.statuses import ApplicationStatus
from nazer.http import create_app, current_caller, header, json_response, resolve
from nazer.jalali import now_utc
from nazer.logic import applications
from nazer.models.applications import (
    ApplicationOut,
    ApplicationPage,
    ApplicationRequest,
    ApplicationView,
    TrainingMaterial,
)
from nazer.observability import logger, metrics, tracer

router = Router()


def _reply(model: type[Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"model": model}}}


@route(
    router,
    "POST",
    "/applications",
    Access.SIGNED_IN,
    summary="Submit the membership form (once per account and per national ID)",
    tags=["applications"],
    responses={201: _reply(ApplicationOut, "The stored application")},
)
def post_application(body: ApplicationRequest) -> Response[str]:
    reply = applications.submit_application(current_caller(router), body, now_utc(), header(router, "Idempotency-Key"))
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/applications/me",
    Access.SIGNED_IN,
    summary="The caller's own application, exam summary and inspector code",
    tags=["applications"],
    responses={200: _reply(ApplicationView, "The caller's application")},
)
def get_my_application() -> Response[str]:
    view = applications.my_application(current_caller(router), now_utc())
    return json_response(200, view.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "GET",
    "/training-material",
    Access.SIGNED_IN,
    summary="A presigned link (≤ 5 minutes) to the training file; the first moves SUBMITTED → TRAINING",
    tags=["applications"],
    responses={200: _reply(TrainingMaterial, "The link")},
)
def get_training_material() -> Response[str]:
    link = applications.training_link(current_caller(router), now_utc())
    return json_response(200, link.model_dump(by_alias=True, mode="json"))


@route(
    router,
    "GET",
    "/admin/applications",
    Access.HQ,
    summary="HQ: applications by status and/or province, newest first (EXAM_PASSED when unfiltered)",
    tags=["applications"],
    responses={200: _reply(ApplicationPage, "One page of applications")},
)
def list_applications(
    status: Annotated[ApplicationStatus | None, Query()] = None,
    province: Annotated[str | None, Query(pattern="^[0-9]{2}$")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response[str]:
    page = applications.list_applications(
        current_caller(router), status=status, province=province, limit=limit, cursor=cursor, now=now_utc()
    )
    return json_response(200, page.model_dump(by_alias=True, mode="json"))


app = create_app()
app.include_router(router)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
