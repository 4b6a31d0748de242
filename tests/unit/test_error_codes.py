"""Every diagnostic code the builder can emit is documented in the README's error table, so a
new code without documentation fails here. Codes are read from the source with `ast`: whole
literals (`"question.duplicate-option"`) and the two built ones, `f"{area}.{kind}"` from the
schema-error translator and `f"curriculum.{exc.code}"` from the YAML reader. Codes must be
spelled out in full in the table."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

BUILDER = ROOT / "builder"
AREAS = ("curriculum", "question", "module", "goal", "callout", "reference", "xapi", "manifest",
         "exam", "evaluation")
CODE = re.compile(rf"^(?:{'|'.join(AREAS)})\.[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_NAMES = {"curriculum.yaml"}  # literals shaped like a code that name a file
# Kinds the translator gives only for a tagged union, which only question blocks have.
UNION_ONLY = {"unknown-type"}
KIND = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _trees() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(BUILDER.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _literal_codes() -> set[str]:
    return {node.value for _, tree in _trees() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and CODE.match(node.value) and node.value not in FILE_NAMES}


def _built_prefixes() -> set[str]:
    """Areas of f-strings shaped `"<area>.{…}"` (e.g. f"question.{exc.code}")."""
    found = set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and len(node.values) == 2:
                head, tail = node.values
                if (isinstance(head, ast.Constant) and isinstance(tail, ast.FormattedValue)
                        and isinstance(head.value, str) and head.value.rstrip(".") in AREAS
                        and head.value.endswith(".")):
                    found.add(head.value.rstrip("."))
    return found


def _function(name: str) -> ast.FunctionDef:
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
    raise AssertionError(f"{name} not found in builder/")


def _schema_kinds() -> set[str]:
    """The last item of every (message, fix, kind) the schema-error translator returns."""
    kinds = set()
    for node in ast.walk(_function("_explain")):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            last = node.value.elts[-1]
            if isinstance(last, ast.Constant) and isinstance(last.value, str):
                kinds.add(last.value)
    return kinds


def _schema_areas() -> set[str]:
    """The `area=` every caller passes to the translator."""
    return {kw.value.value for _, tree in _trees() for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "translate"
            for kw in node.keywords
            if kw.arg == "area" and isinstance(kw.value, ast.Constant)}


def _yaml_kinds() -> set[str]:
    """The codes the YAML reader raises: parameter defaults and explicit `code` arguments."""
    tree = ast.parse((BUILDER / "yamlsource.py").read_text(encoding="utf-8"))
    kinds = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arguments):
            names = [a.arg for a in node.args][-len(node.defaults):] if node.defaults else []
            kinds |= {d.value for n, d in zip(names, node.defaults, strict=True)
                      if n == "code" and isinstance(d, ast.Constant)}
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"_refuse", "YamlSyntaxError"}:
            kinds |= {a.value for a in node.args[3:] if isinstance(a, ast.Constant)}
            kinds |= {k.value.value for k in node.keywords
                      if k.arg == "code" and isinstance(k.value, ast.Constant)}
    return {k for k in kinds if isinstance(k, str) and KIND.match(k)}


def emitted_codes() -> set[str]:
    codes = _literal_codes()
    codes |= {f"{area}.{kind}" for area in _schema_areas() for kind in _schema_kinds()
              if area == "question" or kind not in UNION_ONLY}
    codes |= {f"{area}.{kind}" for area in _built_prefixes() for kind in _yaml_kinds()}
    return codes


def documented() -> set[str]:
    """Backticked codes in the first column of the README's error table, spelled out in full
    (no `*.type`: an author searching for the code they were shown must find it)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Errors", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {code for row in rows for code in re.findall(r"`([^`]+)`", row)}


def test_the_collector_finds_literal_and_built_codes() -> None:
    codes = emitted_codes()
    assert "question.duplicate-option" in codes  # a literal
    assert "curriculum.unknown-key" in codes  # built by the schema-error translator
    assert "question.yaml-unsupported" in codes  # built from the YAML reader's codes


def test_every_emitted_code_is_in_the_readme_table() -> None:
    table = documented()
    missing = sorted(emitted_codes() - table)
    assert missing == [], f"add these codes to the README's error table: {missing}"
