"""Build the API's OpenAPI document from the code: every function's router in one resolver.

`python -m infra.openapi` writes it to the layer (served by GET /openapi.json) and docs/.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn, Server

from infra.lambda_worker import load_handler
from infra.template import api_routes
from nazer.http import create_app

ROOT = Path(__file__).resolve().parent.parent
LAYER_COPY = ROOT / "layers" / "common" / "nazer" / "data" / "openapi.json"
DOCS_COPY = ROOT / "docs" / "openapi.json"


def build_document() -> dict[str, Any]:
    combined = create_app()
    seen: set[str] = set()
    cache: dict[str, Any] = {}
    for route in api_routes():
        if route.code_uri in seen:
            continue
        seen.add(route.code_uri)
        handler = load_handler(route.code_uri, route.handler, cache)
        module = sys.modules[handler.__module__]
        combined.include_router(module.router)
    combined.configure_openapi(
        title="Nazer API",
        version="1.0.0",
        summary="Honorary inspectors of the CPPO National Inspectors Plan",
        description="Routes, shapes and problem types: see shared/spec/api.md. Errors are RFC 9457 problem+json.",
        servers=[Server(url="/")],
        security_schemes={"cognito": APIKey(name="Authorization", in_=APIKeyIn.header, description="Cognito ID token")},
        security=[{"cognito": []}],
    )
    document: dict[str, Any] = json.loads(combined.get_openapi_json_schema())
    return with_problems(document)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "stable problem slug, e.g. validation-error"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def with_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Every operation answers problem+json on error; public routes carry no security requirement."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.pop("ResponseValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    public = {(route.method.lower(), route.path) for route in api_routes() if not route.authorized}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                if response.get("content") == {}:
                    del response["content"]  # a reply without a body, such as 204
            responses["422"] = _problem_response("Validation error: each bad field is listed")
            if (method, path) in public:
                operation["security"] = []
            else:
                responses.setdefault("401", _problem_response("No token or a bad token"))
                responses.setdefault("403", _problem_response("Wrong role or another province"))
            responses["default"] = _problem_response("Any other error")
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the committed documents are stale")
    args = parser.parse_args(argv)
    text = render(build_document())
    stale = [path for path in (LAYER_COPY, DOCS_COPY) if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run: make openapi)", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
