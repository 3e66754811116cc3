"""The local API gateway: routes from template.yaml, Cognito ID tokens checked against the pool's
JWKS, the same proxy event as API Gateway's REST Cognito authorizer, handlers run in workers."""

from __future__ import annotations

import base64
import json
import multiprocessing
import queue
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt

from infra.lambda_worker import worker_main
from infra.template import Route, api_routes, template

MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit


def gateway_response(kind: str) -> tuple[int, str]:
    """Status and body of a gateway response as template.yaml declares it for the API."""
    api = next(res for res in template()["Resources"].values() if res["Type"] == "AWS::Serverless::Api")
    spec = api["Properties"]["GatewayResponses"][kind]
    body = spec["ResponseTemplates"]["application/json"]
    return int(json.loads(body)["status"]), body


class TokenVerifier:
    """Verifies Cognito ID tokens: RS256 against the pool's JWKS, issuer, audience, token use."""

    def __init__(self, endpoint: str, region: str, user_pool_id: str, client_id: str):
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.client_id = client_id
        self.jwks = jwt.PyJWKClient(f"{endpoint}/{user_pool_id}/.well-known/jwks.json", cache_keys=True)

    def claims(self, authorization: str | None) -> dict[str, Any] | None:
        if not authorization:
            return None
        token = authorization.removeprefix("Bearer ").strip()
        try:
            key = self.jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "token_use"]},
            )
        except (jwt.PyJWTError, ValueError):
            return None
        return claims if claims.get("token_use") == "id" else None


def authorizer_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as the REST API Cognito authorizer hands them over: every value a string."""
    result: dict[str, str] = {}
    for name, value in claims.items():
        if isinstance(value, list):
            result[name] = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            result[name] = str(value).lower()
        elif name in {"exp", "iat", "auth_time"} and isinstance(value, int | float):
            result[name] = datetime.fromtimestamp(value, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
        else:
            result[name] = str(value)
    return result


class WorkerPool:
    """Lambda-like execution environments: a free worker per invocation, new ones on demand."""

    def __init__(self, environment: dict[str, str], max_workers: int = 16):
        self.environment = environment
        self.max_workers = max_workers
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._count = 0
        self._lock = threading.Lock()
        self._all: list[Any] = []
        self._context = multiprocessing.get_context("spawn")

    def _spawn(self) -> Any:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=worker_main, args=(child, self.environment), daemon=True)
        process.start()
        child.close()
        parent.recv()  # ready
        worker = (process, parent)
        self._all.append(worker)
        return worker

    def warm(self, count: int) -> None:
        for _ in range(count):
            with self._lock:
                self._count += 1
            self._idle.put(self._spawn())

    def _acquire(self) -> Any:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._count < self.max_workers
            if grow:
                self._count += 1
        if grow:
            return self._spawn()
        return self._idle.get()

    def invoke(self, route: Route, event: dict[str, Any]) -> dict[str, Any] | None:
        worker = self._acquire()
        _, connection = worker
        try:
            connection.send(
                {"codeUri": route.code_uri, "handler": route.handler, "function": route.function, "event": event}
            )
            reply = connection.recv()
        except (EOFError, OSError):
            with self._lock:
                self._count -= 1
            return None
        self._idle.put(worker)
        return reply["result"] if reply.get("ok") else None

    def close(self) -> None:
        for process, connection in self._all:
            connection.close()
            process.terminate()
        for process, _ in self._all:
            process.join(timeout=5)


class Gateway:
    """A threaded HTTP server in front of the worker pool."""

    def __init__(self, host: str, port: int, verifier: TokenVerifier, pool: WorkerPool, stage: str = "local"):
        self.routes = api_routes()
        self.verifier = verifier
        self.pool = pool
        self.stage = stage
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                status, headers, body = gateway.handle(self.command, self.path, dict(self.headers.items()), self)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve  # noqa: N815

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> Gateway:
        self._thread = threading.Thread(target=self.server.serve_forever, name="gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _problem(kind: str) -> tuple[int, dict[str, str], bytes]:
        status, body = gateway_response(kind)
        return status, {"Content-Type": "application/problem+json"}, body.encode()

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    # API Gateway hands path parameters over percent-decoded (the path itself stays raw).
                    return route, {name: unquote(value) for name, value in found.groupdict().items()}
        return None

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], request: BaseHTTPRequestHandler
    ) -> tuple[int, dict[str, str], bytes]:
        length = int(headers.get("Content-Length") or headers.get("content-length") or 0)
        if length > MAX_BODY:
            request.close_connection = True
            return self._problem("REQUEST_TOO_LARGE")
        raw_body = request.rfile.read(length) if length else b""
        url = urlsplit(raw_path)
        matched = self.match(method, url.path)
        if matched is None:
            return self._problem("MISSING_AUTHENTICATION_TOKEN")
        route, path_parameters = matched
        claims: dict[str, Any] | None = None
        if route.authorized:
            authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
            claims = self.verifier.claims(authorization)
            if claims is None:
                return self._problem("UNAUTHORIZED")
        event = self.event(method, url.path, url.query, headers, raw_body, route, path_parameters, claims)
        result = self.pool.invoke(route, event)
        if result is None:
            return self._problem("DEFAULT_5XX")
        return self.reply(result)

    def event(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        raw_body: bytes,
        route: Route,
        path_parameters: dict[str, str],
        claims: dict[str, Any] | None,
    ) -> dict[str, Any]:
        pairs = parse_qsl(query, keep_blank_values=True)
        multi_query: dict[str, list[str]] = {}
        for name, value in pairs:
            multi_query.setdefault(name, []).append(value)
        try:
            body: str | None = raw_body.decode("utf-8") if raw_body else None
            is_base64 = False
        except UnicodeDecodeError:
            body, is_base64 = base64.b64encode(raw_body).decode(), True
        request_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        context: dict[str, Any] = {
            "resourcePath": route.path,
            "httpMethod": method,
            "path": f"/{self.stage}{path}",
            "stage": self.stage,
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(time.time() * 1000),
            "accountId": "123456789012",
            "apiId": "local",
            "protocol": "HTTP/1.1",
            "domainName": "127.0.0.1",
            "identity": {"sourceIp": "127.0.0.1", "userAgent": headers.get("User-Agent", "")},
        }
        if claims is not None:
            context["authorizer"] = {"claims": authorizer_claims(claims)}
        return {
            "resource": route.path,
            "path": path,
            "httpMethod": method,
            "headers": headers,
            "multiValueHeaders": {name: [value] for name, value in headers.items()},
            "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": context,
            "body": body,
            "isBase64Encoded": is_base64,
        }

    @staticmethod
    def reply(result: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            if values:
                headers[name] = ", ".join(str(v) for v in values)
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
        return int(result.get("statusCode", 200)), headers, raw
