"""A Lambda execution environment for the local gateway: one process, handlers loaded on demand.

Like Lambda, each worker process serves one invocation at a time, and module state (clients,
resolvers, Powertools singletons) is never shared between concurrent invocations.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import traceback
import uuid
import warnings
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LocalContext:
    """The parts of the Lambda context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 29
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    function_version: str = "$LATEST"
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


def load_handler(code_uri: str, handler: str, cache: dict[str, Any]) -> Any:
    """Import ``<code_uri>/<module>.py`` under a unique name and return its handler function."""
    key = f"{code_uri}:{handler}"
    if key not in cache:
        module_name, function_name = handler.rsplit(".", 1)
        path = ROOT / code_uri / f"{module_name.replace('.', '/')}.py"
        unique = "nazer_fn_" + code_uri.strip("/").replace("/", "_") + "_" + module_name.replace(".", "_")
        spec = importlib.util.spec_from_file_location(unique, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module: ModuleType = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
        cache[key] = getattr(module, function_name)
    return cache[key]


def invoke(code_uri: str, handler: str, function_name: str, event: dict[str, Any], cache: dict[str, Any]) -> Any:
    function = load_handler(code_uri, handler, cache)
    os.environ["AWS_LAMBDA_FUNCTION_NAME"] = function_name
    return function(event, LocalContext(function_name=function_name))


def worker_main(connection: Connection, environment: dict[str, str]) -> None:
    """Serve invocations sent over ``connection`` until it closes."""
    os.environ.update(environment)
    # Routes that emit no business metric are normal; Lambda would not print this either.
    warnings.filterwarnings("ignore", "No application metrics to publish")
    for path in (str(ROOT / "layers" / "common"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    cache: dict[str, Any] = {}
    connection.send({"ready": True})
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):  # the gateway closed the pipe, or Ctrl-C
            return
        try:
            result = invoke(request["codeUri"], request["handler"], request["function"], request["event"], cache)
            connection.send({"ok": True, "result": result})
        except Exception:
            traceback.print_exc()
            connection.send({"ok": False, "error": traceback.format_exc(limit=5)})
