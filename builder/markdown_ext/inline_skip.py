"""The inline treeprocessor, skipping the inline patterns a text cannot match.

| registry       | name   | priority | why                                                      |
|----------------|--------|----------|----------------------------------------------------------|
| treeprocessors | inline | 20       | Python-Markdown's own instance, given this subclass      |

Python-Markdown tries every inline pattern on every piece of text, one Python call each
(about 40,000 calls a build, a quarter of parsing), although most text holds none of the
characters those patterns start with. Every match of a pattern below contains one of its
`NEEDLES`, so a text holding none of them cannot match it: the pattern is skipped exactly
as if it had been tried and had not matched. Patterns not listed are always tried, so the
HTML is the same as Python-Markdown's own, whatever patterns an extension adds.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown, util
from markdown.treeprocessors import InlineProcessor

# Pattern name (Python-Markdown's registry) -> strings one of which every match contains.
NEEDLES: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),  # `code`, or backslashes before a backtick
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("@",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
}

# The two private methods the subclass works with; a Python-Markdown without them keeps
# its own processor (see `skip_unmatchable_patterns`).
_APPLY = "_InlineProcessor__applyPattern"
_HANDLE = "_InlineProcessor__handleInline"


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline treeprocessor over a fixed list of the patterns (indexing the
    registry re-checks its order in Python each time), trying a pattern only on text that
    holds one of its needles."""

    # Per pattern, in the same order: two strings, one of which a match contains ("" is in
    # every text: always try). Two `in` tests are cheaper than any() over a generator.
    needles: list[tuple[str, str]]

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """The patterns from `patternIndex` on, applied to `data` in priority order, each
        until it no longer matches; Python-Markdown calls this (by its private name) for
        each text and again inside what a pattern made."""
        if isinstance(data, util.AtomicString):
            return data
        apply: Any = getattr(self, _APPLY)
        patterns: list[Any] = self.inlinePatterns  # type: ignore[assignment]
        index, start = patternIndex, 0
        while index < len(patterns):
            one, other = self.needles[index]
            if one not in data and other not in data:
                matched, start = False, 0  # what trying it would have returned
            else:
                data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data


def skip_unmatchable_patterns(md: Markdown) -> Markdown:
    """`md`, its inline treeprocessor made a `SkippingInlineProcessor` over the patterns
    registered now (call it once the instance is set up; nothing registers one later)."""
    if "inline" not in md.treeprocessors:
        return md
    inline = md.treeprocessors["inline"]
    if type(inline) is not InlineProcessor or not (hasattr(inline, _APPLY) and hasattr(inline, _HANDLE)):
        return md  # someone else's processor, or a Python-Markdown this was not written for
    patterns = md.inlinePatterns
    needles: list[tuple[str, str]] = [("", "")] * len(patterns)
    for name, needed in NEEDLES.items():
        if name in patterns and 1 <= len(needed) <= 2:
            needles[patterns.get_index_for_name(name)] = (needed[0], needed[-1])
    # The instance keeps its place (name, priority) in the registry and its state; only its
    # class changes, to one that adds no state of its own but these two attributes.
    inline.__class__ = SkippingInlineProcessor
    assert isinstance(inline, SkippingInlineProcessor)
    inline.inlinePatterns = list(patterns)  # type: ignore[assignment]
    inline.needles = needles
    return md
