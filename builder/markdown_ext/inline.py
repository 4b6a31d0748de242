"""One-line Markdown (question prompts): emphasis, code, links and images, with the same
reference checks and bundling as a screen, so nothing a page shows escapes them."""

from __future__ import annotations

import re
from html import escape

from markdown import Markdown

from builder.markdown_ext import limits
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.references import ReferenceExtension

# Characters Python-Markdown reads as inline markup or escapes in HTML text (backslash
# escapes, code, emphasis, links and images, autolinks, entities, < > &).
MARKUP = frozenset("\\`*_[]<>&")
# A line starting like this may begin a block: an ordered list item ("1. ").
ORDERED = re.compile(r"\d+\.\s")


def plain(text: str) -> bool:
    """Whether Python-Markdown would give `text` back unchanged inside a paragraph: one
    printable line, no surrounding space, no inline markup or character HTML escapes, and
    a start (a letter, or a digit not opening a list) that opens no block. Most question
    prompts are such a sentence."""
    return (text.isprintable() and text == text.strip() and text[:1].isalnum()
            and MARKUP.isdisjoint(text) and not ORDERED.match(text))


def inline_html(text: str, ctx: ParseContext, line: int) -> str:
    """`text` as inline HTML; problems go to `ctx`, reported at or after source `line`."""
    found = [p for p in limits.check(text.split("\n"), line) if p.message]
    for p in found:
        ctx.error(p.line, p.message, p.fix, p.code)
    if found:
        return escape(text)
    if plain(text):
        return text  # what converting it would give, for a small part of the cost
    if ctx.inline_markdown is not None:
        html = ctx.inline_markdown.convert(ctx, text)
    else:
        html = make_inline_markdown(ctx).convert(text)
    return html.removeprefix("<p>").removesuffix("</p>")


def make_inline_markdown(ctx: ParseContext) -> Markdown:
    """The Markdown of prompts: links and images checked and bundled as in screens."""
    md = Markdown(extensions=[ReferenceExtension(ctx)], output_format="html")
    # Raw HTML is shown as text, as in screens (see make_markdown).
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md
