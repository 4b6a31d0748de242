"""A JSON-lines export read in parts at once (builder.report.parallel: two halves, and three
or four parts) gives the report one pass gives: ties on "latest", re-sent duplicates and
voidings across the cuts, and line numbers of bad lines in a later part."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.pipeline import load_course
from builder.report import parallel
from builder.report.aggregate import Aggregator
from builder.report.parallel import fold_file
from builder.report.source import ReadStats
from builder.report.tables import build_report
from tests.conftest import CASES
from tests.statements import Writer, all_answers

COURSE, _ = load_course(CASES / "minimal")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def halves(path: Path, first: list[str], second: list[str]) -> Path:
    """An export whose two parts are exactly `first` and `second` (where two readers cut
    a file: the first line start at or after FIRST_WEIGHT / (FIRST_WEIGHT + 1) of it).
    Trailing spaces, which JSON allows after a statement, bring the parts to that ratio."""
    a, b = "\n".join(first) + "\n", "\n".join(second) + "\n"
    share = parallel.FIRST_WEIGHT / (parallel.FIRST_WEIGHT + 1)
    # The cut falls 10 bytes before the end of `a`: inside its last line.
    wanted_b = round((len(a.encode()) - 10) / share) - len(a.encode())
    gap = wanted_b - len(b.encode())
    if gap > 0:
        b = b[:-1] + " " * gap + "\n"
    while gap < 0:  # `b` is too long: lengthen `a` until the cut falls in its last line
        a = a[:-1] + " " * 64 + "\n"
        gap = round((len(a.encode()) - 10) / share) - len(a.encode()) - len(b.encode())
        if gap >= 0:
            b = b[:-1] + " " * gap + "\n"
    path.write_text(a + b, encoding="utf-8")
    cut = parallel._cut_points(path.stat().st_size, 2)[0]
    assert parallel.line_start(path, cut) == len(a.encode())
    return path


def report(path: Path, workers: int) -> tuple[Any, Aggregator, ReadStats]:
    agg, stats = fold_file(COURSE, path, workers=workers, parallel_bytes=0)
    return build_report(COURSE, agg), agg, stats


def same_as_one_pass(path: Path) -> tuple[Any, Aggregator, ReadStats]:
    """The report of 2 readers (cut where `halves` says), and the same from 3 and 4 readers
    (cut elsewhere, a part may then be a line or two): each is the one pass's report."""
    one, one_agg, one_stats = report(path, 1)
    for workers in (4, 3, 2):
        many, many_agg, many_stats = report(path, workers)
        assert many == one, workers
        assert many_agg.counts == one_agg.counts, workers
        assert (many_stats.read, many_stats.bad, many_stats.bad_examples) == (
            one_stats.read, one_stats.bad, one_stats.bad_examples), workers
    return many, many_agg, many_stats


def lines(statements: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(s) for s in statements]


def test_a_tie_on_latest_across_the_cut_goes_to_the_later_statement(tmp_path: Path) -> None:
    w = Writer(COURSE)
    first = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    second = w.module_session("ann", "m1", all_answers(COURSE, "m1", False))
    # The retake's results carry the same instants as the first session's, written in
    # another time zone: a tie, which the statement further on in the file wins.
    for old, new in zip(first, second, strict=True):
        new["timestamp"] = old["timestamp"].replace("Z", "+00:00")
    path = halves(tmp_path / "s.jsonl", lines(first), lines(second))
    # The halves were merged (no id in both), not read again in one pass.
    assert parallel.read_file(COURSE, path, workers=2, parallel_bytes=0)[0].counts.statements == len(first) * 2
    rep, _, _ = same_as_one_pass(path)
    m1 = next(m for m in rep.modules if m["module"] == "m1")
    assert m1["learners_passed"] == 0  # the later (failed) retake is the latest


