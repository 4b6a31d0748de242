"""`cpom-builder schema`: the JSON Schemas editors use accept what the builder accepts and
reject what it rejects."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from builder.cli import main
from builder.schema import schema_files
from tests.conftest import CONTENT

FENCED = re.compile(r"^```question\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _json_ready(value: Any) -> Any:
    """YAML gives dates as date objects; in the editor they are the strings the author typed."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_files()[name])
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def shipped_curriculum() -> dict[str, Any]:
    return _json_ready(yaml.safe_load((CONTENT / "curriculum.yaml").read_text(encoding="utf-8")))


def test_the_shipped_curriculum_is_valid() -> None:
    assert list(validator("curriculum.schema.json").iter_errors(shipped_curriculum())) == []


@pytest.mark.parametrize(("where", "bad"), [
    (("course",), {"titel": "typo"}),                   # unknown key
    (("modules", 0), {"id": "M01 Intro"}),               # not a slug
    (("modules", 0), {"id": "m01\n"}),                   # trailing newline
    (("course",), {"mastery_score": 1.5}),               # out of range
    (("modules", 0), {"duration": "45 minutes"}),        # not ISO 8601
])
def test_a_known_bad_curriculum_is_rejected(where: tuple[Any, ...], bad: dict[str, Any]) -> None:
    doc = shipped_curriculum()
    node = doc
    for key in where:
        node = node[key]
    node.update(bad)
    assert list(validator("curriculum.schema.json").iter_errors(doc)) != []


def test_every_shipped_question_block_is_valid() -> None:
    check = validator("question.schema.json")
    blocks = [yaml.safe_load(b) for md in sorted((CONTENT / "modules").glob("*.md"))
              for b in FENCED.findall(md.read_text(encoding="utf-8"))]
    assert len(blocks) > 100
    assert [b["id"] for b in blocks if list(check.iter_errors(b))] == []


def test_a_question_of_an_unknown_type_is_rejected() -> None:
    block = {"id": "q1", "goal": "m01-g1", "type": "essay", "prompt": "Why?"}
    assert list(validator("question.schema.json").iter_errors(block)) != []


def test_the_command_writes_both_schemas(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "curriculum.schema.json", "question.schema.json"]
    assert (tmp_path / "s" / "curriculum.schema.json").read_bytes() == schema_files()["curriculum.schema.json"]
