"""Fenced blocks (```` ``` ```` or `~~~`, three or more): where they are in a screen's lines,
and code blocks rendered from them.

Text inside a fence is verbatim, so the checks that read source lines (screen headings,
callout lines) skip it, using the one definition here so they agree on where a fence ends.

| registry      | name         | priority | why                                                  |
|---------------|--------------|----------|------------------------------------------------------|
| preprocessors | fenced-code  | 23       | after `question` (25), so a question block is never   |
|               |              |          | code; after `callout-check` (24); before html (20)    |

Python-Markdown's own `fenced_code` extension is not used: its regular expression takes
quadratic time on many unclosed fences (minutes for one hostile module); this is one pass.
"""

from __future__ import annotations

import re
from html import escape

from markdown import Markdown
from markdown.preprocessors import Preprocessor

FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
QUESTION = re.compile(r"^(`{3,}|~{3,})\s*question\s*$")
LANGUAGE = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")


def fenced(lines: list[str]) -> list[bool]:
    """For each line: is it part of a fenced block (its fence lines included)? A block ends at
    a line holding only the opening fence, as a question block does; an unclosed block runs
    to the end."""
    inside: list[bool] = []
    fence: str | None = None
    for line in lines:
        if fence is None:
            match = FENCE.match(line)
            fence = match.group(1) if match else None
            inside.append(fence is not None)
        else:
            inside.append(True)
            if line.strip() == fence:
                fence = None
    return inside


def unclosed_code_fence(lines: list[str]) -> tuple[int, str] | None:
    """The index and fence of a code fence (not a question block, which reports itself)
    that is never closed, if any."""
    start: int | None = None
    fence: str | None = None
    for i, line in enumerate(lines):
        if fence is None:
            match = FENCE.match(line)
            if match:
                fence, start = match.group(1), i
        elif line.strip() == fence:
            fence = None
    if fence is None or start is None or QUESTION.match(lines[start]):
        return None
    return start, fence


def code_block(code: str, info: str) -> str:
    words = info.split()
    language = words[0] if words and LANGUAGE.match(words[0]) else ""
    css = f' class="language-{escape(language)}"' if language else ""
    return f"<pre><code{css}>{escape(code, quote=False)}\n</code></pre>"


class FencedCode(Preprocessor):
    """Each closed fence becomes a stashed `<pre><code>` block; its lines become blank lines
    around the placeholder, so later line-based checks still point at the source line."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = FENCE.match(lines[i])
            if match is None:
                out.append(lines[i])
                i += 1
                continue
            fence = match.group(1)
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
            if end is None:  # reported by parse.py; the rest stays text
                out.extend(lines[i:])
                break
            html = code_block("\n".join(lines[i + 1 : end]), match.group(2))
            placeholder = self.md.htmlStash.store(html)
            out.extend(["", placeholder, ""] + [""] * max(0, end - i - 2))
            i = end + 1
        return out


__all__ = ["FENCE", "FencedCode", "code_block", "fenced", "unclosed_code_fence"]
