"""The report on hostile or broken export files: every rejection is a one-line diagnostic
(`file:line: what: fix`), nothing crashes, memory stays bounded, and what is accepted gives
the right answer."""

from __future__ import annotations

import csv
import json
import re
import tracemalloc
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import load_course
from builder.report.run import make_report
from builder.report.source import ReadStats, from_file
from tests.conftest import CASES
from tests.statements import Writer, all_answers

COURSE, _ = load_course(CASES / "minimal")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def session(who: str = "ann", correct: bool = True, seed: int = 1) -> list[dict]:
    return Writer(COURSE, seed).module_session(who, "m1", all_answers(COURSE, "m1", correct))


def write_lines(path: Path, items: list[object]) -> Path:
    path.write_text("".join((i if isinstance(i, str) else json.dumps(i)) + "\n" for i in items),
                    encoding="utf-8")
    return path


def report(path: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["report", "--content", str(CASES / "minimal"), "--statements", str(path),
                 "--out", str(out)])
    return code, capsys.readouterr().err


def strict_json(path: Path) -> dict:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


@pytest.mark.parametrize("bad", [
    {"verb": VOIDED, "object": {"objectType": "StatementRef", "id": "x"}},
    {"verb": {"id": VOIDED}, "object": "x"},
], ids=["verb-string", "object-string"])
def test_a_voiding_statement_of_the_wrong_shape_is_skipped_and_counted(tmp_path: Path, capsys, bad) -> None:
    path = write_lines(tmp_path / "s.jsonl", [*session(), bad])
    code, err = report(path, tmp_path / "out", capsys)
    assert code == 0 and "Traceback" not in err
    assert f"warning: skipped unreadable statement: {path}:{len(session()) + 1}: " in err
    assert strict_json(tmp_path / "out" / "report.json")["summary"]["unreadable_skipped"] == 1


