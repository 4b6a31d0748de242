"""Fuzzing the exam's part of the report and `verify`: exam statements (the hand-built
cohort of tests/exam_statements.py) with a few fields given values of any type, or removed,
in any order. Reading them never raises anything but a one-line skip, the exam tables hold
only finite numbers (valid JSON), and `verify` either proves a certificate or says why not."""

from __future__ import annotations

import copy
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.report.aggregate import Aggregator
from builder.report.source import Limits, ReadStats, from_file
from builder.report.tables import build_report
from builder.report.verify import NotVerified, verify
from tests.exam_statements import ANN_CODE, DAN_CODE, EXAM_COURSE, cohort, vocabulary
from tests.fuzz.test_fuzz_statements import value

pytestmark = pytest.mark.fuzz

COURSE = EXAM_COURSE
COHORT = cohort(COURSE)
LIMITS = Limits(line_bytes=4_000, document_bytes=200_000)
SECONDS = 10
PATHS = [("id",), ("actor",), ("actor", "account", "name"), ("verb", "id"), ("object", "id"),
         ("object", "objectType"), ("result",), ("result", "success"), ("result", "response"),
         ("result", "score", "scaled"), ("result", "extensions"), ("context",),
         ("context", "extensions"), ("context", "statement"), ("context", "statement", "id"),
         ("context", "contextActivities", "parent"), ("context", "contextActivities", "grouping"),
         ("timestamp",)]
REMOVE = object()


def changed(statements: list[dict[str, Any]], changes: list[tuple[int, tuple[str, ...], Any]],
            order: list[int]) -> list[dict[str, Any]]:
    out = copy.deepcopy(statements)
    for index, path, new in changes:
        holder: Any = out[index % len(out)]
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            if new is REMOVE:
                holder.pop(path[-1], None)
            else:
                holder[path[-1]] = new
    return [out[i % len(out)] for i in order] if order else out


change = st.tuples(st.integers(0, len(COHORT) - 1), st.sampled_from(PATHS), value | st.just(REMOVE))
stream = st.builds(changed, st.just(COHORT), st.lists(change, min_size=1, max_size=4),
                   st.lists(st.integers(0, len(COHORT) - 1), max_size=len(COHORT)))


@given(stream)
def test_exam_statements_with_wrong_types(statements: list[dict[str, Any]]) -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.jsonl"
        path.write_text("\n".join(json.dumps(s) for s in statements), encoding="utf-8")
        stats = ReadStats()
        agg = Aggregator(COURSE)
        agg.add_all(from_file(path, stats, LIMITS))
        report = build_report(COURSE, agg)
        assert report.exam is not None
        json.dumps(report.exam, allow_nan=False)
        for rows in report.exam.values():
            for row in rows:
                assert all(math.isfinite(x) for x in row.values() if isinstance(x, float))
        for code in (ANN_CODE, DAN_CODE):
            voided: set[str] = set()
            try:
                proof = verify(code, from_file(path, ReadStats(), LIMITS, voided), vocabulary(), voided)
            except NotVerified as exc:
                assert "\n" not in str(exc) and str(exc)
            else:
                assert proof.score >= vocabulary().pass_mark
    assert time.monotonic() - started < SECONDS
