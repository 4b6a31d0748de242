"""The exam's draw groups and the shipped CPOM bank (issue 12): each group's pool is every
item of its goal (or domain) in bank order, and the real bank can fill its draw with new
items, at least four per goal, none of them a module question."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from builder.model import DrawGroup
from builder.pipeline import load_course
from tests.conftest import CONTENT, edit
from tests.unit.exam_case import EXAM_CASE, blocks


def bank_items(content: Path, pattern: str) -> list[dict[str, str]]:
    """Every bank block, banks in name order (what a glob in `banks:` gives)."""
    return [b for path in sorted(content.glob(pattern)) for b in blocks(path)]


def test_per_goal_groups_hold_each_goal_s_items_in_bank_order() -> None:
    course, _ = load_course(EXAM_CASE, jobs=1)
    assert course.exam is not None
    items = bank_items(EXAM_CASE, "exam/*-bank.md")
    goals = [g["id"] for m in yaml.safe_load((EXAM_CASE / "curriculum.yaml").read_text())["modules"]
             for g in m["goals"]]
    expected = [DrawGroup(g, 1, tuple(i["id"] for i in items if i["goal"] == g)) for g in goals]
    assert list(course.exam.draw) == expected
    assert all(len(g.items) == 3 for g in expected)  # the case is written with three per goal


def test_per_domain_groups_hold_each_domain_s_items(case) -> None:
    c = case("exam")
    edit(c / "curriculum.yaml", "domains:\n  - id: d1\n    title: First domain",
         "domains:\n  - id: d1\n    title: First domain\n  - id: d2\n    title: Second domain")
    edit(c / "curriculum.yaml", "    domain: d1\n    source: modules/m2-counting.md",
         "    domain: d2\n    source: modules/m2-counting.md")
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_domain: 2}")
    course, _ = load_course(c, jobs=1)
    assert course.exam is not None
    items = bank_items(c, "exam/*-bank.md")
    by_domain = {"d1": ("m1-g1", "m1-g2"), "d2": ("m2-g1",)}
    assert list(course.exam.draw) == [
        DrawGroup(d, 2, tuple(i["id"] for i in items if i["goal"] in goals)) for d, goals in by_domain.items()]


def test_covers_limits_the_goals_and_groups(case) -> None:
    c = case("exam")
    (c / "exam/counting-bank.md").unlink()
    edit(c / "curriculum.yaml", "  draw: {per_goal: 1}", "  draw: {per_goal: 1}\n  covers: [m1]")
    course, found = load_course(c, jobs=1)
    assert course.exam is not None and not found
    assert [g.id for g in course.exam.goals] == ["m1-g1", "m1-g2"]
    assert [g.group for g in course.exam.draw] == ["m1-g1", "m1-g2"]
    assert [m.id for m in course.exam.covers] == ["m1"]


# --- the shipped CPOM exam ----------------------------------------------------------------

CURRICULUM = yaml.safe_load((CONTENT / "curriculum.yaml").read_text(encoding="utf-8"))
CPOM_BANK = bank_items(CONTENT, "exam/*-bank.md")


def test_the_cpom_bank_fills_its_draw_with_at_least_four_items_per_goal() -> None:
    settings = CURRICULUM["exam"]
    per_goal = settings["draw"]["per_goal"]
    covered = settings.get("covers") or [m["id"] for m in CURRICULUM["modules"]]
    for module in CURRICULUM["modules"]:
        if module["id"] not in covered:
            continue
        for goal in module["goals"]:
            count = sum(1 for item in CPOM_BANK if item["goal"] == goal["id"])
            assert count >= max(4, per_goal), f"goal {goal['id']} has {count} exam items"


def test_the_cpom_bank_ids_are_unique_and_no_module_question_s() -> None:
    ids = [item["id"] for item in CPOM_BANK]
    assert len(ids) == len(set(ids))
    module_ids = {b["id"] for path in (CONTENT / "modules").glob("*.md") for b in blocks(path)}
    assert not set(ids) & module_ids


def normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def test_no_cpom_exam_item_repeats_a_module_question_prompt() -> None:
    module_prompts = {normal(b["prompt"]) for path in (CONTENT / "modules").glob("*.md")
                      for b in blocks(path) if "prompt" in b}
    repeated = [item["id"] for item in CPOM_BANK if normal(item["prompt"]) in module_prompts]
    assert not repeated


def test_the_cpom_evaluation_asks_the_continuing_education_questions() -> None:
    items = blocks(CONTENT / CURRICULUM["exam"]["evaluation"])
    assert 5 <= len(items) <= 7
    assert {i["type"] for i in items} == {"likert", "long-fill-in"}
    assert not [i for i in items if "goal" in i]
