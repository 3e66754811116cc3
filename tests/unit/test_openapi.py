"""The committed OpenAPI document: current with the code, valid OpenAPI 3, every route in it."""

from __future__ import annotations

import json

import schemathesis
from openapi_spec_validator import validate

from infra.openapi import DOCS_COPY, LAYER_COPY, build_document, render
from infra.template import api_routes


def test_the_committed_documents_are_what_the_code_generates():
    fresh = render(build_document())
    assert DOCS_COPY.read_text(encoding="utf-8") == fresh, "docs/openapi.json is stale: run `make openapi`"
    assert LAYER_COPY.read_text(encoding="utf-8") == fresh


def test_the_document_is_valid_openapi_3():
    document = json.loads(DOCS_COPY.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.")
    validate(document)
    schema = schemathesis.openapi.from_path(str(DOCS_COPY))
    operations = list(schema.get_all_operations())
    assert operations and all(result.ok() for result in operations)


def test_every_template_route_is_documented_with_problem_responses():
    document = json.loads(DOCS_COPY.read_text(encoding="utf-8"))
    for route in api_routes():
        if route.path == "/openapi.json":
            continue
        operation = document["paths"].get(route.path, {}).get(route.method.lower())
        assert operation is not None, f"{route.method} {route.path} is missing from the OpenAPI document"
        assert "application/problem+json" in operation["responses"]["default"]["content"]
        if route.authorized:
            assert {"401", "403"} <= set(operation["responses"]), route
        else:
            assert operation["security"] == [], route