def test_a_duplicate_across_the_cut_counts_once_as_in_one_pass(tmp_path: Path) -> None:
    w = Writer(COURSE)
    first = w.module_session("bob", "m1", all_answers(COURSE, "m1", True))
    second = w.module_session("bob", "m2", all_answers(COURSE, "m2", True))
    # Re-sent with the id of the first half's pass, but saying failed: the first one counts.
    passed = next(s for s in first if s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/m1"))
    second.append({**passed, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"},
                   "timestamp": w.tick()})
    path = halves(tmp_path / "s.jsonl", lines(first), lines(second))
    rep, agg, _ = same_as_one_pass(path)
    assert agg.counts.duplicates == 1
    assert next(m for m in rep.modules if m["module"] == "m1")["learners_passed"] == 1


def test_voidings_across_the_cut_both_ways(tmp_path: Path) -> None:
    w = Writer(COURSE)
    ann = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    cat = w.module_session("cat", "m1", all_answers(COURSE, "m1", True))

    def voiding(target: dict[str, Any], learner: str) -> dict[str, Any]:
        s = w.statement(learner, VOIDED, target["id"])
        s["object"] = {"objectType": "StatementRef", "id": target["id"]}
        return s

    def passed(session: list[dict[str, Any]]) -> dict[str, Any]:
        return next(s for s in session if s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/m1"))

    # ann's pass (first half) is voided from the second half; cat's pass (second half) is
    # voided from the first half, before it.
    first = [*ann, voiding(passed(cat), "cat")]
    second = [*cat, voiding(passed(ann), "ann")]
    path = halves(tmp_path / "s.jsonl", lines(first), lines(second))
    rep, agg, _ = same_as_one_pass(path)
    assert agg.counts.voided == 4  # two voided statements and the two voidings
    assert next(m for m in rep.modules if m["module"] == "m1")["learners_passed"] == 0


def test_bad_lines_in_the_second_half_keep_their_line_numbers(tmp_path: Path) -> None:
    w = Writer(COURSE)
    first = lines(w.module_session("ann", "m1", all_answers(COURSE, "m1", True)))
    second = lines(w.module_session("bob", "m1", all_answers(COURSE, "m1", True)))
    second.insert(2, "{not json")
    first.insert(1, '{"actor": 5}')
    path = halves(tmp_path / "s.jsonl", first, second)
    _, _, stats = same_as_one_pass(path)
    assert stats.bad == 2
    assert stats.bad_examples[1].startswith(f"{path}:{len(first) + 3}: ")


def test_facts_from_the_second_half_cross_intact(tmp_path: Path) -> None:
    """The second reader's facts cross to the first as a msgpack message: instants in other
    time zones and statements without a timestamp (the earliest instant there is), names,
    durations, scores and responses, with a bad line and a cross-cut voiding in the same
    file, give the report one pass gives."""
    w = Writer(COURSE)
    first = w.module_session("ann", "m1", all_answers(COURSE, "m1", True))
    second = w.module_session("bob", "m1", all_answers(COURSE, "m1", False))
    second += w.module_session("ann", "m2", all_answers(COURSE, "m2", True))
    for s in second[:3]:
        s["timestamp"] = s["timestamp"].replace("Z", "+05:00")  # earlier instants than they read
    del second[3]["timestamp"]
    voided = next(s for s in first if s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/m1"))
    voiding = w.statement("ann", VOIDED, voided["id"])
    voiding["object"] = {"objectType": "StatementRef", "id": voided["id"]}
    path = halves(tmp_path / "s.jsonl", [*lines(first), "{not json"], [*lines(second), json.dumps(voiding)])
    rep, agg, stats = same_as_one_pass(path)
    assert stats.bad == 1 and agg.counts.voided == 2
    ann = next(r for r in rep.learners if r["learner"].endswith("|ann"))
    assert ann["name"] == "Ann" and ann["modules_passed"] == 1  # m2 only: the m1 pass is voided


def thirds(path: Path, sessions: list[list[dict[str, Any]]]) -> Path:
    """An export whose three parts (where three readers cut it) are the three sessions."""
    text = ["\n".join(lines(s)) + "\n" for s in sessions]
    width = max(len(t.encode()) for t in text) + 20
    # Part widths in the readers' proportions (the first weighs FIRST_WEIGHT), 10 bytes
    # short of them, so that each cut falls inside the last line of a session.
    widths = [round(width * parallel.FIRST_WEIGHT) - 10, width - 10, width - 10]
    path.write_text("".join(t[:-1] + " " * (w - len(t.encode())) + "\n" for t, w in zip(text, widths, strict=True)),
                    encoding="utf-8")
    bounds = [widths[0], widths[0] + widths[1]]
    assert [parallel.line_start(path, near) for near in parallel._cut_points(path.stat().st_size, 3)] == bounds
    return path


def test_three_readers_fold_three_parts(tmp_path: Path, monkeypatch) -> None:
    w = Writer(COURSE)
    path = thirds(tmp_path / "s.jsonl", [w.module_session(who, "m1", all_answers(COURSE, "m1", ok))
                                         for who, ok in (("ann", True), ("bob", False), ("ann", False))])
    parts: list[list[int]] = []
    real = parallel._in_parts

    def spy(*args: Any) -> Any:
        parts.append(args[4])
        return real(*args)

    monkeypatch.setattr(parallel, "_in_parts", spy)
    rep, _, _ = same_as_one_pass(path)
    assert [len(bounds) - 1 for bounds in parts] == [4, 3, 2]  # 4, 3 and 2 readers, merged
    assert next(m for m in rep.modules if m["module"] == "m1")["learners_passed"] == 0


def test_a_duplicate_between_two_childrens_parts_counts_once(tmp_path: Path) -> None:
    """Three readers: a statement of the second part is re-sent in the third, two parts
    that forked children read; the first copy counts, as in one pass."""
    w = Writer(COURSE)
    sessions = [w.module_session(who, "m1", all_answers(COURSE, "m1", True)) for who in ("ann", "bob", "cat")]
    passed = next(s for s in sessions[1] if s["verb"]["id"].endswith("/passed") and s["object"]["id"].endswith("/m1"))
    sessions[2].append({**passed, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}, "timestamp": w.tick()})
    path = thirds(tmp_path / "s.jsonl", sessions)
    agg, _ = fold_file(COURSE, path, workers=3, parallel_bytes=0)
    one, _ = fold_file(COURSE, path, workers=1)
    assert agg.counts == one.counts and agg.counts.duplicates == 1
    assert build_report(COURSE, agg) == build_report(COURSE, one)


def test_the_number_of_readers_follows_the_cores_and_the_setting(monkeypatch) -> None:
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: set(range(16)))
    monkeypatch.delenv("CPOM_REPORT_WORKERS", raising=False)
    assert parallel.worker_count() == parallel.MAX_WORKERS
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    assert parallel.worker_count() == 3
    monkeypatch.setenv("CPOM_REPORT_WORKERS", "1")
    assert parallel.worker_count() == 1
    for ignored in ("0", "99", "two", ""):
        monkeypatch.setenv("CPOM_REPORT_WORKERS", ignored)
        assert parallel.worker_count() == 3
