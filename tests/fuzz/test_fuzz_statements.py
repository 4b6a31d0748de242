"""Fuzzing the report's statement reader: whatever an export file holds, reading it never
raises anything but a one-line SourceError, every skipped line is reported as
`file:line: what: fix`, the report built from what was accepted holds only finite numbers,
and each example finishes in bounded time."""

from __future__ import annotations

import json
import math
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import identifiers as ids
from builder import vocabulary as v
from builder.pipeline import load_course
from builder.report.aggregate import Aggregator
from builder.report.source import Limits, ReadStats, SourceError, from_file
from builder.report.tables import build_report
from tests.conftest import CASES

pytestmark = pytest.mark.fuzz

COURSE, _ = load_course(CASES / "minimal")
CUR = COURSE.curriculum
IRIS = [CUR.course.id, ids.module_iri(CUR.course, "m1"), ids.goal_iri(CUR.course, "m1-g1"),
        ids.question_iri(CUR.course, "m1", "q1"), "https://example.org/other"]
LIMITS = Limits(line_bytes=2_000, document_bytes=50_000)
SECONDS = 10  # per example, on a loaded machine

leaf = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
        | st.sampled_from(["", "-1", "=1+1", "2026-03-02T13:00:00+05:00", "PT30M", "P99999999999D"]))
value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def shaped(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """An object with (some of) the given fields, or any JSON value in its place."""
    return st.fixed_dictionaries({}, optional=fields) | value


statement = st.fixed_dictionaries({}, optional={
    "id": st.sampled_from(["a", "b", ""]) | value,
    "actor": shaped({"name": leaf, "mbox": leaf,
                     "account": shaped({"homePage": leaf, "name": st.sampled_from(["ann", "bob"]) | leaf})}),
    "verb": shaped({"id": st.sampled_from([*sorted(v.VERBS.values()), "http://adlnet.gov/expapi/verbs/voided"]) | leaf}),
    "object": shaped({"id": st.sampled_from(IRIS) | leaf, "objectType": st.sampled_from(["StatementRef"]) | leaf}),
    "result": shaped({"success": leaf, "response": leaf, "duration": leaf,
                      "score": shaped({"scaled": st.floats() | leaf})}),
    "context": shaped({"contextActivities": shaped({
        "grouping": st.lists(shaped({"id": st.sampled_from(IRIS) | leaf}), max_size=2) | value,
        "parent": shaped({"id": st.sampled_from(IRIS) | leaf})})}),
    "timestamp": leaf, "stored": leaf,
})
VERBS = [*sorted(v.VERBS.values()), "http://adlnet.gov/expapi/verbs/voided"]
PATHS = [("id",), ("actor",), ("actor", "name"), ("actor", "account"), ("actor", "account", "name"),
         ("verb",), ("verb", "id"), ("object",), ("object", "id"), ("object", "objectType"),
         ("result",), ("result", "success"), ("result", "response"), ("result", "duration"),
         ("result", "score"), ("result", "score", "scaled"), ("context",),
         ("context", "contextActivities"), ("context", "contextActivities", "grouping"),
         ("timestamp",), ("stored",)]


def valid(verb: str, oid: str, who: str) -> dict:
    return {"id": f"{who}-{verb[-6:]}-{oid[-4:]}", "timestamp": "2026-03-02T09:00:00.000Z",
            "actor": {"name": who.title(), "account": {"homePage": "https://lms.example.org", "name": who}},
            "verb": {"id": verb}, "object": {"objectType": "StatementRef" if verb.endswith("voided") else "Activity", "id": oid},
            "result": {"success": True, "response": "a", "duration": "PT1M", "score": {"scaled": 0.5}},
            "context": {"contextActivities": {"grouping": [{"id": CUR.course.id}]}}}


def mutated(verb: str, oid: str, who: str, changes: list[tuple[tuple[str, ...], object]]) -> dict:
    """A valid statement with a few fields given values of any type (or removed)."""
    s = valid(verb, oid, who)
    for path, new in changes:
        holder = s
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder[path[-1]] = new
    return s


near_valid = st.builds(mutated, st.sampled_from(VERBS), st.sampled_from(IRIS), st.sampled_from(["ann", "bob"]),
                       st.lists(st.tuples(st.sampled_from(PATHS), value), min_size=1, max_size=2))
statement = statement | near_valid
# json.dumps writes NaN and Infinity for non-finite floats: not JSON, so good fuzz.
json_line = statement.map(json.dumps) | value.map(json.dumps)
line = json_line.map(str.encode) | st.binary(max_size=60)
export = st.lists(line, max_size=12).map(b"\n".join) | st.binary(max_size=300)


def check(data: bytes) -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.jsonl"
        path.write_bytes(data)
        stats = ReadStats()
        agg = Aggregator(COURSE)
        try:
            agg.add_all(from_file(path, stats, LIMITS))
        except SourceError as exc:
            message = str(exc)
            assert "\n" not in message and re.match(rf"{re.escape(str(path))}:\d+: .+: .+", message), message
            return
        for example in stats.bad_examples:
            assert "\n" not in example
            assert re.fullmatch(rf"{re.escape(str(path))}:\d+: [^\n]+: [^\n]+", example), example
        report = build_report(COURSE, agg)
        json.dumps(report.__dict__, allow_nan=False)  # finite numbers only: valid JSON
        for row in report.learners + report.modules + report.goals + report.questions:
            assert all(math.isfinite(x) for x in row.values() if isinstance(x, float))
    assert time.monotonic() - started < SECONDS


@given(export)
def test_any_export_reads_without_a_traceback(data: bytes) -> None:
    check(data)


@given(st.lists(statement.map(json.dumps), max_size=8))
def test_statement_shaped_lines_with_wrong_types(lines: list[str]) -> None:
    check("\n".join(lines).encode())


@given(st.lists(statement, max_size=6), st.booleans())
def test_whole_document_exports(items: list[dict], wrapped: bool) -> None:
    check(json.dumps({"statements": items} if wrapped else items).encode())
