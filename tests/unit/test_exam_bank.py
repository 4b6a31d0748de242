"""Bad exam banks, settings and evaluations: each problem is `path:line: error: what: fix
[code]` at the line to change, and every problem comes out in one run (issue 12)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import edit
from tests.unit.exam_case import line_of, problems

STORAGE = "exam/storage-bank.md"
COUNTING = "exam/counting-bank.md"
EVALUATION = "exam/evaluation.md"


def with_code(found: list[str], code: str) -> list[str]:
    return [m for m in found if m.endswith(f"[{code}]")]


def test_an_item_naming_an_unknown_goal_points_at_its_goal_line(case) -> None:
    c = case("exam")
    line = line_of(c / STORAGE, "goal: m1-g1", line_of(c / STORAGE, "id: s2"))
    edit(c / STORAGE, "id: s2\ngoal: m1-g1", "id: s2\ngoal: m9-g1")
    (msg,) = with_code(problems(c), "exam.unknown-goal")
    assert msg.startswith(f"{STORAGE}:{line}: error: exam item 's2' names goal 'm9-g1'")


def test_an_item_of_a_module_the_exam_does_not_cover_is_refused(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_goal: 1}\n  covers: [m1]")
    found = with_code(problems(c), "exam.unknown-goal")
    lines = {line_of(c / COUNTING, "goal: m2-g1", line_of(c / COUNTING, f"id: {i}")) for i in ("c1", "c2", "c3")}
    assert {m.split(": error")[0] for m in found} == {f"{COUNTING}:{n}" for n in lines}
    assert all("of module 'm2', which the exam does not cover" in m for m in found)


def test_an_item_id_used_in_two_banks_is_a_duplicate(case) -> None:
    c = case("exam")
    edit(c / COUNTING, "id: c2", "id: s1")
    (msg,) = with_code(problems(c), "exam.duplicate-id")
    # a glob's banks are read in name order: counting-bank.md comes first
    first = line_of(c / COUNTING, "id: s1") - 1
    assert msg.startswith(f"{STORAGE}:{line_of(c / STORAGE, 'id: s1') - 1}: error: duplicate exam item id 's1' "
                          f"(first at {COUNTING}:{first})")


def test_an_item_id_of_a_module_question_is_a_duplicate(case) -> None:
    c = case("exam")
    edit(c / STORAGE, "id: s4", "id: q3")
    (msg,) = with_code(problems(c), "exam.duplicate-id")
    module_line = line_of(c / "modules/m1-storage.md", "id: q3") - 1
    assert msg.startswith(f"{STORAGE}:{line_of(c / STORAGE, 'id: q3') - 1}: error: exam item id 'q3' is the id "
                          f"of a module question (modules/m1-storage.md:{module_line})")


def test_a_pool_smaller_than_the_draw_names_goal_counts_and_the_fix(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_goal: 4}")
    found = with_code(problems(c), "exam.pool-too-small")
    assert sorted(found) == sorted([
        f"{COUNTING}:1: error: goal m2-g1 has 3 items but the exam draws 4 per goal: add items or lower draw.per_goal [exam.pool-too-small]",
        f"{STORAGE}:1: error: goal m1-g1 has 3 items but the exam draws 4 per goal: add items or lower draw.per_goal [exam.pool-too-small]",
        f"{STORAGE}:1: error: goal m1-g2 has 3 items but the exam draws 4 per goal: add items or lower draw.per_goal [exam.pool-too-small]",
    ])


def test_a_goal_without_items_is_reported_at_the_draw_setting(case) -> None:
    c = case("exam")
    text = (c / COUNTING).read_text(encoding="utf-8")
    (c / COUNTING).write_text(text.replace("goal: m2-g1", "goal: m1-g2"), encoding="utf-8")
    (msg,) = with_code(problems(c), "exam.pool-too-small")
    assert msg.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'draw:')}: error: goal m2-g1 has no items")


def test_a_domain_pool_smaller_than_the_draw(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_domain: 10}")
    (msg,) = with_code(problems(c), "exam.pool-too-small")
    assert msg.startswith(f"{COUNTING}:1: error: domain d1 has 9 items but the exam draws 10 per domain")


def test_a_scored_type_in_the_evaluation_is_refused_at_its_type_line(case) -> None:
    c = case("exam")
    edit(c / EVALUATION, "type: long-fill-in", "type: fill-in\nanswer: [anything]")
    (msg,) = problems(c)
    assert msg.startswith(f"{EVALUATION}:{line_of(c / EVALUATION, 'type: fill-in')}: error: question type 'fill-in' has right answers")
    assert msg.endswith("use one of: likert, long-fill-in [evaluation.scored-type]")


def test_a_goal_key_in_the_evaluation_is_refused_at_its_line(case) -> None:
    c = case("exam")
    edit(c / EVALUATION, "id: useful\n", "id: useful\ngoal: m1-g1\n")
    (msg,) = problems(c)
    assert msg == (f"{EVALUATION}:{line_of(c / EVALUATION, 'goal: m1-g1')}: error: an evaluation item counts "
                   "toward no mastery goal: remove the 'goal:' line [evaluation.goal]")


def test_an_unscored_item_in_a_bank_is_refused(case) -> None:
    c = case("exam")
    edit(c / STORAGE, "type: true-false\nprompt: Quarantined", "type: likert\nscale: [Agree, Disagree]\nprompt: Quarantined")
    edit(c / STORAGE, 'prompt: Quarantined stock is labelled "do not use" until the manufacturer answers.\nanswer: true',
         'prompt: Quarantined stock is labelled "do not use" until the manufacturer answers.')
    (msg,) = with_code(problems(c), "exam.unscored-item")
    assert msg.startswith(f"{STORAGE}:{line_of(c / STORAGE, 'type: likert')}: error: exam item 's6' is of type 'likert'")


def test_a_missing_bank_file_is_reported_at_its_curriculum_line(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  banks: [exam/*-bank.md]", "  banks:\n    - exam/*-bank.md\n    - exam/extra.md")
    (msg,) = problems(c)
    assert msg == (f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'exam/extra.md')}: error: bank file "
                   "'exam/extra.md' not found: create it or correct the path (relative to content/) [exam.missing-file]")


def test_a_missing_evaluation_file_is_reported_at_its_curriculum_line(case) -> None:
    c = case("exam")
    (c / EVALUATION).unlink()
    (msg,) = problems(c)
    assert msg.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'evaluation:')}: error: evaluation file")
    assert msg.endswith("[exam.missing-file]")


def test_an_exam_id_equal_to_a_module_id_is_refused(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  title: Demo Certification Exam", "  id: m2\n  title: Demo Certification Exam")
    (msg,) = problems(c)
    assert msg.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'id: m2', 30)}: error: exam id 'm2' is the id of a module")
    assert msg.endswith("[exam.id-clash]")


def test_unknown_covered_module_and_certified_path_are_refused(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  certifies: [starter]", "  certifies: [expert]\n  covers: [m1, m3]")
    found = problems(c)
    assert any(m.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'certifies:')}: error: exam certifies "
                            "unknown career path 'expert'") for m in found), found
    assert any(m.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'covers:')}: error: exam covers "
                            "unknown module 'm3'") for m in found), found


def test_a_bad_draw_setting_is_a_curriculum_error(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_goal: 1, per_domain: 2}")
    (msg,) = problems(c)
    assert msg.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'draw:')}: error:")
    assert "exactly one of 'per_goal' and 'per_domain'" in msg


def test_a_question_type_check_in_a_bank_points_at_the_bank(case) -> None:
    c = case("exam")
    edit(c / STORAGE, "  - text: Keep using it\n    correct: true", "  - text: Keep using it")
    (msg,) = problems(c)
    assert msg.startswith(f"{STORAGE}:{line_of(c / STORAGE, 'choices:')}: error: question 's1': no choice is marked correct")


def test_every_problem_of_banks_settings_and_evaluation_comes_out_in_one_run(case) -> None:
    c = case("exam")
    edit(c / STORAGE, "id: s2\ngoal: m1-g1", "id: s2\ngoal: m9-g1")           # unknown goal
    edit(c / COUNTING, "id: c2", "id: s1")                                      # duplicate across banks
    edit(c / STORAGE, "id: s4", "id: q3")                                       # a module question's id
    edit(c / EVALUATION, "type: long-fill-in", "type: fill-in\nanswer: [x]")   # scored in evaluation
    edit(c / EVALUATION, "id: useful\n", "id: useful\ngoal: m1-g1\n")           # goal in evaluation
    edit(c / "curriculum.yaml", "  banks: [exam/*-bank.md]", "  banks: [exam/*-bank.md, exam/gone.md]")
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_goal: 3}")  # pools of 2 and 3
    found = problems(c)
    codes = {m.rsplit("[", 1)[1].rstrip("]") for m in found}
    assert {"exam.unknown-goal", "exam.duplicate-id", "evaluation.scored-type", "evaluation.goal",
            "exam.missing-file", "exam.pool-too-small"} <= codes, found
    assert len(with_code(found, "exam.duplicate-id")) == 2
    assert all(":" in m.split(": error")[0] for m in found)  # every one has path:line


def test_the_shipped_course_has_no_exam_problem() -> None:
    from builder.pipeline import load_course
    from tests.conftest import CONTENT

    course, found = load_course(Path(CONTENT), jobs=1)
    assert course.exam is not None
    assert not [d for d in found if d.code.startswith(("exam.", "evaluation."))]


def test_a_bad_exam_setting_does_not_hide_the_modules_problems(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "  attempts: 2", "  attempts: 0")
    edit(c / "modules/m1-storage.md", "  - text: 2 to 8 °C\n    correct: true", "  - text: 2 to 8 °C")
    found = problems(c)
    assert any(m.startswith(f"curriculum.yaml:{line_of(c / 'curriculum.yaml', 'attempts:')}: error: exam.attempts is 0, out of range")
               for m in found), found
    assert any(m.startswith("modules/m1-storage.md:") and "no choice is marked correct" in m for m in found), found
