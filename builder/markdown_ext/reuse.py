"""One Markdown instance converting text after text, each reported to its own context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown import Markdown

from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.inline_skip import skip_unmatchable_patterns


class ReusedMarkdown:
    """Converts with one Markdown instance made by `factory`, re-pointed at each context.

    Setting an instance up costs about as much as converting a screen, and a build has
    hundreds of screens and question prompts. Between texts the instance is `reset()`
    (stashed HTML, link references) and every processor that reports to a `ParseContext`
    is pointed at the new one, so nothing leaks from one text to the next: the output is
    the same as with a fresh instance.
    """

    def __init__(self, factory: Callable[[ParseContext], Markdown]) -> None:
        self._factory = factory
        self._md: Markdown | None = None
        self._bound: list[Any] = []

    def convert(self, ctx: ParseContext, text: str) -> str:
        if self._md is None:
            self._md = skip_unmatchable_patterns(self._factory(ctx))
            self._bound = [p for p in _processors(self._md) if isinstance(getattr(p, "ctx", None), ParseContext)]
        md = self._md
        md.reset()
        for processor in self._bound:
            processor.ctx = ctx
        try:
            html: str = md.convert(text)
        except BaseException:
            # A conversion cut short (a RecursionError on a hostile screen) may leave the
            # block parser's state half-way: start the next text on a fresh instance.
            self._md = None
            raise
        return html


def _processors(md: Markdown) -> list[Any]:
    registries: list[Any] = [md.preprocessors, md.parser.blockprocessors, md.treeprocessors,
                             md.inlinePatterns, md.postprocessors]
    return [*md.registeredExtensions, *(p for registry in registries for p in registry)]
