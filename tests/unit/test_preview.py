"""`make preview` serves files so that script in anything but the course's pages cannot run."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.pipeline import build_packages, write_packages
from builder.preview import make_server
from tests.conftest import CASES, unzip


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, bytes]]]:
    out = tmp_path_factory.mktemp("packages")
    packages = build_packages(CASES / "minimal", ["scorm2004"]).packages
    write_packages(out, packages)
    files = unzip(packages["demo-scorm2004.zip"])
    _, server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", files
    finally:
        server.shutdown()
        server.server_close()


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def test_an_svg_is_served_with_a_policy_that_forbids_script(preview) -> None:
    base, files = preview
    svg = next(name for name in files if name.endswith(".svg"))
    got = headers(f"{base}/pkg/{svg}")
    assert got["content-type"] == "image/svg+xml"
    assert got["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert got["x-content-type-options"] == "nosniff"


def test_the_course_page_may_run_its_runtime(preview) -> None:
    base, _ = preview
    got = headers(f"{base}/pkg/m1/index.html")
    assert got["content-type"] == "text/html; charset=utf-8"
    assert "content-security-policy" not in got
