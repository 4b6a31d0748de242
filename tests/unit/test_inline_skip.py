"""Skipping the inline patterns a text cannot match gives Python-Markdown's own HTML."""

from __future__ import annotations

import pytest
from markdown import Markdown
from markdown.extensions.tables import TableExtension

from builder.markdown_ext.inline_skip import (
    NEEDLES,
    SkippingInlineProcessor,
    skip_unmatchable_patterns,
)

# Every inline construct Python-Markdown knows, alone, nested and next to look-alikes.
TEXTS = [
    "plain words only",
    "`code` and ``double `tick` code`` and \\`not code\\`",
    "an escaped \\*star\\* and a \\\\ backslash",
    "[a link](https://example.org 'title') and [a ref][r] and [r] and [r][]\n\n[r]: https://example.org",
    "![an image](pic.png) and ![a ref image][i] and ![i]\n\n[i]: pic.png",
    "<https://example.org/x?y=1> and <mail@example.org> and a@b.org and 1 < 2 > 0",
    "a line  \nbreak and a line \nwithout",
    "&amp; &#42; &#x2A; &copy; & alone and AT&T;",
    "*em* **strong** ***both*** _em_ __strong__ ___both___ snake_case_word 2 * 3 * 4",
    "**bold with [a link](x.html) and `code` inside** and *em with ![img](p.png)*",
    "| a | *b* |\n|---|---|\n| `c` | [d](e.html) |",
    "* a list item with *em*\n* and `code`",
    "text with stray [ and ] and ! and <> and ` and & and @",
]


def _pair() -> tuple[Markdown, Markdown]:
    def make() -> Markdown:
        return Markdown(extensions=[TableExtension()], output_format="html")

    return make(), skip_unmatchable_patterns(make())


@pytest.mark.parametrize("text", TEXTS)
def test_the_html_is_python_markdowns_own(text: str) -> None:
    own, skipping = _pair()
    assert isinstance(skipping.treeprocessors["inline"], SkippingInlineProcessor)
    assert skipping.convert(text) == own.convert(text)


def test_a_pattern_is_not_tried_on_text_without_its_needles() -> None:
    _, skipping = _pair()
    link = skipping.inlinePatterns["link"]
    tried: list[str] = []
    search = link.getCompiledRegExp()

    class Watched:
        def finditer(self, data: str, start: int = 0):  # type: ignore[no-untyped-def]
            tried.append(data)
            return search.finditer(data, start)

    link.compiled_re = Watched()  # type: ignore[assignment]
    skipping.convert("no brackets here, *em* only")
    assert tried == []
    skipping.convert("a [link](x.html)")
    assert tried


def test_every_needle_names_a_pattern_python_markdown_may_register() -> None:
    own, _ = _pair()
    registered = {name for name in NEEDLES if name in own.inlinePatterns}
    assert {"backtick", "escape", "link", "image_link", "autolink", "entity", "em_strong"} <= registered
