"""Run a WSGI simulator of a peer as a real HTTP server on a free loopback port.

    with SimulatorServer(SmsSimulator()) as server:      # starts a thread
        settings.SMS_GATEWAY_URL = server.url              # e.g. http://127.0.0.1:40123
        ...

Used by the tests (a real socket, real HTTP, no mocks), by `manage.py run_<peer>_simulator`
and by any other area's simulator.
"""
from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — keep test output clean
        pass


class SimulatorServer:
    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, quiet: bool = True):
        self.app = app
        self._server = make_server(host, port, app, server_class=_ThreadingWSGIServer,
                                   handler_class=_QuietHandler if quiet else WSGIRequestHandler)
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "SimulatorServer":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"simulator:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the current thread (for management commands)."""
        self._server.serve_forever(poll_interval=0.5)

    def close(self) -> None:
        self._server.server_close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "SimulatorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
