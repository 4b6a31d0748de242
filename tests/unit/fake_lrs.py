"""A misbehaving LRS for the report's and verify's tests: a real HTTP server on 127.0.0.1,
started by each test (the `serve` fixture in conftest.py), answering the statements API with
whatever the test's `respond` does."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable

Respond = Callable[[http.server.BaseHTTPRequestHandler], None]


class Server:
    """An HTTP server in a thread that records each request and answers with `respond`."""

    def __init__(self, respond: Respond) -> None:
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization)
        self.stop = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append((self.path, self.headers.get("Authorization")))
                respond(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.endpoint = f"{self.root}/xAPI/"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler: http.server.BaseHTTPRequestHandler, body: object, status: int = 200,
         headers: dict[str, str] | None = None) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)
