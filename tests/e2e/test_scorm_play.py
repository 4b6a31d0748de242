"""Every module of the course, played in Chromium under scorm-again acting as the LMS:
SCORM 1.2 and 2004, whole-course and single-module packages, for a diligent learner, a
struggling one and one who leaves half-way and comes back."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import unzip
from tests.e2e.learner import (
    CURRICULUM,
    MODULES,
    SCORM12,
    SCORM2004,
    Learner,
    Scorm,
    lms_config,
    questions,
)

MODULE_IDS = [m["id"] for m in CURRICULUM["modules"]]
KINDS = ["course", "single"]
VERSIONS = [SCORM12, SCORM2004]


def package_of(version: Scorm, kind: str, module_id: str) -> str:
    fmt = "scorm12" if version.is12 else "scorm2004"
    return f"cpom-{fmt}" if kind == "course" else f"cpom-{module_id}-{fmt}"


def launch(page, base_url: str, course_packages: dict[str, bytes], version: Scorm, kind: str,
           module_id: str, correct: bool = True, resume: dict | None = None,
           query: dict[str, str] | None = None) -> Learner:
    name = package_of(version, kind, module_id)
    zip_name = f"{name}.zip" if kind == "course" else f"modules/{name}.zip"
    manifest = unzip(course_packages[zip_name])["imsmanifest.xml"]
    sco = f"/pkg/{name}/{module_id}/index.html" + (f"?{urlencode(query)}" if query else "")
    config = lms_config(version, sco, manifest, f"item-{module_id}", resume)
    learner = Learner(page, module_id, correct=correct)
    learner.launch(base_url, config)
    return learner


def flat(cmi: Any, prefix: str = "cmi") -> dict[str, str]:
    """scorm-again's cmi JSON flattened to dotted element names."""
    out: dict[str, str] = {}
    if isinstance(cmi, dict):
        for k, v in cmi.items():
            out.update(flat(v, f"{prefix}.{k}"))
    else:
        out[prefix] = "" if cmi is None else str(cmi)
    return out


def records(state: dict[str, str], prefix: str) -> list[dict[str, str]]:
    """`cmi.objectives.0.id` ... → [{'id': ...}, ...]"""
    rows: dict[int, dict[str, str]] = {}
    for key, value in state.items():
        if key.startswith(prefix + "."):
            rest = key[len(prefix) + 1:]
            index, _, field = rest.partition(".")
            if index.isdigit():
                rows.setdefault(int(index), {})[field] = value
    return [rows[i] for i in sorted(rows)]


def assert_no_scorm_errors(learner: Learner) -> None:
    bad = [c for c in learner.lms_log() if c["error"] not in ("0", "")]
    assert bad == [], bad[:5]
    assert learner.page.js_errors == []


def goal_ids(module_id: str) -> list[str]:
    return [g["id"] for g in MODULES[module_id]["goals"]]


def expected_goal_scores(module_id: str, correct: bool) -> dict[str, float]:
    return {g: 1.0 if correct else 0.0 for g in goal_ids(module_id)}


def check_finished(version: Scorm, module_id: str, state: dict[str, str], correct: bool) -> None:
    qs = questions(module_id)
    status = "passed" if correct else "failed"
    interactions = records(state, "cmi.interactions")
    assert sorted(i["id"] for i in interactions) == sorted(f"{module_id}-{q['id']}" for q in qs)
    by_id = {i["id"]: i for i in interactions}
    for q in qs:
        i = by_id[f"{module_id}-{q['id']}"]
        assert i["type"] == {"multiple-choice": "choice"}.get(q["type"], q["type"])
        assert i["objectives.0.id"] == q["goal"]
    objectives = {o["id"]: o for o in records(state, "cmi.objectives")}
    for goal in goal_ids(module_id):
        assert goal in objectives, (goal, list(objectives))
    if version.is12:
        assert state["cmi.core.lesson_status"] == status
        assert float(state["cmi.core.score.raw"]) == (100.0 if correct else 0.0)
        assert all(i["result"] == ("correct" if correct else "wrong") for i in interactions)
        for goal in goal_ids(module_id):
            assert objectives[goal]["status"] == status
            assert float(objectives[goal]["score.raw"]) == (100.0 if correct else 0.0)
        assert state["cmi.core.exit"] == ""
    else:
        assert state["cmi.completion_status"] == "completed"
        assert state["cmi.success_status"] == status
        assert float(state["cmi.score.scaled"]) == (1.0 if correct else 0.0)
        assert all(i["result"] == ("correct" if correct else "incorrect") for i in interactions)
        for goal in goal_ids(module_id):
            assert objectives[goal]["success_status"] == status
            assert float(objectives[goal]["score.scaled"]) == (1.0 if correct else 0.0)
        # objectives pre-loaded from the manifest are reused, never duplicated
        ids = [o["id"] for o in records(state, "cmi.objectives")]
        assert len(ids) == len(set(ids)) == len(goal_ids(module_id)) + 1
        assert state["cmi.exit"] == "normal"


@pytest.mark.parametrize("correct", [True, False], ids=["diligent", "struggling"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("version", VERSIONS, ids=["scorm12", "scorm2004"])
@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_learner_result_is_recorded(page, base_url, course_packages, version, kind, module_id, correct) -> None:
    """Diligent: completed, passed, scaled 1.0, every goal passed. Struggling: completed,
    failed, every goal failed. One interaction per question either way."""
    learner = launch(page, base_url, course_packages, version, kind, module_id, correct=correct)
    learner.play_screens()
    learner.finish()
    state = flat(learner.lms_state())
    check_finished(version, module_id, state, correct=correct)
    assert_no_scorm_errors(learner)
