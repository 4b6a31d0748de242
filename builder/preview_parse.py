"""Re-parsing a saved module for the live preview, converting only the screens that changed.

An author's save usually touches one screen of a module; converting the others again (their
Markdown, their question blocks' YAML, their prompts) was most of the time a save took on
the server. A screen's conversion depends only on its text, where it starts in the file
and its place in the module (for line numbers in problems and question positions), and the
files it links to; the preview parses the whole course again whenever any other file under
the content folder changes (`PreviewSite.update`), and drops these results then (`forget`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import Diagnostic
from builder.markdown_ext import ScreenMarkdown
from builder.markdown_ext.context import ParseContext
from builder.model import Asset, Module, ModuleRef, PlacedQuestion
from builder.parse import parse_module

# (first line, screen number, the text converted, the screen's source lines)
ScreenKey = tuple[int, int, str, tuple[str, ...]]


@dataclass(frozen=True)
class Converted:
    """One screen's conversion: its HTML and what it reported to its context."""

    html: str
    diagnostics: tuple[Diagnostic, ...]
    questions: tuple[PlacedQuestion, ...]
    assets: tuple[Asset, ...]


class ScreenCache(ScreenMarkdown):
    """A `ScreenMarkdown` that remembers each module's screens from its last parse and
    converts again only the ones whose key changed. Not thread-safe: one parse at a time
    (the preview parses on its watcher's thread, under `PreviewSite`'s parse lock)."""

    def __init__(self) -> None:
        super().__init__()
        self._last: dict[Path, dict[ScreenKey, Converted]] = {}  # module file -> its screens
        self._now: dict[Path, dict[ScreenKey, Converted]] = {}
        self.converted = 0  # screens converted (not found), for tests

    def convert(self, ctx: ParseContext, text: str) -> str:
        key: ScreenKey = (ctx.first_line, ctx.screen, text, tuple(ctx.lines))
        found = self._last.get(ctx.source, {}).get(key)
        if found is None:
            marks = len(ctx.diagnostics), len(ctx.questions), len(ctx.assets)
            html = super().convert(ctx, text)
            found = Converted(html, tuple(ctx.diagnostics[marks[0]:]),
                              tuple(ctx.questions[marks[1]:]), tuple(ctx.assets[marks[2]:]))
            self.converted += 1
        else:
            ctx.diagnostics.extend(found.diagnostics)
            ctx.questions.extend(found.questions)
            ctx.assets.extend(found.assets)
        self._now.setdefault(ctx.source, {})[key] = found
        return found.html

    def parse(self, ref: ModuleRef, source: Path, content: Path
              ) -> tuple[Module | None, list[Diagnostic]]:
        """`parse.parse_module`, reusing the unchanged screens of this file's last parse."""
        self._now.pop(source, None)
        try:
            return parse_module(ref, source, content, self)
        finally:
            # Keep only this parse's screens: the cache holds one version of each module.
            self._last[source] = self._now.pop(source, {})

    def forget(self) -> None:
        """Drop everything (another file changed: a linked file, an image, the curriculum)."""
        self._last.clear()
        self._now.clear()


__all__ = ["Converted", "ScreenCache"]
