"""A credential embedded at build time (`allow_embedded_credentials`) only ever goes to the
build-time endpoint. A launch URL that names another endpoint must bring its own `auth`;
without one, xAPI is off for that launch and the console says why. Two loopback LRS
stand-ins (different origins) record every request they get."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from builder.pipeline import build_packages
from tests.conftest import ROOT, edit, unzip
from tests.e2e.learner import SCORM2004, Learner, lms_config

EMBEDDED = "Basic ZW1iZWRkZWQ6c2VjcmV0"  # embedded:secret
OWN = "Basic bGF1bmNoOm93bg=="  # launch:own


@dataclass
class Recorder:
    """An LRS stand-in: answers CORS and statement POSTs, keeps (path, Authorization)."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    def serve(self) -> http.server.ThreadingHTTPServer:
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def cors(self, status: int, body: bytes = b"") -> None:
                self.send_response(status)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT")
                self.send_header("Access-Control-Allow-Headers",
                                 self.headers.get("Access-Control-Request-Headers") or "*")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_OPTIONS(self) -> None:
                self.cors(204)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen.append((self.path, self.headers.get("Authorization") or ""))
                ids = [s.get("id") for s in json.loads(body or b"[]")]
                self.cors(200, json.dumps(ids).encode())

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}/xapi/"
        return server


@pytest.fixture
def lrs_pair() -> Iterator[tuple[Recorder, Recorder]]:
    build, other = Recorder(), Recorder()
    servers = [build.serve(), other.serve()]
    yield build, other
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture
def embedded_site(case, tmp_path: Path, lrs_pair: tuple[Recorder, Recorder]) -> Iterator[tuple[str, bytes]]:
    """The sample course built with an embedded credential for the first stand-in, served
    with the scorm-again test LMS page."""
    build, _ = lrs_pair
    course = case()
    edit(course / "curriculum.yaml", "domains:",
         f"xapi:\n  endpoint: {build.url}\n  actor_home_page: https://lms.example.org\n"
         f"  auth: {EMBEDDED}\n  allow_embedded_credentials: true\ndomains:")
    packages = build_packages(course).packages
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(Path(__file__).parent / "lms.html", root / "lms.html")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    data = packages["modules/demo-m1-scorm2004.zip"]
    for rel, content in unzip(data).items():
        (root / "pkg" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "pkg" / rel).write_bytes(content)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw) -> None:
            super().__init__(*a, directory=str(root), **kw)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", unzip(data)["imsmanifest.xml"]
    server.shutdown()
    server.server_close()


def play(page, site: tuple[str, bytes], query: dict[str, str]) -> Learner:
    base, manifest = site
    sco = "/pkg/m1/index.html" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    learner = Learner(page, "m1")
    learner.launch(base, lms_config(SCORM2004, sco, manifest, "item-m1", {"learner_id": "cred-1"}))
    learner.sco.get_by_role("button", name="Next").click()
    return learner


def settle(page, learner: Learner) -> None:
    learner.sco.wait_for_function("() => { const r = CPOM.runtime.reporter;"
                                  " return !r || (r.sender.queue.length === 0 && !r.sender.busy); }")


def test_the_embedded_credential_goes_to_the_build_endpoint(page, embedded_site, lrs_pair) -> None:
    build, other = lrs_pair
    learner = play(page, embedded_site, {})
    settle(page, learner)
    assert build.seen and {auth for _, auth in build.seen} == {EMBEDDED}
    assert other.seen == []


def test_another_endpoint_without_auth_turns_xapi_off(page, embedded_site, lrs_pair) -> None:
    build, other = lrs_pair
    learner = play(page, embedded_site, {"endpoint": other.url})
    settle(page, learner)
    page.wait_for_timeout(300)
    assert other.seen == [] and build.seen == []
    assert learner.sco.evaluate("CPOM.runtime.reporter") is None
    assert any("xAPI off for this launch" in line for line in learner.sco.evaluate("CPOM.logs"))


def test_another_endpoint_with_its_own_auth_gets_only_that_auth(page, embedded_site, lrs_pair) -> None:
    build, other = lrs_pair
    learner = play(page, embedded_site, {"endpoint": other.url, "auth": OWN})
    settle(page, learner)
    assert other.seen and {auth for _, auth in other.seen} == {OWN}
    assert build.seen == []
