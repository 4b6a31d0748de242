"""Turn pydantic validation errors into diagnostics with a source line and a fix."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from builder.errors import Diagnostic
from builder.yamlsource import Loc, line_of, shorten

# pydantic names union members in an error's loc ('float', 'tuple[float, float]'): not keys.
_UNION_LABEL = re.compile(r"^(float|int|str|bool|tuple\[.*\]|list\[.*\]|is-instance\[.*\]|function-.*)\Z")

_PATTERN_FIXES = {
    "id": "use lower-case letters, digits and hyphens, starting with a letter or digit",
    "domain": "use the id of a domain listed under 'domains'",
    "goal": "use the id of one of this module's goals",
    "duration": "use an ISO 8601 duration such as PT45M or PT1H30M",
    "version": "use numbers separated by dots, such as 1.0.0",
    "language": "use a language tag such as en-US",
    "modules": "use module ids: lower-case letters, digits and hyphens",
}


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc` inside `model` (for did-you-mean hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else current
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = field.annotation
        members = [a for a in typing.get_args(current) if a is not type(None)]
        if typing.get_origin(current) is typing.Union and members:
            current = members[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        text = shorten(part, 40)
        out += f"[{text}]" if isinstance(part, int) else (f".{text}" if out else text)
    return out or "(top level)"


def translate(
    exc: ValidationError,
    *,
    path: str,
    lines: dict[Loc, int],
    model: type[BaseModel],
    area: str,
    line_offset: int = 0,
    strip_tag: bool = False,
) -> list[Diagnostic]:
    """Diagnostics for every error in `exc`, each pointing at the YAML line it concerns.

    `strip_tag` drops the discriminator value pydantic puts first in a tagged union's loc.
    """
    out: list[tuple[Diagnostic, bool]] = []
    for err in exc.errors():
        loc: Loc = tuple(err["loc"])
        kind = err["type"]
        sub_model = model
        if strip_tag and loc and isinstance(loc[0], str) and kind not in (
            "union_tag_invalid",
            "union_tag_not_found",
        ):
            from builder.questions import BY_NAME  # local: only questions use tagged unions

            question_kind = BY_NAME.get(str(loc[0]))
            sub_model = question_kind.model if question_kind is not None else model
            loc = loc[1:]
        if kind == "union_tag_invalid":
            loc = (*loc, "type")  # point at the 'type:' line, not the block's first line
        # pydantic reports tuple/union members as extra loc parts such as 'float'
        plain = tuple(p for p in loc if not (isinstance(p, str) and _UNION_LABEL.match(p)))
        in_union = plain != loc
        loc = plain
        line = line_of(lines, loc) + line_offset
        name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        value = err.get("input")
        message, fix, code = _explain(kind, loc, name, value, err, sub_model)
        out.append((Diagnostic(path, line, message, fix, f"{area}.{code}"), in_union))
    return _one_per_union(out)


def _one_per_union(found: list[tuple[Diagnostic, bool]]) -> list[Diagnostic]:
    """A value that fits no member of a union (a number or a range) fails once per member;
    keep one error per line for those: a wrong value rather than a wrong type."""
    kept: list[Diagnostic] = []
    union_at: dict[int, int] = {}  # line -> index in kept
    for d, in_union in found:
        if not in_union:
            kept.append(d)
        elif d.line not in union_at:
            union_at[d.line] = len(kept)
            kept.append(d)
        elif kept[union_at[d.line]].code.endswith(".type") and not d.code.endswith(".type"):
            kept[union_at[d.line]] = d
    return kept


def _explain(
    kind: str, loc: Loc, name: str, value: Any, err: Any, model: type[BaseModel]
) -> tuple[str, str, str]:
    where = _dotted(loc)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        return f"unknown key '{shorten(loc[-1], 40)}' in {_dotted(loc[:-1])}", f"remove it ({hint})", "unknown-key"
    if kind == "missing":
        return f"missing key '{name}' in {_dotted(loc[:-1])}", f"add '{name}:'", "missing-key"
    if kind == "string_pattern_mismatch":
        fix = _PATTERN_FIXES.get(name, "")
        if name == "id" and loc[:1] == ("course",):
            fix = "use an absolute IRI such as https://example.org/xapi/courses/cpom"
        if isinstance(loc[-1], int) and len(loc) > 1:
            fix = _PATTERN_FIXES.get(str(loc[-2]), fix)
        return f"{where} '{shorten(value)}' is not valid", fix or "correct the value", "bad-value"
    if kind == "string_too_long":
        limit = err["ctx"]["max_length"]
        return (f"{where} is {len(value)} characters long, more than {limit}",
                f"shorten it to at most {limit} characters (LMSs cut or refuse longer titles)",
                "length")
    if kind == "finite_number":
        return (f"{where} is {value}, not a finite number", "write an ordinary number",
                "not-finite")
    if kind in ("too_short", "too_long"):
        return f"{where}: {err['msg'].lower()}", "add or remove entries", "length"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if name in ("mastery_score", "pass_mark"):
            return f"{where} is {value}, out of range", "use a scaled score from 0 to 1", "range"
        bound = str(err["msg"]).removeprefix("Input should be ")
        return f"{where} is {value}, out of range", f"use a number {bound}", "range"
    if kind == "union_tag_invalid":
        from builder.questions import QUESTION_TYPES

        return (
            f"unknown question type '{err['ctx']['tag']}'",
            f"use one of {', '.join(QUESTION_TYPES)}",
            "unknown-type",
        )
    if kind == "union_tag_not_found":
        return "question has no 'type'", "add 'type:' (for example 'type: choice')", "missing-key"
    if kind in {"model_type", "dict_type"}:
        return f"{where} should be a mapping of keys, got {shorten(repr(value))}", "write 'key: value' lines", "type"
    expected = {
        "string_type": "text",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "list_type": "a list",
        "float_type": "a number",
        "float_parsing": "a number",
        "tuple_type": "a two-item list",
    }.get(kind)
    if expected:
        return f"{where} should be {expected}, got {shorten(repr(value))}", f"write {expected}", "type"
    return f"{where}: {err['msg']}", "correct the value", "invalid"
