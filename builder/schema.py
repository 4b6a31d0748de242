"""`cpom-builder schema`: JSON Schemas for the two things authors write in YAML, generated
from the same pydantic models the builder validates with, so an editor's completion and
errors can never disagree with the build.

Editors pick the curriculum schema up from a modeline at the top of curriculum.yaml
(`# yaml-language-server: $schema=…`, read by VS Code's YAML extension); the question
schema serves tools and CI jobs that check question blocks outside the builder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from builder.model import Curriculum
from builder.questions import Question

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
CURRICULUM_SCHEMA = "curriculum.schema.json"
QUESTION_SCHEMA = "question.schema.json"
SCHEMA_DIR = ".schemas"  # inside the content folder, next to what it describes
MODELINE = f"# yaml-language-server: $schema={SCHEMA_DIR}/{CURRICULUM_SCHEMA}"


END = "(?![\\s\\S])"  # end of input in ECMA-262 and Python alike


def _anchored(pattern: str) -> str:
    for tail in ("\\Z", "$"):
        if pattern.endswith(tail) and not pattern.endswith("\\" + tail):
            return pattern[: -len(tail)] + END
    return pattern


def _portable_patterns(node: Any) -> Any:
    """Make every pattern end at the very end of the value in any regex dialect.

    Editors evaluate JSON Schema patterns as ECMA-262 regexes, which have no `\\Z`; Python
    validators (jsonschema) let `$` match before a trailing newline, which would accept
    "m01\\n". A negative lookahead for any character means "end of input" in both."""
    if isinstance(node, dict):
        return {k: (_anchored(v) if k == "pattern" and isinstance(v, str)
                    else _portable_patterns(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_portable_patterns(v) for v in node]
    return node


def _document(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    body = _portable_patterns(schema)
    return {"$schema": SCHEMA_DIALECT, "title": title, "description": description, **body}


def curriculum_schema() -> dict[str, Any]:
    return _document(Curriculum.model_json_schema(), "CPOM builder curriculum",
                     "content/curriculum.yaml: the course, its domains, modules, goals and paths.")


def question_schema() -> dict[str, Any]:
    schema = TypeAdapter(Question).json_schema()
    return _document(schema, "CPOM builder question block",
                     "The YAML body of a ```question fenced block in a module.")


def schema_files() -> dict[str, bytes]:
    """File name -> bytes; sorted keys and a final newline keep the output byte-stable."""
    return {name: (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
            for name, doc in ((CURRICULUM_SCHEMA, curriculum_schema()),
                              (QUESTION_SCHEMA, question_schema()))}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in schema_files().items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


__all__ = ["CURRICULUM_SCHEMA", "MODELINE", "QUESTION_SCHEMA", "SCHEMA_DIR", "curriculum_schema",
           "question_schema", "schema_files", "write_schemas"]
