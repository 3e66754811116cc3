"""The emulated AWS: moto in server mode, executing one request at a time.

moto is not thread-safe: concurrent conditional transactions against a plain moto server let
duplicates through. One lock around its WSGI app models DynamoDB's per-request atomicity, while
requests from many clients still interleave between calls, as they do on AWS.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from infra.emulator_transactions import install as install_transactions


class QuietRequestHandler(MotoRequestHandler):
    """moto's handler without a log line per AWS call (the local stack makes thousands)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class SerializedApp:
    """A WSGI middleware that runs the wrapped app one request at a time, body included."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()


class Emulator:
    """A moto server on a thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5000):
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Emulator:
        install_transactions()  # per-item rollback: transactions cost the same on a full table
        app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self.host, self.port, app, threaded=True, request_handler=QuietRequestHandler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def main() -> None:
    """Run the emulator alone (``python -m infra.emulator --port 0``); prints its endpoint."""
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    emulator = Emulator(args.host, args.port).start()
    print(emulator.endpoint, flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    emulator.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