@pytest.mark.parametrize("text", [
    '{"statements": null}',
    '{"statements": 5, "more": ""}',
    "[" * 100_000 + "]" * 100_000,
], ids=["statements-null", "statements-number", "deeply-nested"])
def test_a_broken_document_export_is_a_one_line_error(tmp_path: Path, capsys, text: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    code, err = report(path, tmp_path / "out", capsys)
    assert code == 1
    assert re.fullmatch(rf"error: {re.escape(str(path))}:\d+: not a statement export \(.+\): .+\n", err)
    assert not (tmp_path / "out").exists()


def test_a_line_over_the_limit_is_skipped_and_counted_in_bounded_memory(tmp_path: Path) -> None:
    good = session()
    path = tmp_path / "s.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(good[0]) + "\n")
        out.write('{"actor": {"name": "' + "x" * 30_000_000 + '"}}\n')  # 30 MB, limit 1 MB
        out.writelines(json.dumps(s) + "\n" for s in good[1:])
    stats = ReadStats()
    tracemalloc.start()
    try:
        read = sum(1 for _ in from_file(path, stats))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == len(good) and stats.bad == 1
    assert stats.bad_examples[0].startswith(f"{path}:2: line longer than the 1 MB limit")
    assert peak < 8_000_000, f"peak {peak / 1e6:.0f} MB while reading past a 30 MB line"


def test_the_line_limit_is_an_option(tmp_path: Path, capsys) -> None:
    good = session()
    padded = dict(good[0], padding="x" * 200_000)  # a 200 KB statement
    path = write_lines(tmp_path / "s.jsonl", [padded, *good[1:]])
    code, err = report(path, tmp_path / "out", capsys)
    assert code == 0 and "unreadable" not in err.split("warning")[0]
    code = main(["report", "--content", str(CASES / "minimal"), "--statements", str(path),
                 "--out", str(tmp_path / "out2"), "--max-line-mb", "0.1"])
    err = capsys.readouterr().err
    assert code == 0 and f"{path}:1: line longer than the 0.1 MB limit" in err


def test_latest_is_by_instant_not_by_text(tmp_path: Path) -> None:
    """A pass at 13:00+05:00 (08:00 UTC) comes before a fail at 12:00Z: the fail is latest."""
    w = Writer(COURSE)
    miri = "https://example.org/xapi/courses/demo/modules/m1"
    passed = w.statement("ann", "passed", miri, {"success": True, "score": {"scaled": 1.0}},
                         timestamp="2026-03-02T13:00:00.000+05:00")
    failed = w.statement("ann", "failed", miri, {"success": False, "score": {"scaled": 0.25}},
                         timestamp="2026-03-02T12:00:00.000Z")
    path = write_lines(tmp_path / "s.jsonl", [passed, failed])
    make_report(COURSE, tmp_path / "out", statements=path)
    with (tmp_path / "out" / "learners.csv").open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert (row["score_m1"], row["modules_passed"]) == ("0.25", "0")
    assert row["last_activity"] == "2026-03-02T12:00:00.000Z"


@pytest.mark.parametrize("scaled", ["-5", "1e999", "NaN", "-1e999", '"0.5"'])
def test_an_impossible_score_is_rejected_and_the_json_stays_valid(tmp_path: Path, capsys, scaled: str) -> None:
    good = session()
    bad = json.dumps(Writer(COURSE, seed=9).statement(
        "bob", "passed", "https://example.org/xapi/courses/demo/modules/m1",
        {"success": True, "score": {"scaled": 0.5}})).replace('"scaled": 0.5', f'"scaled": {scaled}')
    path = write_lines(tmp_path / "s.jsonl", [*good, bad])
    code, err = report(path, tmp_path / "out", capsys)
    assert code == 0
    assert f"{path}:{len(good) + 1}: " in err  # NaN is not JSON; the others break the range
    document = strict_json(tmp_path / "out" / "report.json")
    assert document["summary"]["unreadable_skipped"] == 1
    assert [r["learner"].split("|")[1] for r in document["learners"]] == ["ann"]


def test_no_csv_cell_starts_a_formula(tmp_path: Path) -> None:
    """Names, identifiers and answers come from learners: a spreadsheet must not run them."""
    out = []
    for seed, (who, actor) in enumerate((("ann", {"name": "=HYPERLINK(\"http://x\",\"y\")", "mbox": "mailto:a@x"}),
                       ("bob", {"name": "+1+2", "mbox": "=2+3"}),
                       ("cat", {"name": "\tTab", "account": {"homePage": "@home", "name": "cat"}}))):
        for s in session(who, correct=False, seed=seed):
            s["actor"] = actor
            if s["verb"]["id"].endswith("/answered"):
                s["result"]["response"] = "-2+3*cmd|' /C calc'!A0"
            out.append(s)
    path = write_lines(tmp_path / "s.jsonl", out)
    make_report(COURSE, tmp_path / "out", statements=path)
    cells = {}
    for name in ("learners", "modules", "goals", "questions", "paths"):
        with (tmp_path / "out" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            cells[name] = [c for row in csv.reader(handle) for c in row]
    assert all(not c.startswith(FORMULA) for table in cells.values() for c in table)
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells["learners"]  # neutralised, not dropped
    assert "'=2+3" in cells["paths"] and "'@home|cat" in cells["learners"]
    assert "'-2+3*cmd|' /C calc'!A0" in cells["questions"]


def test_every_rejected_line_says_file_line_what_and_fix(tmp_path: Path) -> None:
    lines = [*session(), "{not json", '{"actor": 1, "verb": {"id": "x"}, "object": {}}', "\x00\x01",
             '{"actor": {}, "verb": {"id": "x"}, "object": {}, "timestamp": "yesterday"}']
    path = write_lines(tmp_path / "s.jsonl", lines)
    stats = ReadStats()
    list(from_file(path, stats))
    assert stats.bad == 4
    for number, example in zip(range(len(session()) + 1, len(lines) + 1), stats.bad_examples, strict=False):
        assert re.fullmatch(rf"{re.escape(str(path))}:{number}: [^\n]+: [^\n]+", example), example


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_voided_pass_is_excluded_whether_its_voiding_comes_before_or_after_it(
        tmp_path: Path, capsys, where: str) -> None:
    # The export is read once, collecting voidings as it goes: a voiding that comes after
    # the statement it voids must still exclude it (the report folds the file again).
    statements = session()
    passed = next(s for s in statements
                  if s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/m1"))
    voiding = Writer(COURSE, 2).statement("ann", VOIDED, passed["id"], objectType=None)
    voiding["object"] = {"objectType": "StatementRef", "id": passed["id"]}
    items = [voiding, *statements] if where == "before" else [*statements, voiding]
    code, err = report(write_lines(tmp_path / "s.jsonl", items), tmp_path / "out", capsys)
    assert code == 0, err
    result = strict_json(tmp_path / "out" / "report.json")
    assert result["summary"]["voided_excluded"] == 2
    assert result["summary"]["modules_passed"] == 0
    assert [m["learners_passed"] for m in result["modules"] if m["module"] == "m1"] == [0]
