"""Per-screen parse state shared by the Markdown extensions of one Markdown instance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import Diagnostic
from builder.model import Asset, PlacedQuestion

if TYPE_CHECKING:
    from builder.markdown_ext.reuse import ReusedMarkdown


@dataclass
class ParseContext:
    """What the extensions need to know about the screen they parse, and what they found.

    One context per Markdown instance, so nothing leaks between screens or modules.
    """

    source: Path  # the module's Markdown file
    shown: str  # its path as shown in diagnostics
    content_root: Path
    first_line: int  # source line of the screen body's first line
    screen: int
    lines: list[str]  # the screen body, to locate links and images by their text
    diagnostics: list[Diagnostic] = field(default_factory=list)
    questions: list[PlacedQuestion] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    # Converts question prompts; shared by the screens of a build (None: a fresh instance).
    inline_markdown: ReusedMarkdown | None = None
    # The file is a course evaluation: unscored question types only, and no mastery goal.
    evaluation: bool = False

    def error(self, line: int, message: str, fix: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(self.shown, line, message, fix, code))

    def line_containing(self, needle: str) -> int:
        """Best source line for an element the tree no longer ties to a line."""
        for offset, text in enumerate(self.lines):
            if needle in text:
                return self.first_line + offset
        return self.first_line
