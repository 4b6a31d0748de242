"""YAML loading that remembers the source line of every key and list item.

Course sources are written by people and may come from anywhere, so only plain YAML is
read: no anchors or aliases (an alias bomb expands to gigabytes, a recursive anchor never
ends), no merge keys, no tags beyond the core types, and no nesting deeper than any course
needs. Each refusal is a `YamlSyntaxError` with the line to fix, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

Loc = tuple[str | int, ...]

# The deepest real course YAML is a curriculum's modules[i].goals[j].id: 5 levels.
MAX_DEPTH = 32
# The core schema's tags (YAML 1.2 §10.3) minus timestamps, sets and binaries; the
# non-specific tag '!' just means "a string". Anything else names a constructor.
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {None, "!", *(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))}

# Nesting libyaml's composer (which recurses in C) may meet: far below its own limit (1000).
_C_NESTING = 500

# What PyYAML's reader counts as a line break (YAML 1.1 §5.4).
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

_STR = _CORE + "str"

SYNTAX_FIX = "fix the YAML syntax (indentation, quotes, colons)"


class YamlSyntaxError(Exception):
    """Malformed or refused YAML, with the 1-based line to fix.

    `code` is the last part of the diagnostic code (the area is the caller's) and `fix` the
    advice, when the problem is more specific than broken syntax.
    """

    def __init__(self, line: int, problem: str, code: str = "yaml-syntax", fix: str = "") -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.code = code
        self.fix = fix


def _refuse(mark: Any, problem: str, fix: str, code: str = "yaml-unsupported") -> YamlSyntaxError:
    return YamlSyntaxError(mark.line + 1 if mark is not None else 1, problem, code, fix)


class _Rules(Composer):
    """A composer that refuses aliases, anchors, odd tags and deep nesting while it reads,
    before anything is expanded (it recurses once per level). It composes from whichever
    parser it is mixed with: libyaml's or PyYAML's own."""

    depth = 0
    peek_event: Callable[[], Any]  # from the parser it is mixed with

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _refuse(event.start_mark, "anchors and aliases ('&name', '*name') are not allowed",
                          "write each value out in full; quote text that starts with '&' or '*'")
        tag = getattr(event, "tag", None)
        if tag not in ALLOWED_TAGS:
            shown = f"!!{str(tag)[len(_CORE):]}" if str(tag).startswith(_CORE) else tag
            raise _refuse(event.start_mark, f"the tag '{shorten(shown)}' is not allowed",
                          "remove the tag; quote the value if it is text")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _refuse(event.start_mark, f"values are nested more than {MAX_DEPTH} levels deep",
                              "flatten the structure (see README: Authoring)", "too-deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PureLoader(_Rules, yaml.SafeLoader):
    """PyYAML's pure-Python scanner and parser under the rules: for text libyaml refused
    (see `load`) or when libyaml is missing."""

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # This scanner reads a whole flow collection ahead, once per open bracket, before
        # the composer sees a node: '[[[[…' is quadratic, so stop it here too.
        super().fetch_flow_collection_start(token_class)
        if self.flow_level > MAX_DEPTH:
            raise _refuse(self.get_mark(), f"values are nested more than {MAX_DEPTH} levels deep",
                          "flatten the structure (see README: Authoring)", "too-deep")


_CLoader: Any = None
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml: the pure loader reads everything
    pass
else:

    class _CLoader(_Rules, _CParser, Resolver):  # type: ignore[no-redef]
        """libyaml's scanner and parser (C, about 7 times faster than PyYAML's: question
        blocks were a third of a build) under the same rules, applied as the events are
        composed in Python; every event carries the same line marks.

        libyaml's own composer is not used: it keeps no trace of anchors it has resolved."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Resolver.__init__(self)
            Composer.__init__(self)

        def get_single_node(self) -> Any:
            return Composer.get_single_node(self)

        def compose_document(self) -> Any:
            return Composer.compose_document(self)

    class _CPlainLoader(_CParser, Resolver):
        """libyaml's scanner, parser and composer (Cython) for text that cannot hold what
        the rules refuse as it is composed (see `_plain`); `_build` applies the rest."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Resolver.__init__(self)


def _plain(text: str) -> bool:
    """Whether `text` holds no anchor, alias or tag (each needs '&', '*' or '!') and nests
    less than libyaml's composer can recurse safely (each level needs a bracket, a brace,
    a line break or an indicator), so the rules `_Rules` applies while composing cannot be
    broken: libyaml may then compose the nodes, about twice as fast as composing the
    events in Python. Anything else is composed under the rules."""
    if "&" in text or "*" in text or "!" in text:
        return False
    levels = sum(text.count(c) for c in "[{\n-?:")
    return levels < _C_NESTING


def shorten(text: object, limit: int = 60) -> str:
    """Text fit for a one-line diagnostic: control characters escaped, long text cut."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                    for c in str(text))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def load(text: str, pure: bool = False) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML text into plain data plus a map from each location to its 1-based line.

    Only the safe subset is used (no tags, no Python objects). A location is the tuple of
    keys and indexes leading to a value, the same shape as pydantic's error `loc`.

    libyaml reads the text when it is installed (`pure` forces PyYAML's own parser). Text
    it refuses is read again by PyYAML's parser, whose diagnostics are the ones authors
    know: libyaml words syntax errors differently, may place them a line later, and stops
    a bracket flood at its own depth limit. Only broken sources pay for the second read.
    """
    # A tab after a plain scalar ("id: q9<TAB>") is separation space to libyaml but an
    # error to PyYAML's scanner, and libyaml skips byte order marks that PyYAML reads as
    # text: such text is read by PyYAML alone, so a source reads the same (with PyYAML's
    # words) whether or not libyaml is installed.
    if not pure and _CLoader is not None and "\t" not in text and "\ufeff" not in text:
        try:
            # PyYAML's reader refuses control characters and lone surrogates first; libyaml
            # would fail on them with byte offsets or an encoding error.
            yaml.reader.Reader(text)
            data, lines = _read(_CPlainLoader(text) if _plain(text) else _CLoader(text))
        except (yaml.YAMLError, YamlSyntaxError):
            pass
        else:
            # libyaml ends the last line itself when the text does not, so a node at the
            # very end (an empty value) would sit on a line after the last one.
            last = len(_LINE_BREAK.findall(text)) + 1
            return data, {loc: min(line, last) for loc, line in lines.items()}
    try:
        loader = _PureLoader(text)
    except yaml.reader.ReaderError as exc:
        # Raised for control characters before parsing starts; it knows only an offset.
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise YamlSyntaxError(line, f"the character U+{char:04X} is not allowed in YAML",
                              fix="delete it (control characters cannot appear in course text)") from None
    return _read(loader)


def _read(loader: Any) -> tuple[Any, dict[Loc, int]]:
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # The context mark is where an unclosed construct began, which is where the author
        # went wrong; the problem mark is where the parser noticed, often a line later.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc), fix=SYNTAX_FIX) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc), fix=SYNTAX_FIX) from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    # A constructor per document: it caches what it constructs, so sharing one would keep
    # every document alive and share state between calls.
    return _build(SafeConstructor(), node, (), lines, 1), lines


def _scalar(loader: SafeConstructor, node: yaml.Node) -> Any:
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value  # what SafeConstructor makes of a string, without its dispatch
    try:
        return loader.construct_object(node, deep=True)
    except Exception as exc:
        if node.tag == _CORE + "timestamp":
            raise _refuse(node.start_mark, f"'{shorten(node.value)}' is not a valid date ({exc})",
                          "write a real date as YYYY-MM-DD", "bad-value") from None
        raise _refuse(node.start_mark, f"'{shorten(node.value)}' cannot be read ({shorten(exc, 80)})",
                      "quote the value if it is text", "bad-value") from None


def _build(loader: SafeConstructor, node: yaml.Node, loc: Loc, lines: dict[Loc, int],
           depth: int) -> Any:
    if depth > MAX_DEPTH:  # composed by libyaml (see `_plain`): the rule applies here
        raise _refuse(node.start_mark, f"values are nested more than {MAX_DEPTH} levels deep",
                      "flatten the structure (see README: Authoring)", "too-deep")
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                raise _refuse(key_node.start_mark, "merge keys ('<<') are not allowed",
                              "write the keys out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _refuse(key_node.start_mark, "a key must be plain text, not a list or mapping",
                              "write 'key: value'", "yaml-syntax")
            key = _scalar(loader, key_node)
            if key in result:
                raise YamlSyntaxError(key_node.start_mark.line + 1, f"duplicate key {shorten(repr(key))}",
                                      fix=SYNTAX_FIX)
            child = (*loc, key)
            result[key] = _build(loader, value_node, child, lines, depth + 1)
            lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*loc, i), lines, depth + 1) for i, item in enumerate(node.value)]
    return _scalar(loader, node)


def line_of(lines: dict[Loc, int], loc: Loc, default: int = 1) -> int:
    """The line of the deepest known prefix of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return default
