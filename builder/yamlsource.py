"""YAML loading that remembers the source line of every key and list item."""

from __future__ import annotations

from typing import Any

import yaml

Loc = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    """Malformed YAML, with the 1-based line where the parser gave up."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def load(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML text into plain data plus a map from each location to its 1-based line.

    Only the safe subset is used (no tags, no Python objects). A location is the tuple of
    keys and indexes leading to a value, the same shape as pydantic's error `loc`.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        # The context mark is where an unclosed construct began, which is where the author
        # went wrong; the problem mark is where the parser noticed, often a line later.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc)) from None
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    # A loader per document: SafeLoader caches what it constructs, so sharing one would
    # keep every document alive and share state between calls.
    return _build(yaml.SafeLoader(""), node, (), lines), lines


def _build(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = (loader.construct_object(key_node, deep=True)
                   if isinstance(key_node, yaml.ScalarNode) else str(key_node))
            if key in result:
                raise YamlSyntaxError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
            child = (*loc, key)
            result[key] = _build(loader, value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*loc, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def line_of(lines: dict[Loc, int], loc: Loc, default: int = 1) -> int:
    """The line of the deepest known prefix of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return default
