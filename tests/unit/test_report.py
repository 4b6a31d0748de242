"""Reports from small hand-built statement sets with answers worked out by hand."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import load_course
from builder.report.run import make_report
from builder.report.source import SourceError
from builder.report.tables import point_biserial
from tests.conftest import CASES
from tests.statements import Writer, all_answers

COURSE, _ = load_course(CASES / "minimal")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def cohort() -> list[dict]:
    """ann passes both modules; bob fails m1; cat fails m1, then retakes and passes it, and
    her m2 pass is voided; plus a re-sent duplicate and a statement of another course."""
    w = Writer(COURSE)
    out = []
    out += w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    out += w.module_session("ann", "m2", all_answers(COURSE, "m2", True))
    out += w.module_session("bob", "m1", all_answers(COURSE, "m1", False))
    out += w.module_session("cat", "m1", all_answers(COURSE, "m1", False))
    out += w.module_session("cat", "m1", all_answers(COURSE, "m1", True))
    m2 = w.module_session("cat", "m2", all_answers(COURSE, "m2", True))
    out += m2
    passed = next(s for s in m2 if s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/m2"))
    out.append(w.statement("cat", VOIDED, passed["id"], objectType=None))
    out[-1]["object"] = {"objectType": "StatementRef", "id": passed["id"]}
    out.append(dict(out[0]))  # re-sent: same id
    other = w.statement("dan", "initialized", "https://example.org/xapi/courses/other/modules/x")
    other["context"] = {"contextActivities": {"grouping": [{"id": "https://example.org/xapi/courses/other"}]}}
    out.append(other)
    return out


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "statements.jsonl"
    lines = [json.dumps(s) for s in cohort()]
    lines.insert(3, "{not json")  # a malformed line: counted and skipped
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_modules_table(export: Path, tmp_path: Path) -> None:
    make_report(COURSE, tmp_path / "out", statements=export)
    rows = {r["module"]: r for r in read_csv(tmp_path / "out" / "modules.csv")}
    m1, m2 = rows["m1"], rows["m2"]
    assert (m1["learners_started"], m1["learners_completed"], m1["learners_passed"]) == ("3", "3", "2")
    assert m1["pass_rate"] == "0.6667" and m1["completion_rate"] == "1.0"
    # latest attempt wins: cat's 0.0 is replaced by her retake's 1.0
    assert (m1["score_min"], m1["score_median"], m1["score_max"]) == ("0.0", "1.0", "1.0")
    # cat's m2 pass is voided: she completed m2 but has no result
    assert (m2["learners_started"], m2["learners_completed"], m2["learners_passed"]) == ("2", "2", "1")


def test_learners_table_and_paths(export: Path, tmp_path: Path) -> None:
    make_report(COURSE, tmp_path / "out", statements=export)
    rows = {r["learner"].split("|")[1]: r for r in read_csv(tmp_path / "out" / "learners.csv")}
    assert set(rows) == {"ann", "bob", "cat"}  # dan's course is not this one
    assert rows["ann"]["paths_completed"] == "starter" and rows["cat"]["paths_completed"] == ""
    assert (rows["ann"]["modules_passed"], rows["bob"]["modules_passed"], rows["cat"]["modules_passed"]) == ("2", "0", "1")
    assert rows["ann"]["goals_met"] == "3" and rows["bob"]["goals_met"] == "0" and rows["cat"]["goals_met"] == "3"
    assert rows["ann"]["time_spent_minutes"] == "60.0"
    paths = read_csv(tmp_path / "out" / "paths.csv")
    assert [(p["learner"].split("|")[1], p["remaining"], p["completed"]) for p in paths] == [
        ("ann", "0", "True"), ("cat", "1", "False"), ("bob", "2", "False")]


def test_goals_and_questions_tables(export: Path, tmp_path: Path) -> None:
    make_report(COURSE, tmp_path / "out", statements=export)
    goals = {r["goal"]: r for r in read_csv(tmp_path / "out" / "goals.csv")}
    assert (goals["m1-g1"]["learners_attempted"], goals["m1-g1"]["learners_met"], goals["m1-g1"]["mastery_rate"]) == ("3", "2", "0.6667")
    questions = {(r["module"], r["question"]): r for r in read_csv(tmp_path / "out" / "questions.csv")}
    q1 = questions[("m1", "q1")]
    assert (q1["attempts"], q1["correct"], q1["difficulty"]) == ("3", "2", "0.6667")
    assert q1["discrimination"] == "1.0"  # right answers go with the high module scores
    assert q1["most_chosen_wrong_answer"] == "8 to 15 °C"  # response 'b' is that choice
    assert q1["most_chosen_wrong_count"] == "1"


def test_counts_duplicates_voided_other_courses_and_bad_lines(export: Path, tmp_path: Path, capsys) -> None:
    assert main(["report", "--content", str(CASES / "minimal"), "--statements", str(export),
                 "--out", str(tmp_path / "out")]) == 0
    summary = json.loads((tmp_path / "out" / "report.json").read_text())["summary"]
    assert summary["duplicates_skipped"] == 1
    assert summary["voided_excluded"] == 2  # the voided statement and the voiding one
    assert summary["other_course_skipped"] == 1
    assert summary["unreadable_skipped"] == 1
    assert "warning: skipped unreadable statement: " in capsys.readouterr().err


def test_html_shows_the_numbers_of_the_csvs(export: Path, tmp_path: Path) -> None:
    make_report(COURSE, tmp_path / "out", statements=export)
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<script" not in html and "http://" not in html.split("<body>")[0]
    for row in read_csv(tmp_path / "out" / "modules.csv"):
        cells = re.search(rf'<th scope="row">{row["module"]} .*?</tr>', html, re.DOTALL).group(0)
        numbers = re.findall(r"</span>(\d+)</td>", cells)
        assert numbers == [row["learners_started"], row["learners_completed"], row["learners_passed"]]
        assert f'<td class="num">{row["pass_rate"]}</td>' in cells
    for row in read_csv(tmp_path / "out" / "questions.csv"):
        if row["attempts"] != "0":
            assert f'{row["module"]} {row["question"]}</th>' in html
            assert f'<td class="num">{row["difficulty"]}</td>' in html


def test_a_json_array_export_reads_like_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(cohort()), encoding="utf-8")
    report, stats, _ = make_report(COURSE, tmp_path / "out", statements=path)
    assert report.summary["learners"] == 3 and stats.bad == 0


def test_no_statements_of_this_course_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps(cohort()[-1]) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"no statements about https://example\.org/xapi/courses/demo"):
        make_report(COURSE, tmp_path / "out", statements=path)


def test_unreachable_lrs_gives_a_clear_error_and_exit_status(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LRS_ENDPOINT", "http://127.0.0.1:9/xAPI/")
    assert main(["report", "--content", str(CASES / "minimal"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "error: http://127.0.0.1:9/xAPI/: cannot reach the LRS" in err and "check LRS_ENDPOINT" in err
    assert not (tmp_path / "out").exists()


def test_point_biserial_matches_a_hand_computation() -> None:
    # M1 = 0.8, M0 = 0.4, sd = sqrt(0.05), p = q = 0.5: r = 0.4 / 0.2236 * 0.5 = 0.8944
    assert point_biserial([(True, 0.9), (False, 0.5), (True, 0.7), (False, 0.3)]) == 0.8944
    assert point_biserial([(True, 1.0), (True, 0.5)]) is None  # everyone right: undefined
