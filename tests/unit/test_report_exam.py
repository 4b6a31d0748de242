"""The exam in a report: results per learner and per goal, item analysis, certificates and
the evaluation, from hand-built statement streams (tests/exam_statements.py) about the
`exam` test course, whose numbers are worked out by hand there."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from builder.cli import main
from builder.pipeline import load_course
from builder.report.aggregate import Aggregator
from builder.report.output import write_report
from builder.report.parallel import fold_file
from builder.report.run import make_report
from builder.report.statement import STATEMENT
from builder.report.tables import Report, build_report
from tests.conftest import CASES
from tests.exam_statements import (
    ANN_CODE,
    BOB_CODE,
    DAN_CODE,
    EXAM_COURSE,
    FORMULA,
    ExamWriter,
    cohort,
    vocabulary,
)
from tests.statements import Writer, all_answers
from tests.unit.test_report_parallel import halves

COURSE = EXAM_COURSE
MINIMAL, _ = load_course(CASES / "minimal")  # the same course without an exam


def report_of(statements: list[dict[str, Any]]) -> Report:
    """The report of a stream, with the voidings applied up front (as a file read does when
    a voiding comes after its target, builder.report.parallel.fold_file)."""
    voided = {s["object"]["id"] for s in statements if s["verb"]["id"].endswith("/voided")}
    agg = Aggregator(COURSE, voided)
    agg.add_all(STATEMENT.decode(msgspec.json.encode(s)) for s in statements)
    return build_report(COURSE, agg)


def written(statements: list[dict[str, Any]], out: Path) -> Path:
    write_report(COURSE, report_of(statements), out, "test")
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(r[key]).rpartition("|")[2]: r for r in rows}


@pytest.fixture(scope="module")
def exam() -> dict[str, list[dict[str, Any]]]:
    tables = report_of(cohort(COURSE)).exam
    assert tables is not None
    return tables


def test_a_pass_at_the_first_attempt(exam: dict[str, list[dict[str, Any]]]) -> None:
    ann = by(exam["exam_learners"], "learner")["ann"]
    assert (ann["attempts"], ann["best_score"], ann["last_score"], ann["passed"]) == (1, 1.0, 1.0, True)
    assert ann["passed_at"] and ann["certificate_code"] == ANN_CODE


def test_a_fail_then_a_retake_that_passes(exam: dict[str, list[dict[str, Any]]]) -> None:
    # bob's retake is a cmi5 sitting: the result is about the LMS's activityId
    bob = by(exam["exam_learners"], "learner")["bob"]
    assert (bob["attempts"], bob["best_score"], bob["last_score"], bob["passed"]) == (2, 1.0, 1.0, True)


def test_a_fail_only(exam: dict[str, list[dict[str, Any]]]) -> None:
    cat = by(exam["exam_learners"], "learner")["cat"]
    assert (cat["attempts"], cat["best_score"], cat["passed"], cat["passed_at"]) == (1, 0.3333, False, "")


def test_a_voided_pass_is_no_pass(exam: dict[str, list[dict[str, Any]]]) -> None:
    dan = by(exam["exam_learners"], "learner")["dan"]
    assert (dan["attempts"], dan["passed"]) == (0, False)


def test_item_difficulty_and_discrimination(exam: dict[str, list[dict[str, Any]]]) -> None:
    items = by(exam["exam_items"], "item")
    s1, c1, s2 = items["s1"], items["c1"], items["s2"]
    assert (s1["times_drawn"], s1["correct"], s1["difficulty"], s1["discrimination"]) == (3, 1, 0.3333, 1.0)
    assert (c1["times_drawn"], c1["difficulty"], c1["discrimination"]) == (3, 0.6667, 0.0)
    assert (s2["times_drawn"], s2["difficulty"], s2["discrimination"]) == (2, 1.0, None)
    # response "b" is s1's second choice in tests/cases/exam/exam/storage-bank.md
    assert s1["most_chosen_wrong_answer"] == "Quarantine it" and s1["most_chosen_wrong_count"] == 2
    assert items["s3"]["times_drawn"] == 0 and items["s3"]["difficulty"] is None


def test_exam_mastery_per_goal(exam: dict[str, list[dict[str, Any]]]) -> None:
    goals = by(exam["exam_goals"], "goal")
    # m2-g1: ann, bob (both attempts) and dan met it; cat did not
    g = goals["m2-g1"]
    assert (g["learners_attempted"], g["learners_met"], g["mastery_rate"]) == (4, 3, 0.75)
    assert (g["attempts_drawn"], g["attempts_met"]) == (5, 4)
    # m1-g1: bob missed it in attempt 1 and met it in attempt 2 (his latest counts); cat missed it
    assert (goals["m1-g1"]["learners_met"], goals["m1-g1"]["attempts_drawn"], goals["m1-g1"]["attempts_met"]) == (3, 5, 3)


def test_certificates_issued_with_their_evidence(exam: dict[str, list[dict[str, Any]]]) -> None:
    certificates = by(exam["certificates"], "learner")
    assert {k: (c["code"], c["valid"]) for k, c in certificates.items()} == {
        "ann": (ANN_CODE, True), "bob": (BOB_CODE, True), "dan": (DAN_CODE, False)}
    assert certificates["bob"]["attempt"] == 2 and certificates["ann"]["score"] == 1.0
    assert "missing or voided" in certificates["dan"]["problem"]


def test_evaluation_likert_distribution(exam: dict[str, list[dict[str, Any]]]) -> None:
    rows = [r for r in exam["evaluation"] if r["item"] == "useful"]
    assert [(r["point"], r["label"], r["count"]) for r in rows] == [
        (1, "Not useful", 0), (2, "Somewhat useful", 1), (3, "Very useful", 2)]
    assert rows[2]["share"] == 0.6667
    free = next(r for r in exam["evaluation"] if r["item"] == "change")
    assert free["count"] == 2


def test_free_text_answers_in_a_csv_are_never_formulas(tmp_path: Path) -> None:
    out = written(cohort(COURSE), tmp_path / "out")
    answers = by(read_csv(out / "evaluation_answers.csv"), "learner")
    assert answers["ann"]["answer"] == "'" + FORMULA
    assert answers["cat"]["answer"] == "Log the fridge twice a day"


def test_csvs_and_json_hold_the_exam_tables(tmp_path: Path) -> None:
    out = written(cohort(COURSE), tmp_path / "out")
    for name in ("exam_learners", "exam_goals", "exam_items", "certificates", "evaluation"):
        assert read_csv(out / f"{name}.csv"), name
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert document["summary"]["certificates_issued"] == 2
    assert document["summary"]["exam_passed"] == 2
    assert by(document["exam"]["exam_items"], "item")["s1"]["discrimination"] == 1.0


def test_html_shows_the_exam_escaped(tmp_path: Path) -> None:
    statements = cohort(COURSE)
    for s in statements:
        s["actor"]["name"] = "<img src=x onerror=alert(1)>"
    html = (written(statements, tmp_path / "out") / "report.html").read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img src=x" in html
    for heading in ('id="exam"', 'id="exam-goals"', 'id="exam-items"', 'id="certificates"', 'id="evaluation"'):
        assert heading in html
    assert ANN_CODE in html and DAN_CODE in html


def test_no_exam_tables_without_an_exam(tmp_path: Path) -> None:
    w = Writer(MINIMAL)
    agg = Aggregator(MINIMAL)
    agg.add_all(STATEMENT.decode(msgspec.json.encode(s))
                for s in w.module_session("ann", "m1", all_answers(MINIMAL, "m1", True)))
    report = build_report(MINIMAL, agg)
    assert report.exam is None and "exam_learners" not in report.summary


def test_exam_goal_statements_are_not_module_mastery(tmp_path: Path) -> None:
    """A goal result with the exam as parent is exam mastery: it must not make a module goal
    attempted or met, in a course with the exam or without it (an exam since removed)."""
    w = ExamWriter(COURSE)
    statements = w.module_session("ann", "m2", all_answers(COURSE, "m2", False))
    statements += w.sitting("ann", 1, {"s1": True, "s4": True, "c1": True})
    export = tmp_path / "statements.jsonl"
    export.write_text("\n".join(json.dumps(s) for s in statements) + "\n", encoding="utf-8")
    for course in (COURSE, MINIMAL):
        check_goals(course, export, tmp_path / "out")


def check_goals(course: Any, export: Path, out: Path) -> None:
    make_report(course, out, statements=export)
    goals = by(read_csv(out / "goals.csv"), "goal")
    assert (goals["m1-g1"]["learners_attempted"], goals["m1-g2"]["learners_attempted"]) == ("0", "0")
    assert (goals["m2-g1"]["learners_attempted"], goals["m2-g1"]["learners_met"]) == ("1", "0")
    ann = read_csv(out / "learners.csv")[0]
    assert (ann["goals_attempted"], ann["goals_met"]) == ("1", "0")


def test_exam_goal_statements_go_to_the_exam_tables_only() -> None:
    w = ExamWriter(COURSE)
    report = report_of(w.module_session("ann", "m2", all_answers(COURSE, "m2", False))
                       + w.sitting("ann", 1, {"c1": True}))
    assert by(report.goals, "goal")["m2-g1"]["learners_met"] == 0
    assert report.exam is not None
    assert by(report.exam["exam_goals"], "goal")["m2-g1"]["learners_met"] == 1


def test_exam_statements_of_another_course_are_not_read() -> None:
    w = ExamWriter(COURSE)
    other = w.sitting("eve", 1, {"s1": True})
    for s in other:
        s["object"]["id"] = s["object"]["id"].replace("/demo/", "/other/")
        s["context"]["contextActivities"] = {"grouping": [{"id": "https://example.org/xapi/courses/other"}]}
    report = report_of(other)
    assert report.exam is not None and report.exam["exam_learners"] == []
    assert report.summary["other_course_skipped"] == len(other)


def test_an_exam_statement_without_an_attempt_number_still_counts() -> None:
    w = ExamWriter(COURSE)
    sitting = w.sitting("ann", 1, {"s1": True})
    for s in sitting:
        s["context"]["extensions"] = {"https://example.org/other-extension": "x"}
    report = report_of(sitting)
    assert report.exam is not None
    ann = by(report.exam["exam_learners"], "learner")["ann"]
    assert (ann["attempts"], ann["passed"]) == (1, True)


def test_a_report_of_the_exam_course_from_an_export(tmp_path: Path, capsys) -> None:
    """The whole command on a course with an exam: its exam files next to the others."""
    export = tmp_path / "statements.jsonl"
    export.write_text("\n".join(json.dumps(s) for s in cohort()) + "\n", encoding="utf-8")
    assert main(["report", "--content", str(CASES / "exam"), "--statements", str(export),
                 "--out", str(tmp_path / "out"), "--quiet"]) == 0
    learners = by(read_csv(tmp_path / "out" / "exam_learners.csv"), "learner")
    assert (learners["bob"]["attempts"], learners["dan"]["passed"]) == ("2", "False")
    certificates = by(read_csv(tmp_path / "out" / "certificates.csv"), "learner")
    assert certificates["dan"]["valid"] == "False"  # his voiding comes after his pass
    assert "certificates.csv" in capsys.readouterr().out


def test_two_halves_give_the_exam_tables_of_one_pass(tmp_path: Path) -> None:
    statements = [json.dumps(s) for s in cohort()]
    middle = len(statements) // 2
    path = halves(tmp_path / "export.jsonl", statements[:middle], statements[middle:])
    one, _ = fold_file(COURSE, path, workers=1, parallel_bytes=0)
    two, _ = fold_file(COURSE, path, workers=2, parallel_bytes=0)
    assert build_report(COURSE, two).exam == build_report(COURSE, one).exam
    assert build_report(COURSE, one).exam == report_of(cohort()).exam


def test_the_reports_quick_load_reads_the_exam_as_the_full_load() -> None:
    from builder.report import course as quick
    from builder.report.exam import exam_vocabulary

    for content in (CASES / "exam", CASES / "minimal"):
        assert exam_vocabulary(quick._quick(content)) == exam_vocabulary(load_course(content)[0])
    assert exam_vocabulary(quick._quick(CASES / "exam")) is not None


def test_a_learner_shows_only_a_valid_certificate_code(exam: dict[str, list[dict[str, Any]]]) -> None:
    learners = by(exam["exam_learners"], "learner")
    assert (learners["bob"]["certificate_code"], learners["dan"]["certificate_code"]) == (BOB_CODE, "")


def test_html_shows_the_numbers_of_the_exam_csvs(tmp_path: Path) -> None:
    out = written(cohort(COURSE), tmp_path / "out")
    html = (out / "report.html").read_text(encoding="utf-8")
    items = html.split('id="exam-items"')[1].split("</table>")[0]
    for row in read_csv(out / "exam_items.csv"):
        cells = items.split(f'<th scope="row">{row["item"]}</th>')[1].split("</tr>")[0]
        assert f'<td class="num">{row["times_drawn"]}</td>' in cells
        assert f'<td class="num">{row["difficulty"] or "–"}</td>' in cells
        assert f'<td class="num">{row["discrimination"] or "–"}</td>' in cells
    goals = html.split('id="exam-goals"')[1].split("</table>")[0]
    for row in read_csv(out / "exam_goals.csv"):
        assert f'{row["learners_met"]} / {row["learners_attempted"]}</td>' in goals


def test_the_report_reads_every_activity_the_exam_page_sends_statements_about() -> None:
    """The exam page builds its statements from the page vocabulary (builder.vocabulary):
    each of its activities must be one the report routes to the exam, as what it is."""
    from builder import vocabulary as v
    from builder.report.exam import CERTIFICATE, EVALUATION, EXAM, ITEM

    assert COURSE.exam is not None
    page = v.exam_vocabulary(COURSE.curriculum, COURSE.exam)
    routes = {iri: what for iri, (_, what) in vocabulary().routes().items()}
    assert routes[page["module"]["id"]] == (EXAM, "")
    assert routes[page["certificate"]["id"]] == (CERTIFICATE, "")
    assert {item: routes[a["id"]] for item, a in page["questions"].items()} == {
        item: (ITEM, item) for item in page["questions"]}
    assert {item: routes[a["id"]] for item, a in page["evaluation"].items()} == {
        item: (EVALUATION, item) for item in page["evaluation"]}
    # goal statements: the goal IRIs the modules use, with the exam as parent
    assert {a["id"] for a in page["goals"].values()} == {
        f"https://example.org/xapi/courses/demo/goals/{g}" for g in ("m1-g1", "m1-g2", "m2-g1")}
    assert page["extensions"]["attempt"] == vocabulary().iris.attempt_extension
    assert page["extensions"]["code"] == vocabulary().iris.code_extension
    assert page["verbs"]["earned"] == "http://id.tincanapi.com/verb/earned"
