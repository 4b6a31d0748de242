"""Browser-test fixtures: a loopback web server over the built packages, Chromium driven
by Playwright, and a test LMS page backed by scorm-again."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, unzip
from tests.lrs.faults import Fault
from tests.lrs.lms import LmsState, make_handler
from tests.lrs.server import Lrs

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, course_packages: dict[str, bytes]) -> Path:
    """A folder served over HTTP: the test LMS page, scorm-again, every package unzipped."""
    root = tmp_path_factory.mktemp("site")
    shutil.copy(Path(__file__).parent / "lms.html", root / "lms.html")
    modules = ROOT / "node_modules"
    if not (modules / "scorm-again").is_dir():
        pytest.fail("node_modules/scorm-again is missing: run `make setup` (npm ci)")
    (root / "node_modules").symlink_to(modules)
    for name, data in course_packages.items():
        if not name.endswith(".zip"):
            (root / name).write_bytes(data)
            continue
        target = root / "pkg" / Path(name).stem  # modules/ and paths/ zips have unique stems
        for rel, content in unzip(data).items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    return root


@pytest.fixture(scope="session")
def lrs() -> Iterator[Lrs]:
    """The real LRS, started once per session on loopback."""
    server = Lrs().start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def lms_state(lrs: Lrs) -> LmsState:
    return LmsState(lrs_endpoint=lrs.endpoint)


@pytest.fixture
def faults(lms_state: LmsState) -> Iterator[Callable[..., Fault]]:
    """`faults(path=..., ...)` makes the test LMS misbehave until the test ends."""
    added: list[Fault] = []

    def add(**kw: Any) -> Fault:
        fault = Fault(**kw)
        with lms_state.lock:
            lms_state.faults.append(fault)
        added.append(fault)
        return fault

    yield add
    with lms_state.lock:
        for fault in added:
            lms_state.faults.remove(fault)


@pytest.fixture(scope="session")
def base_url(site: Path, lms_state: LmsState) -> Iterator[str]:
    """One loopback origin: the packages, the test LMS pages, the cmi5 LMS side and the
    xAPI pass-through to the real LRS."""
    handler = make_handler(lms_state, site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def other_origin(site: Path, lms_state: LmsState) -> Iterator[str]:
    """The same LMS on a second port: another origin than the content's, as a real LRS is,
    so the browser applies CORS (preflights) to what the content sends it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(lms_state, site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
