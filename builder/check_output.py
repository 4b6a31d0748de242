"""How `check` prints diagnostics: for a person (text), for a program (json), or as GitHub
Actions workflow commands (github) so CI annotates the offending source line."""

from __future__ import annotations

import json
from collections.abc import Sequence

from builder.errors import Diagnostic, Severity

FORMATS = ("text", "json", "github")


def _escape_data(text: str) -> str:
    # Workflow-command message escaping (GitHub Actions "Workflow commands" reference).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # Property values additionally escape the separators of the property list.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(d: Diagnostic) -> str:
    """`::error file=…,line=…,title=…::message: fix` (a warning for warnings)."""
    props = [f"file={_escape_property(d.path)}"]
    if d.line > 0:
        props.append(f"line={d.line}")
    props.append(f"title={_escape_property(d.code)}")
    return f"::{d.severity.value} {','.join(props)}::{_escape_data(f'{d.message}: {d.fix}')}"


def as_json(diagnostics: Sequence[Diagnostic], counts: dict[str, int] | None) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    doc = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [{"path": d.path, "line": d.line, "severity": d.severity.value,
                         "code": d.code, "message": d.message, "fix": d.fix}
                        for d in diagnostics],
        "course": counts,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


__all__ = ["FORMATS", "as_json", "github_line"]
