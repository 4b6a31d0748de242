"""The preview serves files so that script in anything but the course's pages cannot run."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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


def test_a_runtime_file_is_revalidated_and_not_sent_again(preview) -> None:
    base, _ = preview
    url = f"{base}/live/scorm2004/shared/cpom-runtime.js"
    with urllib.request.urlopen(url, timeout=10) as response:
        body, tag = response.read(), response.headers["ETag"]
        assert response.headers["Cache-Control"] == "no-cache"
    assert body and tag
    request = urllib.request.Request(url, headers={"If-None-Match": tag})
    with pytest.raises(urllib.error.HTTPError) as reply:  # urllib treats 304 as an error
        urllib.request.urlopen(request, timeout=10)
    assert reply.value.code == 304 and reply.value.read() == b""
    assert reply.value.headers["ETag"] == tag


def test_a_module_page_is_never_kept_by_the_browser(preview) -> None:
    base, _ = preview
    got = headers(f"{base}/live/scorm2004/m1/index.html")
    assert got["cache-control"] == "no-store" and "etag" not in got


def test_a_deeply_nested_statement_body_is_refused_with_400() -> None:
    from builder.preview_lrs import PREVIEW_AUTH, PreviewLrs

    reply = PreviewLrs().handle("POST", "statements", {}, b"[" * 100_000 + b"]" * 100_000,
                                {"authorization": PREVIEW_AUTH})
    assert reply.status == 400


# --- re-parsing a saved module (builder/preview_parse.py, builder/preview_site.py) ----------

M1 = "modules/m1-storage.md"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CASES / "minimal", content)
    return content


def m1_ref(content: Path):
    from builder.load import load_curriculum

    cur, _ = load_curriculum(content)
    assert cur is not None
    return next(m for m in cur.modules if m.source == M1)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_reparse_converts_only_the_screen_that_changed(course: Path) -> None:
    from builder.preview_parse import ScreenCache

    ref, source, cache = m1_ref(course), (course / M1).resolve(), ScreenCache()
    cache.parse(ref, source, course)
    assert cache.converted == 2  # both screens, the first time
    edit(source, "call the manufacturer.", "call the manufacturer today.")
    module, _ = cache.parse(ref, source, course)
    assert cache.converted == 3
    assert module is not None and "manufacturer today" in module.screens[1].html


def test_a_reparse_gives_what_a_fresh_parse_gives_after_lines_move(course: Path) -> None:
    from builder.parse import parse_module
    from builder.preview_parse import ScreenCache

    ref, source, cache = m1_ref(course), (course / M1).resolve(), ScreenCache()
    # A problem on the second screen, whose line number moves when the first one grows.
    edit(source, "goal: m1-g2", "goal: m1-g9")
    cache.parse(ref, source, course)
    edit(source, "log it twice a day.", "log it twice a day.\nAdd a line.")
    cached = cache.parse(ref, source, course)
    fresh = parse_module(ref, source, course)
    assert cached == fresh
    line = source.read_text(encoding="utf-8").split("\n").index("goal: m1-g9") + 1
    assert any("m1-g9" in d.message and d.line == line for d in cached[1])


def test_a_module_save_may_be_updated_in_place_and_a_curriculum_save_may_not(course: Path) -> None:
    from builder.preview_site import PreviewSite

    site = PreviewSite(course)
    edit(course / M1, "log it twice a day.", "log it three times a day.")
    assert site.update({course / M1}).swappable
    edit(course / "curriculum.yaml", "title: Demo & Test Course", "title: Demo Course")
    assert not site.update({course / "curriculum.yaml"}).swappable
