"""One Markdown instance converts every screen: nothing may leak between screens."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.markdown_ext import ScreenMarkdown, make_markdown
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.reuse import ReusedMarkdown
from tests.conftest import ROOT

CONTENT = ROOT / "content"


def context(text: str, source: Path = CONTENT / "modules" / "x.md") -> ParseContext:
    return ParseContext(source=source, shown="modules/x.md", content_root=CONTENT, first_line=2,
                        screen=0, lines=text.split("\n"))


def screens_of_the_course() -> list[tuple[Path, str]]:
    found = []
    for source in sorted((CONTENT / "modules").glob("*.md")):
        text = source.read_text(encoding="utf-8")
        found += [(source, part.split("\n", 1)[1]) for part in text.split("\n## ")[1:]]
    return found


def test_every_screen_converts_as_with_a_fresh_instance() -> None:
    shared = ScreenMarkdown()
    screens = screens_of_the_course()
    assert len(screens) > 100
    for source, body in screens:
        fresh_ctx, shared_ctx = context(body, source), context(body, source)
        expected = make_markdown(fresh_ctx).convert(body)
        assert shared.convert(shared_ctx, body) == expected
        assert shared_ctx.diagnostics == fresh_ctx.diagnostics
        assert shared_ctx.questions == fresh_ctx.questions
        assert shared_ctx.assets == fresh_ctx.assets


def test_link_references_do_not_leak_to_the_next_screen() -> None:
    shared = ScreenMarkdown()
    first = "See [the guide][g].\n\n[g]: https://example.org/guide"
    assert 'href="https://example.org/guide"' in shared.convert(context(first), first)
    second = "See [the guide][g]."
    assert "href" not in shared.convert(context(second), second)


def test_each_screen_reports_to_its_own_context() -> None:
    shared = ScreenMarkdown()
    first, second = context("![](missing.png)"), context("Plain text.")
    shared.convert(first, "![](missing.png)")
    shared.convert(second, "Plain text.")
    assert first.diagnostics and not second.diagnostics


def test_question_prompts_report_to_their_own_screen() -> None:
    shared = ScreenMarkdown()
    block = "```question\nid: q1\ngoal: g\ntype: true-false\nprompt: See ![](gone.png)\nanswer: true\n```"
    first, second = context(block), context("Plain text.")
    shared.convert(first, block)
    shared.convert(second, "Plain text.")
    assert any("gone.png" in d.message for d in first.diagnostics)
    assert not second.diagnostics


def test_a_screen_that_fails_does_not_spoil_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    # A conversion cut short (say by a RecursionError) may leave the parser half-way.
    shared = ReusedMarkdown(make_markdown)
    shared.convert(context("Warm up."), "Warm up.")
    instance = shared._md
    assert instance is not None

    def broken(lines: list[str]) -> list[str]:
        raise RecursionError("nested too deeply")

    monkeypatch.setattr(instance.preprocessors["question"], "run", broken)
    with pytest.raises(RecursionError):
        shared.convert(context("> > deep"), "> > deep")
    text = "- one\n- two"
    assert shared.convert(context(text), text) == make_markdown(context(text)).convert(text)
