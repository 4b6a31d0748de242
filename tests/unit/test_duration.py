"""Honest seat time: the estimate is words at a stated reading speed plus a time per
question by type, and a declared duration more than 25% away from it is a warning at the
curriculum line that declares it."""

from __future__ import annotations

import pytest

from builder.duration import declared_minutes, estimated_minutes, suggested_duration
from builder.errors import BuildFailed
from builder.pipeline import load_course
from tests.conftest import edit


@pytest.mark.parametrize(("iso", "minutes"), [("PT45M", 45), ("PT1H30M", 90), ("PT2H", 120),
                                              ("PT90S", 1.5), ("P1D", 1440)])
def test_declared_minutes_reads_iso_durations(iso: str, minutes: float) -> None:
    assert declared_minutes(iso) == minutes


@pytest.mark.parametrize(("minutes", "iso"), [(7.1, "PT10M"), (30, "PT30M"), (61, "PT1H5M"),
                                              (120, "PT2H"), (0.2, "PT5M")])
def test_suggestion_rounds_up_to_five_minutes(minutes: float, iso: str) -> None:
    assert suggested_duration(minutes) == iso


def test_estimate_is_reading_plus_answering(case) -> None:
    course, _ = load_course(case())
    m2 = next(m for m in course.modules if m.ref.id == "m2")
    # Worked by hand from tests/cases/minimal/modules/m2-counting.md: 15 words of text
    # (heading 2 + sentence 13) at 200 per minute, two numeric items (2 min each), a
    # fill-in (1 min) and a matching item (2 min).
    assert m2.words == 15
    assert estimated_minutes(m2) == pytest.approx(15 / 200 + 2 + 2 + 1 + 2)


def test_a_duration_far_from_the_estimate_is_a_warning_at_its_line(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT7M", "    duration: PT1H")
    _, problems = load_course(c)
    assert [d.format().split("/")[-1] for d in problems] == [
        ("curriculum.yaml:27: warning: module 'm2' declares PT1H (60 min) but takes about 7 min "
        "(15 words at 200 per minute and 4 questions): set 'duration: PT10M' or change the "
        "module [curriculum.duration-estimate]")]


def test_a_duration_within_a_quarter_of_the_estimate_is_accepted(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT7M", "    duration: PT8M")  # 8 vs 7.1: +13%
    _, problems = load_course(c)
    assert problems == []


def test_a_missing_duration_is_judged_by_its_default_at_the_module_line(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT7M\n", "")
    _, problems = load_course(c)
    (warning,) = problems
    assert warning.line == 22 and "declares PT30M" in warning.message


def test_no_estimate_while_the_curriculum_has_errors(case) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT7M", "    duraton: PT7M")
    with pytest.raises(BuildFailed) as failed:
        load_course(c)
    assert [d.code for d in failed.value.diagnostics] == ["curriculum.unknown-key"]
