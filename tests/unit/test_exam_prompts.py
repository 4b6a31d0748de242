"""Prompts that are plain text skip the Markdown pass (reading the exam's 334 bank items
made it worth it): the output must be exactly what Markdown gives."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.inline import make_inline_markdown, plain
from tests.conftest import CASES, CONTENT
from tests.unit.exam_case import blocks


def markdown(text: str) -> str:
    ctx = ParseContext(source=Path("x.md"), shown="x.md", content_root=CONTENT, first_line=1, screen=0, lines=[])
    return str(make_inline_markdown(ctx).convert(text)).removeprefix("<p>").removesuffix("</p>")


def shipped_prompts() -> list[str]:
    files = [*CONTENT.rglob("*.md"), *CASES.rglob("*.md")]
    return [b["prompt"] for path in sorted(files) for b in blocks(path) if b.get("prompt")]


def test_every_shipped_plain_prompt_is_what_markdown_gives() -> None:
    prompts = [p for p in shipped_prompts() if plain(p)]
    assert len(prompts) > 100  # the check covers the course, not a handful
    assert [p for p in prompts if markdown(p) != p] == []


@pytest.mark.parametrize("text", [
    "1. First step", "- an item", "+ an item", "> a quote", "# A heading", "a *word*", "a _word_",
    "a `code` span", "a [link](https://example.org)", "![alt](x.svg)", "salt & pepper", "x < y",
    "<b>bold</b>", "    indented", "=== rule", "back\\slash", "two\nlines", "&amp;",
])
def test_text_with_markdown_syntax_or_html_characters_is_not_plain(text: str) -> None:
    assert not plain(text)


def test_random_plain_text_is_what_markdown_gives() -> None:
    rnd = random.Random(12)
    alphabet = string.ascii_letters + string.digits + " .,;:?'\"()%$/-+=~|^{}@°–—’“”é"
    checked = 0
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 24))).strip()
        if text and plain(text):
            checked += 1
            assert markdown(text) == text, text
    assert checked > 1000
