"""The report's quick course load (builder.report.course) reads the same curriculum and
questions as the full load, and a course with errors still stops with the full load's
diagnostics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.errors import BuildFailed
from builder.pipeline import load_course
from builder.report import course as quick
from tests.conftest import CASES, CONTENT


def vocabulary(course: object) -> list[object]:
    return [(m.ref, m.title, [(p.question, p.line, p.key_lines, p.screen) for p in m.questions])
            for m in course.modules]  # type: ignore[attr-defined]


@pytest.mark.parametrize("content", [CONTENT, CASES / "minimal", CASES / "new-types"],
                         ids=lambda p: p.name)
def test_the_quick_load_reads_what_the_full_load_reads(content: Path) -> None:
    # The quick path itself (not its fallback to the full load) gives the full load's questions.
    assert vocabulary(quick._quick(content)) == vocabulary(load_course(content)[0])


def test_a_broken_question_block_stops_with_the_full_loads_diagnostic(tmp_path: Path) -> None:
    content = tmp_path / "course"
    shutil.copytree(CASES / "minimal", content)
    module = next((content / "modules").glob("*.md"))
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("goal:", "goal: [", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        quick.load_for_report(content)
    assert any(d.code.startswith("question.") for d in failed.value.diagnostics)
