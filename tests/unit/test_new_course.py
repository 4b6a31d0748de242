"""`cpom-builder new DIR`: a starter course that checks clean and builds at once, and never
writes over an existing folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import build_packages, load_course
from builder.questions import QUESTION_TYPES
from builder.schema import schema_files


def test_new_course_checks_clean_with_every_question_type(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "course")]) == 0
    course, problems = load_course(tmp_path / "course")
    assert problems == []
    assert len(course.modules) == 2
    assert {p.question.type for m in course.modules for p in m.questions} == set(QUESTION_TYPES)


def test_new_course_builds_with_a_callout_and_an_image_with_alt_text(tmp_path: Path) -> None:
    main(["new", str(tmp_path / "course")])
    result = build_packages(tmp_path / "course")
    assert result.diagnostics == []
    course, _ = load_course(tmp_path / "course")
    html = "".join(s.html for m in course.modules for s in m.screens)
    assert 'class="callout callout-' in html
    assert '<img alt="A module drawn as three screens' in html
    assert [a.target.rsplit(".", 1)[-1] for m in course.modules for a in m.assets] == ["svg"]


def test_new_course_carries_the_editor_schema_its_modeline_names(tmp_path: Path) -> None:
    main(["new", str(tmp_path / "course")])
    first = (tmp_path / "course" / "curriculum.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=.schemas/curriculum.schema.json"
    written = (tmp_path / "course" / ".schemas" / "curriculum.schema.json").read_bytes()
    assert written == schema_files()["curriculum.schema.json"]


def test_new_refuses_a_folder_that_has_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.md").write_text("my work", encoding="utf-8")
    assert main(["new", str(target)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in target.iterdir()] == ["notes.md"]
    assert (target / "notes.md").read_text(encoding="utf-8") == "my work"
