"""Fenced code blocks in module Markdown: rendered as code, escaped, and never split into
screens by a `## ` line inside them; question fences keep working."""

from __future__ import annotations

import time

import pytest

from builder.errors import BuildFailed
from builder.model import Module
from builder.pipeline import load_course
from tests.conftest import CASES, edit

FIRST_SCREEN = "## Why temperature matters\n"


def _module_with(case, block: str) -> Module:
    course = case()
    edit(course / "modules" / "m1-storage.md", FIRST_SCREEN, FIRST_SCREEN + "\n" + block + "\n")
    parsed, problems = load_course(course)
    assert [d for d in problems if d.severity == "error"] == []
    return parsed.modules[0]


@pytest.fixture(scope="module")
def plain() -> Module:
    return load_course(CASES / "minimal")[0].modules[0]


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_a_heading_inside_a_fence_is_not_a_screen(case, plain: Module, fence: str) -> None:
    module = _module_with(case, f"{fence}\n## not a screen\nlog --twice-a-day\n{fence}\n")
    assert [s.title for s in module.screens] == [s.title for s in plain.screens]


@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_a_fence_renders_as_a_code_block(case, fence: str) -> None:
    module = _module_with(case, f"{fence}text\n## not a screen\nlog --twice-a-day\n{fence}\n")
    html = module.screens[0].html
    assert "<pre><code" in html
    code = html.split("<pre><code", 1)[1].split("</code></pre>", 1)[0]
    assert "## not a screen\nlog --twice-a-day" in code
    assert "<h2" not in html


def test_code_in_a_fence_is_escaped(case) -> None:
    module = _module_with(case, "```html\n<script>alert('x')</script> & <b>\n```\n")
    html = module.screens[0].html
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;" in html


def test_question_fences_still_become_questions(case, plain: Module) -> None:
    module = _module_with(case, "```\nnot a question\n```\n")
    assert [p.question.id for p in module.questions] == [p.question.id for p in plain.questions]
    assert "data-cpom-question" in module.screens[0].html


def test_markdown_inside_a_fence_is_not_rendered(case) -> None:
    module = _module_with(case, "```\n**not bold** [not a link](https://example.org)\n```\n")
    html = module.screens[0].html
    assert "**not bold** [not a link](https://example.org)" in html
    assert "<strong>not bold" not in html


def test_a_callout_line_inside_a_fence_is_code_not_a_callout(case) -> None:
    module = _module_with(case, '```\n!!! no-such-kind "x"\n!!!broken\n```\n')
    assert '<pre><code>!!! no-such-kind "x"\n!!!broken' in module.screens[0].html


def test_an_unclosed_code_fence_is_an_error_at_its_line(case) -> None:
    course = case()
    edit(course / "modules" / "m1-storage.md", FIRST_SCREEN, FIRST_SCREEN + "\n~~~text\nno end\n")
    # The fence runs to the end of the module (nothing closes a `~~~` there).
    with pytest.raises(BuildFailed) as failed:
        load_course(course)
    found = [d for d in failed.value.diagnostics if d.code == "module.unclosed-fence"]
    assert [(d.path.rsplit("/", 1)[-1], d.line) for d in found] == [("m1-storage.md", 5)]


def test_many_unclosed_fences_are_read_in_linear_time(case) -> None:
    """Python-Markdown's fenced_code regex takes minutes on this; the builder must not."""
    course = case()
    module = course / "modules" / "m1-storage.md"
    module.write_text(module.read_text(encoding="utf-8") + "\n" + "```x\nline\n" * 8000,
                      encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(BuildFailed) as failed:
        load_course(course)
    assert time.perf_counter() - started < 20
    assert [d.code for d in failed.value.diagnostics] == ["module.unclosed-fence"]
