"""The shared REST resolver: problem+json for every error, the caller, language and pagination.

Every function builds its resolver with :func:`create_app`, so errors map to HTTP in one place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from botocore.exceptions import ClientError
from pydantic import ValidationError

from nazer import idempotency
from nazer.auth import Caller, caller_from_claims, claims_from_event
from nazer.errors import PROBLEM_TYPES, DomainError, FieldError
from nazer.messages import persian_message
from nazer.observability import logger

PROBLEM_JSON = "application/problem+json"
_LOCATIONS = {"body", "query", "path", "header", "headers", "cookie"}
_LANGUAGE = re.compile(r"\s*([A-Za-z]{1,8})")


def dumps(value: Any) -> str:
    """JSON as UTF-8 text (Persian stays readable), dates via ``str``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def wants_persian(headers: Mapping[str, str] | None) -> bool:
    """True when the first language of ``Accept-Language`` is Persian."""
    for name, value in (headers or {}).items():
        if name.lower() == "accept-language" and value:
            match = _LANGUAGE.match(value)
            return bool(match and match.group(1).lower() == "fa")
    return False


def problem(
    slug: str,
    *,
    persian: bool,
    detail: str = "",
    detail_fa: str | None = None,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """An RFC 9457 problem response."""
    status, title_en, title_fa = PROBLEM_TYPES[slug]
    body = {
        "type": slug,
        "title": title_fa if persian else title_en,
        "status": status,
        "detail": (detail_fa or title_fa) if persian else (detail or title_en),
        "errors": [
            {"field": err.field, "message": (err.message_fa or err.message) if persian else err.message}
            for err in errors or []
        ],
    }
    return Response(status_code=status, content_type=PROBLEM_JSON, body=dumps(body), headers=dict(headers or {}))


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "business", "countyCode")`` → ``business.countyCode``; a query/path loc → the name."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_errors(raw_errors: list[Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    for err in raw_errors:
        error_type = str(err.get("type", "value_error"))
        message = str(err.get("msg") or error_type).removeprefix("Value error, ")
        loc = err.get("loc") or ()
        if error_type == "json_invalid":
            loc = ("body",)
        errors.append(FieldError(field_path(loc), message, persian_message(error_type)))
    return errors


def create_app() -> APIGatewayRestResolver:
    """A resolver with request validation, OpenAPI and problem+json error mapping."""
    app = APIGatewayRestResolver(enable_validation=True, serializer=dumps)

    def persian() -> bool:
        return wants_persian(app.current_event.headers)

    @app.exception_handler(RequestValidationError)
    def _request_invalid(exc: RequestValidationError) -> Response[str]:
        errors = validation_errors(list(exc.errors()))
        return problem("validation-error", persian=persian(), detail=_summary(errors), errors=errors)

    @app.exception_handler(ValidationError)
    def _model_invalid(exc: ValidationError) -> Response[str]:
        errors = validation_errors([dict(err) for err in exc.errors()])
        return problem("validation-error", persian=persian(), detail=_summary(errors), errors=errors)

    @app.exception_handler(DomainError)
    def _domain(exc: DomainError) -> Response[str]:
        return problem(
            exc.slug,
            persian=persian(),
            detail=exc.detail,
            detail_fa=exc.detail_fa,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(IdempotencyAlreadyInProgressError)
    def _in_progress(_: Exception) -> Response[str]:
        return problem(
            "conflict",
            persian=persian(),
            detail="A request with this Idempotency-Key is still in progress",
            detail_fa="درخواستی با همین کلید یکتایی هنوز در جریان است",
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(IdempotencyValidationError)
    def _key_reused(_: Exception) -> Response[str]:
        return problem(
            "validation-error",
            persian=persian(),
            detail="This Idempotency-Key was used with a different body",
            detail_fa="این کلید یکتایی پیش‌تر با بدنهٔ دیگری به کار رفته است",
            errors=[
                FieldError("Idempotency-Key", "already used with a different body", "با بدنهٔ دیگری به کار رفته است")
            ],
        )

    @app.exception_handler(ClientError)
    def _aws_refused(exc: ClientError) -> Response[str]:
        if not is_transient(exc):
            return internal_error(exc)
        # Throttled or failing after the SDK's retries: nothing was done, the client should come back.
        logger.warning("AWS call refused", extra={"error_code": aws_error_code(exc), "operation": exc.operation_name})
        return problem(
            "service-unavailable",
            persian=persian(),
            detail="A service we depend on is busy; retry shortly",
            detail_fa="یکی از سرویس‌های سامانه مشغول است؛ کمی بعد دوباره تلاش کنید",
            headers={"Retry-After": "1"},
        )

    @app.not_found
    def _not_found(_: NotFoundError) -> Response[str]:
        return problem("not-found", persian=persian(), detail="No such route", detail_fa="چنین مسیری وجود ندارد")

    def internal_error(exc: Exception) -> Response[str]:
        # The detail never carries the exception text: it may hold internals or personal data.
        logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
        return problem("internal-error", persian=persian(), detail="An unexpected error occurred")

    app.exception_handler(Exception)(internal_error)

    return app


# Error codes of AWS refusing a request for now (throttling, overload, internal failure).
TRANSIENT_AWS_ERRORS = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "TransactionInProgressException",
        "InternalServerError",
        "InternalError",
        "InternalErrorException",
        "ServiceUnavailable",
    }
)


def aws_error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_transient(error: ClientError) -> bool:
    """AWS refused the request for now: throttled, overloaded or failing (5xx) — worth retrying."""
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return aws_error_code(error) in TRANSIENT_AWS_ERRORS or status >= 500


def _summary(errors: list[FieldError]) -> str:
    return "; ".join(f"{err.field}: {err.message}" for err in errors[:5]) or "Invalid request"


def current_caller(app: APIGatewayRestResolver) -> Caller:
    """The authenticated caller of the current request (401 when the event carries no claims)."""
    return caller_from_claims(claims_from_event(app.current_event.raw_event))


def header(app: APIGatewayRestResolver, name: str) -> str | None:
    """A request header, looked up case-insensitively."""
    wanted = name.lower()
    for key, value in (app.current_event.headers or {}).items():
        if key.lower() == wanted:
            return value
    return None


def resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Authorize the route (declared with :func:`nazer.access.route`), then resolve the request.

    The single entry of every API handler: it also hands the Lambda context to the idempotency layer.
    """
    from nazer.access import authorize_event

    idempotency.register_context(context)
    denied = authorize_event(event)
    if denied is None:
        return app.resolve(event, context)
    response = problem(
        denied.slug,
        persian=wants_persian(event.get("headers")),
        detail=denied.detail,
        detail_fa=denied.detail_fa,
        errors=denied.errors,
    )
    headers = {"Content-Type": PROBLEM_JSON}
    return {
        "statusCode": response.status_code,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "body": response.body,
        "isBase64Encoded": False,
    }


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=dumps(body), headers=dict(headers or {}))
