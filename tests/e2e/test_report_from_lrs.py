"""End to end: learners with known outcomes take the built cmi5 packages in Chromium, their
statements go to a fresh real LRS, and the report read from that LRS must show exactly what
they did."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import load_course
from builder.report.run import LrsSettings, make_report
from tests.conftest import CONTENT
from tests.e2e.learner import MODULES, questions
from tests.e2e.xapi_support import launch_cmi5, new_learner, wait_delivered
from tests.lrs.server import Lrs

MODULE = "m01"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def fresh_lrs(lms_state):
    """A new, empty LRS behind the test LMS for this test only."""
    lrs = Lrs().start()
    previous, lms_state.lrs_endpoint = lms_state.lrs_endpoint, lrs.endpoint
    yield lrs
    lms_state.lrs_endpoint = previous
    lrs.close()


def test_report_from_the_lrs_matches_what_the_learners_did(page, browser, base_url, lms_state, fresh_lrs, tmp_path) -> None:
    diligent, struggling, interrupted = new_learner(), new_learner(), new_learner()
    for who, correct in ((diligent, True), (struggling, False)):
        learner, _ = launch_cmi5(page, base_url, lms_state, MODULE, who, correct=correct)
        learner.play_screens()
        learner.finish()
        wait_delivered(page)
    learner, _ = launch_cmi5(page, base_url, lms_state, MODULE, interrupted)
    learner.play_screens(learner.screen_count() // 2)
    half = list(learner.answered)
    wait_delivered(page)
    page.goto("about:blank")

    settings = LrsSettings(fresh_lrs.endpoint, "cpom-test", "cpom-test-secret")
    course, _ = load_course(CONTENT)
    _report, stats, _ = make_report(course, tmp_path, lrs=settings)
    assert stats.bad == 0

    def key(who):
        return f"{who['account']['homePage']}|{who['account']['name']}"

    learners = {r["learner"]: r for r in rows(tmp_path / "learners.csv")}
    assert set(learners) == {key(diligent), key(struggling), key(interrupted)}
    goals = [g["id"] for g in MODULES[MODULE]["goals"]]
    qs = questions(MODULE)
    done_goals = [g for g in goals if all(q["id"] in half for q in qs if q["goal"] == g)]
    d, s, i = learners[key(diligent)], learners[key(struggling)], learners[key(interrupted)]
    assert (d["modules_started"], d["modules_completed"], d["modules_passed"], d["goals_met"]) == ("1", "1", "1", str(len(goals)))
    assert (s["modules_started"], s["modules_completed"], s["modules_passed"], s["goals_met"]) == ("1", "1", "0", "0")
    assert (i["modules_started"], i["modules_completed"], i["modules_passed"], i["goals_met"]) == ("1", "0", "0", str(len(done_goals)))
    assert (d[f"score_{MODULE}"], s[f"score_{MODULE}"], i[f"score_{MODULE}"]) == ("1.0", "0.0", "")
    assert all(r["last_activity"].endswith("Z") for r in learners.values())

    module = {r["module"]: r for r in rows(tmp_path / "modules.csv")}[MODULE]
    assert (module["learners_started"], module["learners_completed"], module["learners_passed"]) == ("3", "2", "1")
    assert module["pass_rate"] == "0.3333" and module["completion_rate"] == "0.6667"

    goal_rows = {r["goal"]: r for r in rows(tmp_path / "goals.csv") if r["module"] == MODULE}
    for g in goals:
        attempted = 2 + (g in done_goals)
        met = 1 + (g in done_goals)
        assert (goal_rows[g]["learners_attempted"], goal_rows[g]["learners_met"]) == (str(attempted), str(met))

    question_rows = {r["question"]: r for r in rows(tmp_path / "questions.csv") if r["module"] == MODULE}
    for q in qs:
        row = question_rows[q["id"]]
        attempts = 2 + (q["id"] in half)
        correct = 1 + (q["id"] in half)
        assert (row["attempts"], row["correct"]) == (str(attempts), str(correct)), q["id"]
        assert row["most_chosen_wrong_count"] == "1"
        # only finished learners have a module score: diligent (right, 1.0), struggling (wrong, 0.0)
        assert row["discrimination"] == "1.0"

    paths = [r for r in rows(tmp_path / "paths.csv") if r["path"] == "aspiring-leader"]
    assert {(r["learner"], r["modules_done"], r["completed"]) for r in paths} == {
        (key(diligent), "1", "False"), (key(struggling), "0", "False"), (key(interrupted), "0", "False")}


def test_bad_credentials_are_reported_clearly(fresh_lrs, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LRS_ENDPOINT", fresh_lrs.endpoint)
    monkeypatch.setenv("LRS_USERNAME", "cpom-test")
    monkeypatch.setenv("LRS_PASSWORD", "wrong")
    assert main(["report", "--content", str(CONTENT), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"error: {fresh_lrs.endpoint}: the LRS refused the credentials (401)" in err
