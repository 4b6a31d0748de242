"""Callouts: `!!! kind "Title"` boxes (analogy, key point, warning, example, note, scenario).

| registry       | name          | priority | why                                              |
|----------------|---------------|----------|--------------------------------------------------|
| preprocessors  | callout-check | 24       | checks kinds and titles while lines are known    |
| treeprocessors | callout       | 15       | after inline (20): turns admonition divs into    |
|                |               |          | accessible <aside> elements                      |

Block parsing itself is Python-Markdown's `admonition` extension; this module restricts the
kinds to the course's vocabulary and gives the boxes accessible markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.fences import fenced
from builder.model import CALLOUT_KINDS

LABELS = {
    "analogy": "Analogy",
    "key-point": "Key point",
    "warning": "Warning",
    "example": "Worked example",
    "note": "Note",
    "scenario": "Scenario",
}


class CalloutCheck(Preprocessor):
    START = re.compile(r"^!!!")
    FULL = re.compile(r'^!!! ([a-z-]+) "([^"]+)"\s*$')

    def __init__(self, md: Markdown, ctx: ParseContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, lines: list[str]) -> list[str]:
        for offset, (line, verbatim) in enumerate(zip(lines, fenced(lines), strict=True)):
            if verbatim or not self.START.match(line):
                continue  # a `!!!` line inside a code fence is code, not a callout
            where = self.ctx.first_line + offset
            match = self.FULL.match(line)
            if match is None:
                self.ctx.error(where, "malformed callout line",
                               'write !!! kind "Title" (the title in double quotes)',
                               "callout.syntax")
            elif match.group(1) not in CALLOUT_KINDS:
                self.ctx.error(where, f"unknown callout kind '{match.group(1)}'",
                               f"use one of {', '.join(CALLOUT_KINDS)}", "callout.unknown-kind")
        return lines


class CalloutTree(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            if "admonition" not in classes or len(classes) < 2:
                continue
            kind = classes[1]
            title = next((p for p in div if p.get("class") == "admonition-title"), None)
            div.tag = "aside"
            div.set("class", f"callout callout-{kind}")
            label = LABELS.get(kind, kind)
            if title is not None:
                title.set("class", "callout-title")
                badge = etree.Element("span", {"class": "callout-kind"})
                badge.text = f"{label}: "
                badge.tail = title.text
                title.text = None
                title.insert(0, badge)


class CalloutExtension(Extension):
    def __init__(self, ctx: ParseContext) -> None:
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CalloutCheck(md, self.ctx), "callout-check", 24)
        md.treeprocessors.register(CalloutTree(md), "callout", 15)
