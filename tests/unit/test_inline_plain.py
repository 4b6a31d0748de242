"""A prompt with no Markdown in it is its own HTML, as Python-Markdown would make it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.markdown_ext import inline
from builder.markdown_ext.context import ParseContext
from tests.conftest import CONTENT


def _context() -> ParseContext:
    return ParseContext(source=CONTENT / "modules" / "x.md", shown="modules/x.md",
                        content_root=CONTENT, first_line=2, screen=0, lines=[])


def _converted(text: str) -> str:
    """What Python-Markdown makes of `text` as a prompt, never taking the shortcut."""
    html = inline.make_inline_markdown(_context()).convert(text)
    return html.removeprefix("<p>").removesuffix("</p>")


# Words, spaces and every piece of Markdown (or HTML) a prompt might hold.
TOKENS = ["a", "1", "é", " ", "  ", "\t", "\n", "\x02", "*", "_", "`", "\\", "[x](y.html)",
          "![i](p.png)", "<", ">", "&", "&amp;", "!", "#", "-", "+", "=", "|", ".", "\"", "'"]
# Mostly texts that start like a sentence, as prompts do, so that many are plain.
TEXTS = st.builds(str.__add__, st.sampled_from(["a", "Z", "1", "é", "2. ", "#", "-"]),
                  st.lists(st.sampled_from(TOKENS), max_size=8).map("".join))


@settings(max_examples=400)
@given(TEXTS)
def test_a_plain_prompt_is_what_python_markdown_makes_of_it(text: str) -> None:
    if inline.plain(text):
        assert text == _converted(text)


@pytest.mark.parametrize("text", [
    "How many degrees?", "Which of these are external forces? Select all that apply.",
    "2026 budget: which line grows most (in %)?", "Marcus's plan - first draft, v2.0! Go.",
])
def test_prompts_without_markdown_skip_the_conversion(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _converted(text)
    monkeypatch.setattr(inline, "make_inline_markdown", lambda ctx: pytest.fail("converted"))
    assert inline.inline_html(text, _context(), 1) == expected == text


@pytest.mark.parametrize("text", ["*Which* one?", "1. First", "# Title", "- item", "a < b", "AT&T",
                                  "use `code`", "see [x](y.html)", " padded", "two\nlines", "a\tb"])
def test_prompts_with_markdown_are_converted(text: str) -> None:
    assert not inline.plain(text)
