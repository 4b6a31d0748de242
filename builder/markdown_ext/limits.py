"""Bounds on Markdown that Python-Markdown would take minutes to read or recurse on until
it crashes. Checked before a screen is converted, so a hostile module costs milliseconds.

- Nesting: lists, block quotes and indented blocks are parsed recursively, a few stack
  frames per level; hundreds of levels exhaust Python's stack. No lesson needs more than a
  handful, so more than MAX_DEPTH is refused.
- Brackets: for every '[' (and '(' of a link target) the inline parser scans ahead to the
  matching ']' (or ')'), to the end of the paragraph when there is none. Thousands of them
  make a paragraph quadratic. The scan length is computed here in one pass and bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DEPTH = 20
# Characters the inline parser may scan for brackets in one paragraph: ~0.1 s of work.
MAX_BRACKET_SCAN = 200_000
CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
OPENERS = frozenset(" \t>-*+")  # with any digit (\d is Unicode's), how such lines start


@dataclass(frozen=True)
class Pathology:
    line: int
    message: str
    fix: str
    code: str
    span: tuple[int, int]  # offsets [start, end) of the lines to leave out of the screen


def _depth(line: str) -> int:
    """Containers a line opens: quote markers and list markers, plus indentation levels."""
    if not line or (line[0] not in OPENERS and not line[0].isdecimal()):  # text at the margin
        return 0
    depth, pos = 0, 0
    while True:
        match = CONTAINER.match(line, pos)
        if match is None or match.end() == pos:
            break
        depth, pos = depth + 1, match.end()
    prefix = line[:pos] + line[pos:][: len(line[pos:]) - len(line[pos:].lstrip(" \t"))]
    columns = prefix.count(" ") + 4 * prefix.count("\t")
    return depth + columns // 4


def _scan_cost(block: str) -> int:
    """How far the inline parser scans for closing brackets: for each opener, the distance
    to its closer (or the end of the paragraph). Backslash-escaped brackets are skipped,
    as Python-Markdown's escape pattern hides them from the link pattern."""
    cost = 0
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    closers = {"]": "[", ")": "("}
    escaped = False
    for i, char in enumerate(block):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in stacks:
            stacks[char].append(i)
        elif char in closers and stacks[closers[char]]:
            cost += i - stacks[closers[char]].pop()
    return cost + sum(len(block) - start for stack in stacks.values() for start in stack)


def _too_costly(block: str) -> bool:
    # Each opener costs at most the length of the paragraph: when that bound is within the
    # limit (every paragraph of a real course), the character-by-character scan, a tenth of
    # the time to parse a module, is not needed.
    openers = block.count("[") + block.count("(")
    return openers * len(block) > MAX_BRACKET_SCAN and _scan_cost(block) > MAX_BRACKET_SCAN


def check(lines: list[str], first_line: int) -> list[Pathology]:
    """Problems in Markdown `lines`, the first of which is source line `first_line`.

    Only the first too-deep line is reported; the others come back with an empty message,
    so the caller can still leave them out."""
    found: list[Pathology] = []
    block: list[str] = []
    block_start = 0
    for offset, line in enumerate([*lines, ""]):
        depth = _depth(line)
        if depth > MAX_DEPTH and not any(f.code == "module.too-deep" for f in found):
            found.append(Pathology(first_line + offset, f"the text is nested {depth} levels deep "
                                   f"(lists, quotes or indentation), more than {MAX_DEPTH}",
                                   "flatten the lists or indent less", "module.too-deep",
                                   (offset, offset + 1)))
        elif depth > MAX_DEPTH:
            found.append(Pathology(first_line + offset, "", "", "", (offset, offset + 1)))
        if line.strip():
            if not block:
                block_start = offset
            block.append(line)
            continue
        if block and _too_costly("\n".join(block)):
            found.append(Pathology(first_line + block_start,
                                   "this paragraph has too many unmatched or deeply nested brackets "
                                   "'[' or '(' to be read in reasonable time",
                                   "write literal brackets as \\[ and \\(, or split the paragraph",
                                   "module.too-complex", (block_start, offset)))
        block = []
    return found
