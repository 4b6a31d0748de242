"""The Markdown dialect of module files: one factory, every extension and its priority."""

from __future__ import annotations

from markdown import Markdown
from markdown.util import Registry

from builder.markdown_ext.callout import CalloutExtension
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.question import QuestionExtension
from builder.markdown_ext.references import ReferenceExtension
from builder.markdown_ext.tables import TableExtension


def make_markdown(ctx: ParseContext) -> Markdown:
    """A Markdown instance whose extensions report to `ctx`.

    Priorities, highest first:
    - preprocessor `question` 25: before `html_block` would run and after whitespace
      normalisation (30), so line numbers still match the source.
    - preprocessor `callout-check` 24: same reason.
    - treeprocessor `callout` 15, `references` 14 and `table-wrap` 13: after `inline` (20)
      has built links and tables.
    """
    md = Markdown(
        extensions=[
            "tables",
            "admonition",
            "sane_lists",
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
    md.inlinePatterns.deregister("html")
    return md


class ScreenMarkdown:
    """Converts screen after screen with one Markdown instance.

    Setting an instance up costs about as much as converting a screen, and a build has
    hundreds. Between screens the instance is `reset()` (stashed HTML, references) and every
    processor that reports to a `ParseContext` is pointed at the new screen's, so nothing
    leaks from one screen to the next: the output is the same as with a fresh instance.
    """

    def __init__(self) -> None:
        self._md: Markdown | None = None
        self._bound: list[object] = []

    def convert(self, ctx: ParseContext, text: str) -> str:
        if self._md is None:
            self._md = make_markdown(ctx)
            self._bound = [p for p in _processors(self._md) if isinstance(getattr(p, "ctx", None), ParseContext)]
        md = self._md
        md.reset()
        for processor in self._bound:
            processor.ctx = ctx  # type: ignore[attr-defined]
        try:
            html: str = md.convert(text)
            return html
        except BaseException:
            # A conversion cut short (a RecursionError on a hostile screen) may leave the
            # block parser's state half-way: start the next screen on a fresh instance.
            self._md = None
            raise


def _processors(md: Markdown) -> list[object]:
    registries: list[Registry[object]] = [md.preprocessors, md.parser.blockprocessors,
                                          md.treeprocessors, md.inlinePatterns, md.postprocessors]
    return [*md.registeredExtensions, *(p for registry in registries for p in registry)]
