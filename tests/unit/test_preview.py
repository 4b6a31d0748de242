"""The preview serves files so that script in anything but the course's pages cannot run."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest

from builder.preview import PreviewServer
from tests.conftest import CASES


@pytest.fixture(scope="module")
def preview() -> Iterator[tuple[str, list[str]]]:
    server = PreviewServer(CASES / "minimal", port=0, watch=False).start()
    media = sorted(server.site.snapshot.media)
    try:
        yield server.url, media
    finally:
        server.close()


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def test_an_svg_is_served_with_a_policy_that_forbids_script(preview) -> None:
    base, media = preview
    svg = next(name for name in media if name.endswith(".svg"))
    got = headers(f"{base}/live/scorm2004/{svg}")
    assert got["content-type"] == "image/svg+xml"
    assert got["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert got["x-content-type-options"] == "nosniff"


def test_the_course_page_may_run_its_runtime(preview) -> None:
    base, _ = preview
    got = headers(f"{base}/live/scorm2004/m1/index.html")
    assert got["content-type"] == "text/html; charset=utf-8"
    assert "content-security-policy" not in got


def test_a_deeply_nested_statement_body_is_refused_with_400() -> None:
    from builder.preview_lrs import PREVIEW_AUTH, PreviewLrs

    reply = PreviewLrs().handle("POST", "statements", {}, b"[" * 100_000 + b"]" * 100_000,
                                {"authorization": PREVIEW_AUTH})
    assert reply.status == 400
