"""A real LRS on loopback for tests and `make lrs`: npm `xapi-statements` (Learning Locker's
statements service) in memory, bound to 127.0.0.1, started and stopped by PID."""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "node_modules" / "xapi-statements" / "dist" / "index.js"
PRELOAD = Path(__file__).with_name("bind-loopback.js")
VALIDATOR = Path(__file__).with_name("validate.js")
BASIC = "Basic " + base64.b64encode(b"cpom-test:cpom-test-secret").decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The client xapi-statements expects from its client-info endpoint (AUTH_REPO=fetch): the
# shape of its own test client, with every scope.
CLIENT = {"_id": "58fe13e34effd3c26a7fc4b7", "title": "CPOM tests",
          "authority": {"objectType": "Agent", "mbox": "mailto:client@example.org"},
          "isTrusted": True, "lrs_id": "58fe13e34effd3c26a7fc4b7",
          "organisation": "58fe13e34effd3c26a7fc4b6", "scopes": ["all"]}


class _ClientInfo(http.server.BaseHTTPRequestHandler):
    """Answers the LRS's credential check: the client for the one right Basic header, 404
    (which the LRS turns into a refusal) for anything else."""

    def do_GET(self) -> None:
        ok = self.headers.get("Authorization") == BASIC
        body = json.dumps(CLIENT).encode() if ok else b"{}"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Lrs:
    """One xapi-statements process. Its store is in memory: a restart starts empty. It
    checks credentials for real: only `BASIC` is accepted."""

    def __init__(self, port: int | None = None) -> None:
        if not ENTRY.is_file():
            raise RuntimeError("node_modules/xapi-statements is missing: run `make setup` (npm ci)")
        self.port = port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="cpom-lrs-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.clients = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ClientInfo)
        threading.Thread(target=self.clients.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> Lrs:
        env = {**os.environ, "MODELS_REPO": "memory", "STORAGE_REPO": "local",
               "FS_LOCAL_STORAGE_DIR": str(self.workdir / "storage"), "AUTH_REPO": "fetch",
               "LL_CLIENT_INFO_ENDPOINT": f"http://127.0.0.1:{self.clients.server_address[1]}/client",
               "EVENTS_REPO": "test", "EXPRESS_PORT": str(self.port), "NODE_NO_WARNINGS": "1"}
        self.process = subprocess.Popen(["node", "-r", str(PRELOAD), str(ENTRY)], cwd=self.workdir,
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the LRS exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.endpoint + "about", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError("the LRS did not answer /about within 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # our own child, by PID
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        self.clients.shutdown()
        self.clients.server_close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def statements(self, **params: str) -> list[dict[str, Any]]:
        """Every stored statement (following `more`), oldest first."""
        query = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in {**params, "ascending": "true",
                                                                     "limit": "500"}.items())
        url: str | None = f"{self.endpoint}statements?{query}"
        out: list[dict[str, Any]] = []
        while url:
            req = urllib.request.Request(url, headers={"Authorization": BASIC,
                                                       "X-Experience-API-Version": "1.0.3"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                body = json.load(resp)
            out += body["statements"]
            more = body.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else None
        return out


def validate(statements: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """xapi-validation's warnings for each statement (an empty list when valid)."""
    done = subprocess.run(["node", str(VALIDATOR)], input=json.dumps(statements).encode(),
                          capture_output=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)

