"""API Gateway REST proxy events, as the Cognito authorizer builds them, and sample events."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"


@cache
def _sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def load_event(name: str) -> dict[str, Any]:
    """A fresh copy of ``events/<name>.json``."""
    return copy.deepcopy(_sample(name))


def claims(
    role: str | None = None,
    *,
    sub: str | None = None,
    province: str | None = None,
    username: str | None = None,
    groups_format: str = "rest",
) -> dict[str, str]:
    """Authorizer claims of a user; ``role`` None is a plain signed-in user (an applicant)."""
    subject = sub or str(uuid.uuid4())
    groups = [role] if role else []
    if groups_format == "rest":
        group_claim = ",".join(groups)
    elif groups_format == "http":
        group_claim = "[" + " ".join(groups) + "]"
    else:
        group_claim = json.dumps(groups)
    result = {
        "sub": subject,
        "cognito:username": username or f"+98912{subject.replace('-', '')[:7]}",
        "token_use": "id",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local",
    }
    if groups:
        result["cognito:groups"] = group_claim
    if province:
        result["custom:province"] = province
    return result


def api_event(
    method: str,
    path: str,
    *,
    resource: str | None = None,
    body: Any = None,
    raw_body: str | None = None,
    query: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    caller: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API proxy event; ``caller`` are authorizer claims (None: no authorizer)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    context: dict[str, Any] = {
        "resourcePath": resource or path,
        "httpMethod": method,
        "path": f"/test{path}",
        "stage": "test",
        "requestId": str(uuid.uuid4()),
        "identity": {"sourceIp": "127.0.0.1"},
    }
    if caller is not None:
        context["authorizer"] = {"claims": caller}
    if raw_body is None and body is not None:
        raw_body = json.dumps(body, ensure_ascii=False)
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": context,
        "body": raw_body,
        "isBase64Encoded": False,
    }
