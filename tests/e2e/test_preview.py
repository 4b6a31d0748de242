"""The live preview: a save reloads the open module on the same screen, a content error is
shown in the page with path:line and clears when fixed, every format runs, and the panel
lists what the LMS or LRS records."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.preview import PreviewServer
from tests.conftest import CASES

MODULE = "modules/m1-storage.md"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    content = tmp_path / "content"
    shutil.copytree(CASES / "minimal", content)
    server = PreviewServer(content, port=0).start()
    yield server, content
    server.close()


def screen_title(frame) -> str:
    return frame.locator("main h2:visible").first.inner_text()


def open_player(page, server: PreviewServer, fmt: str, module: str = "m1"):
    page.goto(f"{server.url}/player.html?format={fmt}&module={module}")
    frame = page.frame_locator("#sco")
    frame.locator("main h2:visible").first.wait_for()
    return frame


def test_a_save_reloads_the_module_on_the_screen_the_author_was_on(page, preview) -> None:
    server, content = preview
    frame = open_player(page, server, "scorm2004")
    frame.get_by_role("button", name="Next").click()
    second = screen_title(frame)
    assert second != "Why temperature matters"  # moved on from the first screen
    source = content / MODULE
    source.write_text(source.read_text(encoding="utf-8").replace(
        "## When it goes wrong", "## When it goes wrong (revised)"), encoding="utf-8")
    frame.locator("main h2:visible", has_text="(revised)").wait_for(timeout=15000)
    assert page.evaluate("window.cpomPreview.launches") == 2
    assert screen_title(frame) == "When it goes wrong (revised)"


def test_a_content_error_is_shown_with_its_line_and_clears_when_fixed(page, preview) -> None:
    server, content = preview
    open_player(page, server, "scorm2004")
    source = content / MODULE
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("type: choice", "type: essay", 1), encoding="utf-8")
    problems = page.get_by_role("alert")
    problems.wait_for(state="visible", timeout=15000)
    assert ("modules/m1-storage.md:20: error: unknown question type 'essay'"
            in problems.inner_text())
    assert page.locator("#sco").is_hidden()
    source.write_text(good, encoding="utf-8")
    problems.wait_for(state="hidden", timeout=15000)
    assert page.locator("#sco").is_visible()


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_the_panel_lists_what_a_scorm_lms_records(page, preview, fmt: str) -> None:
    server, _ = preview
    frame = open_player(page, server, fmt)
    frame.get_by_role("button", name="Next").click()
    location = "cmi.core.lesson_location" if fmt == "scorm12" else "cmi.location"
    page.locator("#model tr", has_text=location).wait_for(timeout=10000)
    assert "1" in page.locator("#model tr", has_text=location).inner_text()


@pytest.mark.parametrize("fmt", ["cmi5", "xapi"])
def test_the_panel_lists_what_the_lrs_records(page, preview, fmt: str) -> None:
    server, _ = preview
    open_player(page, server, fmt)
    page.locator("#model tr", has_text="initialized").first.wait_for(timeout=10000)
    statements = server.lrs.recorded()
    assert statements and statements[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/initialized"


def test_reset_learner_starts_over(page, preview) -> None:
    server, _ = preview
    frame = open_player(page, server, "scorm2004")
    first = screen_title(frame)
    frame.get_by_role("button", name="Next").click()
    assert screen_title(frame) != first
    page.get_by_role("button", name="Reset learner").click()
    page.wait_for_function("window.cpomPreview.launches === 2")
    frame.locator("main h2:visible", has_text=first).wait_for(timeout=10000)
