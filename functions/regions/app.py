"""Regions: the 32 directorates and their counties, and the API's OpenAPI document."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.typing import LambdaContext

from nazer.access import Access, route
from nazer.http import create_app, json_response, resolve
from nazer.models.regions import RegionsResponse
from nazer.observability import logger, metrics, tracer
from nazer.regions import regions

router = Router()


@route(router, "GET", "/regions", Access.PUBLIC, summary="The 32 directorates with their counties", tags=["regions"])
def get_regions() -> RegionsResponse:
    return RegionsResponse.from_table(regions())


@route(
    router,
    "GET",
    "/openapi.json",
    Access.PUBLIC,
    summary="The OpenAPI 3 document of this API",
    tags=["meta"],
    include_in_schema=False,
)
def get_openapi() -> Response[str]:
    return json_response(200, _openapi_document())


@cache
def _openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resources.files("nazer.data").joinpath("openapi.json").read_text(encoding="utf-8")
    )
    return document


app = create_app()
app.include_router(router)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
