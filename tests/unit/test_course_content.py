"""The shipped CPOM course meets the bar the curriculum promises: every module long enough
to teach, every mastery goal checked at least twice, a mix of question types."""

from __future__ import annotations

from collections import Counter

import pytest

from builder.pipeline import load_course
from tests.conftest import CONTENT

COURSE, PROBLEMS = load_course(CONTENT)
MODULES = {m.ref.id: m for m in COURSE.modules}


def test_the_course_has_twenty_modules_and_no_warnings() -> None:
    assert len(COURSE.modules) == 20
    assert PROBLEMS == []


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_module_has_at_least_1200_words(module_id: str) -> None:
    assert MODULES[module_id].words >= 1200


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_every_goal_has_at_least_two_questions(module_id: str) -> None:
    module = MODULES[module_id]
    per_goal = Counter(p.question.goal for p in module.questions)
    assert {g.id: per_goal[g.id] for g in module.ref.goals if per_goal[g.id] < 2} == {}
    assert 2 <= len(module.ref.goals) <= 4


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_module_mixes_question_types_and_has_several_screens(module_id: str) -> None:
    module = MODULES[module_id]
    assert len({p.question.type for p in module.questions}) >= 4
    assert len(module.screens) >= 5


def test_career_paths_follow_the_outline() -> None:
    paths = {p.id: p.modules for p in COURSE.curriculum.paths}
    assert paths["aspiring-leader"] == ["m01", "m02", "m07", "m10"]
    assert paths["new-manager"] == ["m03", "m06", "m12", "m13", "m15", "m16"]
    assert paths["experienced-manager"] == ["m04", "m05", "m09", "m11", "m17", "m19"]
    assert len(paths["director"]) == 20
