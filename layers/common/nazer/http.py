"""The shared REST resolver: problem+json for every error, the caller, language and pagination.

Every function builds its resolver with :func:`create_app`, so errors map to HTTP in one place.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
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
from nazer.text import to_ascii_digits

PROBLEM_JSON = "application/problem+json"
_LOCATIONS = {"body", "query", "path", "header", "headers", "cookie"}
_LANGUAGE = re.compile(r"\s*([A-Za-z]{1,8})")
_PATH_TEMPLATE = re.compile(r"\{(\w+)\}")
_PATH_SAFE = "-._~()'!*:@,;=+&$"  # RFC 3986 unreserved and sub-delims: what the resolver's routes match
# Longer than any id, code or period we issue. Such a value names nothing, and as part of a
# DynamoDB key (at most 2048 bytes for a partition key, 1024 for a sort key) it would be refused
# with a ValidationException — a 500 in AWS that the emulator, which checks key sizes only on
# writes, never shows.
MAX_PATH_PARAMETER = 128

NOT_JSON = FieldError(
    "body",
    "the body must be JSON sent with Content-Type: application/json",
    "بدنهٔ درخواست باید JSON و با Content-Type: application/json فرستاده شود",
)
NOT_UTF8 = FieldError("body", "the body is not UTF-8 text", "بدنهٔ درخواست متن UTF-8 نیست")
BAD_JSON = FieldError("body", "JSON decode error", persian_message("json_invalid"))
NOT_OBJECT = FieldError("body", "the body must be a JSON object", persian_message("model_type"))


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

    @app.exception_handler(RequestUnsupportedContentType)
    def _not_json(_: RequestUnsupportedContentType) -> Response[str]:
        return problem("validation-error", persian=persian(), detail=_summary([NOT_JSON]), errors=[NOT_JSON])

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


def canonical_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event with the digits of its path and query parameters in ASCII.

    Every input is normalised before it is validated: bodies field by field in their models, and
    parameters (codes, ids, periods, numbers, enums) here, so ``/provinces/۲۳`` is
    ``/provinces/23`` for the access check and the route alike. The path is rebuilt from the
    resource template, so the resolver's route arguments carry the same values as ``pathParameters``.
    """
    result = dict(event)
    path_parameters = event.get("pathParameters")
    if path_parameters:
        normalised = {str(name): to_ascii_digits(str(value)) for name, value in path_parameters.items()}
        result["pathParameters"] = normalised
        resource = str(event.get("resource") or "")
        names = _PATH_TEMPLATE.findall(resource)
        if names and all(name in normalised for name in names) and "+}" not in resource:
            result["path"] = _PATH_TEMPLATE.sub(lambda m: quote(normalised[m.group(1)], safe=_PATH_SAFE), resource)
    query = event.get("queryStringParameters")
    if query:
        result["queryStringParameters"] = {str(k): to_ascii_digits(str(v)) for k, v in query.items()}
    multi_query = event.get("multiValueQueryStringParameters")
    if multi_query:
        result["multiValueQueryStringParameters"] = {
            str(k): [to_ascii_digits(str(v)) for v in values] for k, values in multi_query.items()
        }
    return result


def readable_body(event: dict[str, Any]) -> FieldError | None:
    """Why the request body cannot be read as a JSON object (None when it can, or when there is none).

    A body, when sent, must be a UTF-8 JSON object with ``Content-Type: application/json`` (or
    none): the resolver would otherwise parse form data, or read ``[{...}]`` as its one element.
    A readable base64 body is decoded in place, so the resolver reads the text.
    """
    body = event.get("body")
    if not body:
        return None
    content_type = next((str(v) for k, v in (event.get("headers") or {}).items() if k.lower() == "content-type"), "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type != "application/json":
        return NOT_JSON
    text = str(body)
    if event.get("isBase64Encoded"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return NOT_UTF8
        event["body"], event["isBase64Encoded"] = text, False
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):  # bad syntax, nesting too deep, an integer too long to convert
        return BAD_JSON
    return None if isinstance(parsed, dict) else NOT_OBJECT


def resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Normalise the parameters, authorize the route (declared with :func:`nazer.access.route`),
    answer 404 for a path parameter too long to name anything, check that the body is a JSON
    object, then resolve the request.

    The single entry of every API handler: it also hands the Lambda context to the idempotency layer.
    """
    from nazer.access import authorize_event

    idempotency.register_context(context)
    event = canonical_event(event)
    persian = wants_persian(event.get("headers"))
    denied = authorize_event(event)
    if denied is not None:
        refused = problem(
            denied.slug, persian=persian, detail=denied.detail, detail_fa=denied.detail_fa, errors=denied.errors
        )
        return _proxy_result(refused)
    if any(len(value) > MAX_PATH_PARAMETER for value in (event.get("pathParameters") or {}).values()):
        return _proxy_result(
            problem("not-found", persian=persian, detail="No such resource", detail_fa="چنین منبعی وجود ندارد")
        )
    unreadable = readable_body(event)
    if unreadable is not None:
        errors = [unreadable]
        return _proxy_result(problem("validation-error", persian=persian, detail=_summary(errors), errors=errors))
    return app.resolve(event, context)


def _proxy_result(response: Response[str]) -> dict[str, Any]:
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
