"""The Markdown dialect of module files: one factory, every extension and its priority."""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension as TableSyntax

from builder.markdown_ext.callout import CalloutExtension
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.fences import FencedCode
from builder.markdown_ext.inline import make_inline_markdown
from builder.markdown_ext.question import QuestionExtension
from builder.markdown_ext.references import ReferenceExtension
from builder.markdown_ext.reuse import ReusedMarkdown
from builder.markdown_ext.tables import TableExtension


def make_markdown(ctx: ParseContext) -> Markdown:
    """A Markdown instance whose extensions report to `ctx`.

    Priorities, highest first:
    - preprocessor `question` 25: before `html_block` would run and after whitespace
      normalisation (30), so line numbers still match the source.
    - preprocessor `callout-check` 24: same reason.
    - preprocessor `fenced-code` 23 (markdown_ext/fences.py): after `question` (25), so a
      ```question block is never taken for code.
    - treeprocessor `callout` 15, `references` 14 and `table-wrap` 13: after `inline` (20)
      has built links and tables.
    """
    md = Markdown(
        # Instances, not names: a name makes Python-Markdown scan every installed
        # distribution's entry points (about 10 ms per process) to find the class.
        extensions=[
            TableSyntax(),
            AdmonitionExtension(),
            SaneListExtension(),
            QuestionExtension(ctx),
            CalloutExtension(ctx),
            ReferenceExtension(ctx),
            TableExtension(),
        ],
        output_format="html",
    )
    # Authors write Markdown, not HTML: raw HTML would let a module inject script into the
    # package. Without these two processors, raw HTML is rendered as escaped text.
    md.preprocessors.deregister("html_block")
    md.preprocessors.register(FencedCode(md), "fenced-code", 23)
    md.inlinePatterns.deregister("html")
    return md


class ScreenMarkdown:
    """Converts screen after screen with one Markdown instance, and their question prompts
    with another (see `ReusedMarkdown`); one per build, or per module."""

    def __init__(self) -> None:
        self._screens = ReusedMarkdown(make_markdown)
        self._prompts = ReusedMarkdown(make_inline_markdown)

    def convert(self, ctx: ParseContext, text: str) -> str:
        ctx.inline_markdown = self._prompts
        return self._screens.convert(ctx, text)
