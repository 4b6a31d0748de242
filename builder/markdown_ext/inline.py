"""One-line Markdown (question prompts): emphasis, code, links and images, with the same
reference checks and bundling as a screen, so nothing a page shows escapes them."""

from __future__ import annotations

import re
from html import escape

from markdown import Markdown

from builder.markdown_ext import limits
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.references import ReferenceExtension

# Text Markdown leaves as it is: one line with none of the characters that start inline
# syntax (code, emphasis, links, images, autolinks, entities, escapes, headings) or that
# HTML escapes, and no start that opens a block (list item, quote, rule, indented code).
# Most prompts are such plain sentences; converting them costs a Markdown pass each
# (about a third of reading an exam bank), for the same output.
_PLAIN = re.compile(r"[^\\`*_\[\]<>&!#\n\r\t]*\Z")
_BLOCK_START = re.compile(r"\s|[-+=>]|\d+[.)]")


def plain(text: str) -> bool:
    """Whether Markdown would give `text` back unchanged (in a paragraph)."""
    return bool(_PLAIN.match(text)) and not _BLOCK_START.match(text)


def inline_html(text: str, ctx: ParseContext, line: int) -> str:
    """`text` as inline HTML; problems go to `ctx`, reported at or after source `line`."""
    if text and plain(text):
        return text
    found = [p for p in limits.check(text.split("\n"), line) if p.message]
    for p in found:
        ctx.error(p.line, p.message, p.fix, p.code)
    if found:
        return escape(text)
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
