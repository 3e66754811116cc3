"""Invoke a function's handler in-process, the way the local gateway's workers do."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from infra.lambda_worker import LocalContext, load_handler

_HANDLERS: dict[str, Any] = {}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text) if self.text else None

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")


def invoke(function_dir: str, event: dict[str, Any]) -> Reply:
    """Run ``functions/<function_dir>/app.lambda_handler`` on an API event."""
    handler = load_handler(f"functions/{function_dir}", "app.lambda_handler", _HANDLERS)
    return reply_from(handler(event, LocalContext(function_name=function_dir)))


def reply_from(result: dict[str, Any]) -> Reply:
    """The proxy result of a handler as status, headers (single-valued) and body text."""
    headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name] = ", ".join(values)
    return Reply(int(result["statusCode"]), headers, result.get("body") or "")


def raw_handler(function_dir: str) -> Any:
    return load_handler(f"functions/{function_dir}", "app.lambda_handler", _HANDLERS)
