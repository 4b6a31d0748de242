"""The shipped CPOM course meets the bar the curriculum promises: every module long enough
to teach, every mastery goal checked at least twice, a mix of question types."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from builder.duration import declared_minutes, estimated_minutes
from builder.pipeline import load_course
from tests.conftest import CONTENT, unzip

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


# --- certification grade (issue 11): current, sourced, applied, illustrated ---------------

RELEASED = COURSE.curriculum.course.released
DOMAINS = [d.id for d in COURSE.curriculum.domains]
SVG = "{http://www.w3.org/2000/svg}"


def _screen_words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def _linked(module_id: str, suffix: str) -> list[Path]:
    """Files of one kind that a module's Markdown references (images or links)."""
    module = MODULES[module_id]
    source = CONTENT / module.ref.source
    refs = re.findall(r"\]\(([^)\s]+)\)", source.read_text(encoding="utf-8"))
    return [(source.parent / r).resolve() for r in refs if r.lower().endswith(suffix)]


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_module_has_a_decision_scenario_that_asks_the_learner(module_id: str) -> None:
    module = MODULES[module_id]
    decisions = [n for n, s in enumerate(module.screens) if s.title.startswith("Decision:")]
    assert decisions, "no screen titled 'Decision: …'"
    for n in decisions:
        assert "callout-scenario" in module.screens[n].html
        kinds = {p.question.type for p in module.questions if p.screen == n}
        assert "choice" in kinds


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_module_ends_with_a_dated_sources_screen(module_id: str) -> None:
    last = MODULES[module_id].screens[-1]
    assert last.title == "Sources"
    assert f"Current as of {RELEASED.day} {RELEASED:%B %Y}." in last.html
    assert last.html.count("<li>") >= 3
    assert "illustrative" in last.html


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_no_screen_runs_past_800_words(module_id: str) -> None:
    long = {s.title: _screen_words(s.html) for s in MODULES[module_id].screens
            if _screen_words(s.html) > 800}
    assert long == {}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_domain_has_an_accessible_diagram(domain: str) -> None:
    svgs = [p for m in COURSE.modules if m.ref.domain == domain for p in _linked(m.ref.id, ".svg")]
    assert svgs, f"no diagram in domain {domain}"
    for path in svgs:
        root = etree.parse(str(path)).getroot()
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and (title.text or "").strip()
        assert desc is not None and (desc.text or "").strip()
        assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}


def test_diagrams_have_alt_text_in_the_page(course_packages: dict[str, bytes]) -> None:
    pages = [data.decode() for zip_bytes in [course_packages["cpom-scorm2004.zip"]]
             for name, data in unzip(zip_bytes).items() if name.endswith("index.html")]
    images = [img for page in pages for img in re.findall(r"<img\b[^>]*>", page)]
    assert images
    assert all(re.search(r'alt="[^"]{10,}"', img) for img in images)


def test_at_least_five_job_aids_are_bundled_and_open(course_packages: dict[str, bytes]) -> None:
    aids = sorted({p for m in MODULES for p in _linked(m, ".csv")})
    assert len(aids) >= 5
    bundled = unzip(course_packages["cpom-scorm2004.zip"])
    for path in aids:
        data = path.read_bytes()
        assert data in bundled.values(), f"{path.name} is not in the package"
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert len(rows) >= 3 and len(rows[0]) >= 2
        # A job aid must be safe to open in Excel: no cell may start a formula.
        assert [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@")] == []


@pytest.mark.parametrize("module_id", sorted(MODULES))
def test_declared_duration_is_within_a_quarter_of_the_estimate(module_id: str) -> None:
    module = MODULES[module_id]
    estimate = estimated_minutes(module)
    assert abs(declared_minutes(module.ref.duration) - estimate) <= 0.25 * estimate


def test_sources_use_us_spelling() -> None:
    texts = [(CONTENT / "curriculum.yaml").read_text(encoding="utf-8")]
    texts += [(CONTENT / m.ref.source).read_text(encoding="utf-8") for m in COURSE.modules]
    assert [t for t in texts if re.search(r"\bprogrammes?\b", t)] == []


def test_a_cast_list_names_the_recurring_people() -> None:
    cast = (CONTENT / "cast.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\*\*([A-Z][a-z]+ [A-Z][a-z]+)", cast))
    assert {"Dana Whitfield", "Marcus Oyelaran"} <= named
    # Everyone the cast list names keeps one job: the role after their name appears once.
    for person in named:
        roles = set(re.findall(rf"\*\*{person}[^*]*\*\*:?\s*([^.\n(]+)", cast))
        assert len(roles) == 1, (person, roles)
