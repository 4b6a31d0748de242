"""The live preview: a save updates the open module in place on the same screen (a change
beyond the module reloads it), a content error is shown in the page with path:line and
clears when fixed, every format runs, and the panel lists what the LMS or LRS records."""

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
    # The runtime has started (its LMS handshake is over): a save now finds it running.
    frame.locator("html[data-cpom-ready]").wait_for(state="attached")
    return frame


def revise(content: Path, old: str, new: str, source: str = MODULE) -> None:
    path = content / source
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def mark_document(page) -> None:
    """Tag the module's document: a reload replaces it, an update in place keeps it."""
    page.evaluate("document.getElementById('sco').contentWindow.cpomKept = true")


def same_document(page) -> bool:
    return bool(page.evaluate("document.getElementById('sco').contentWindow.cpomKept === true"))


def test_a_save_updates_the_module_in_place_on_the_screen_the_author_was_on(page, preview) -> None:
    server, content = preview
    frame = open_player(page, server, "scorm2004")
    frame.get_by_role("button", name="Next").click()
    second = screen_title(frame)
    assert second != "Why temperature matters"  # moved on from the first screen
    mark_document(page)
    revise(content, "## When it goes wrong", "## When it goes wrong (revised)")
    frame.locator("main h2:visible", has_text="(revised)").wait_for(timeout=15000)
    assert screen_title(frame) == "When it goes wrong (revised)"
    assert page.evaluate("[window.cpomPreview.launches, window.cpomPreview.swaps]") == [1, 1]
    assert same_document(page)
    assert page.js_errors == []


def test_a_curriculum_change_reloads_the_module_on_the_screen_the_author_was_on(page, preview) -> None:
    server, content = preview
    frame = open_player(page, server, "scorm2004")
    frame.get_by_role("button", name="Next").click()
    mark_document(page)
    revise(content, "title: Demo & Test Course", "title: Demo & Test Course (revised)",
           "curriculum.yaml")
    frame.locator(".course-title", has_text="(revised)").wait_for(timeout=15000)
    page.wait_for_function("window.cpomPreview.launches === 2")
    frame.locator("main h2:visible", has_text="When it goes wrong").wait_for(timeout=10000)
    assert not same_document(page)


def test_an_update_in_place_keeps_the_lms_session(page, preview) -> None:
    server, content = preview
    frame = open_player(page, server, "scorm2004")
    frame.get_by_role("button", name="Next").click()
    page.locator("#calls li", has_text="SetValue cmi.location = 1").wait_for(timeout=10000)
    commits = "[...document.querySelectorAll('#calls li')].filter(li => li.textContent === 'Commit').length"
    before = page.evaluate(commits)
    revise(content, "## When it goes wrong", "## When it goes wrong (revised)")
    frame.locator("main h2:visible", has_text="(revised)").wait_for(timeout=15000)
    # The updated page saves its place in the same session: no Terminate, no new Initialize.
    page.wait_for_function(f"{commits} > {before}", timeout=10000)
    calls = page.locator("#calls li").all_inner_texts()
    assert [c for c in calls if c in ("Initialize", "Terminate")] == ["Initialize"]
    assert calls[-2:] == ["SetValue cmi.exit = suspend", "Commit"]


def test_an_update_in_place_keeps_the_answers_given(page, preview) -> None:
    server, content = preview
    frame = open_player(page, server, "scorm2004")
    question = frame.locator('.question[data-question-id="q1"]')
    question.get_by_label("2 to 8 °C").check()
    question.get_by_role("button", name="Check answer").click()
    question.locator("[data-feedback]", has_text="Correct").wait_for()
    revise(content, "Keep the\nrefrigerator", "Keep the (revised)\nrefrigerator")
    frame.locator("main p:visible", has_text="(revised)").wait_for(timeout=15000)
    assert page.evaluate("window.cpomPreview.swaps") == 1
    fresh = frame.locator('.question[data-question-id="q1"]')
    assert fresh.get_by_label("2 to 8 °C").is_checked()
    assert fresh.get_by_label("2 to 8 °C").is_disabled()
    assert "Correct" in fresh.locator("[data-feedback]").inner_text()


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "cmi5", "xapi"])
def test_after_an_update_in_place_next_moves_one_screen(page, preview, fmt: str) -> None:
    server, content = preview
    frame = open_player(page, server, fmt)
    revise(content, "## Why temperature matters", "## Why temperature matters (revised)")
    frame.locator("main h2:visible", has_text="(revised)").wait_for(timeout=15000)
    assert page.evaluate("window.cpomPreview.swaps") == 1
    # The new page's buttons are bound once: one click, one screen (not the results screen).
    frame.get_by_role("button", name="Next").click()
    assert screen_title(frame) == "When it goes wrong"
    assert page.js_errors == []


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


def test_the_fix_of_an_error_in_the_module_is_put_in_place(page, preview) -> None:
    server, content = preview
    frame = open_player(page, server, "scorm2004")
    source = content / MODULE
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("type: choice", "type: essay", 1), encoding="utf-8")
    page.get_by_role("alert").wait_for(state="visible", timeout=15000)
    source.write_text(good.replace("## Why temperature matters", "## Why temperature matters (fixed)"),
                      encoding="utf-8")
    frame.locator("main h2:visible", has_text="(fixed)").wait_for(timeout=15000)
    assert page.evaluate("[window.cpomPreview.launches, window.cpomPreview.swaps]") == [1, 1]
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


@pytest.fixture(scope="module")
def exam_preview() -> Iterator[PreviewServer]:
    server = PreviewServer(CASES / "exam", port=0, watch=False).start()
    yield server
    server.close()


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "cmi5", "xapi"])
def test_the_exam_runs_in_the_preview(page, exam_preview, fmt: str) -> None:
    server = exam_preview
    server.lrs.reset()
    page.goto(f"{server.url}/player.html?format={fmt}&module=exam")
    frame = page.frame_locator("#sco")
    frame.locator("html[data-cpom-ready]").wait_for(state="attached")
    frame.get_by_role("button", name="Start the exam").click()
    frame.locator("section.exam-item:not([hidden]) .question").wait_for()
    if fmt in ("cmi5", "xapi"):
        page.locator("#model tr", has_text="initialized").first.wait_for(timeout=10000)
        exam_iri = "https://example.org/xapi/courses/demo/exams/exam"
        assert any(s["verb"]["id"].endswith("/initialized") and s["object"]["id"] == exam_iri
                   for s in server.lrs.recorded())
    else:
        entry = "cmi.core.lesson_status" if fmt == "scorm12" else "cmi.completion_status"
        page.locator("#model tr", has_text=entry).wait_for(timeout=10000)
    assert page.js_errors == []
