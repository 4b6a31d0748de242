"""The export reader's line splitter (builder.report.source.line_runs): whatever sizes the
reads come back in, it gives the lines a plain split gives (each with its newline), with every line over the limit
(and only those) replaced by TOO_LONG, numbered as in the file, and the needle flag set on
every run whose lines hold the needle."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.pipeline import load_course
from builder.report.source import DOCUMENT_RUN, TOO_LONG, ReadStats, file_runs, from_file, line_runs
from tests.conftest import CASES
from tests.statements import Writer, all_answers


class Pieces:
    """A reader that answers each read with the next of the given piece sizes (at most what
    was asked), as a pipe or a socket may: lines then cross the reads' ends anywhere."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.at = data, sizes, 0

    def read(self, size: int, /) -> bytes:
        step = min(size, self.sizes[self.at % len(self.sizes)] if self.sizes else size)
        piece = self.data[self.at:self.at + max(step, 1)]
        self.at += len(piece)
        return piece


def expected(data: bytes, limit: int) -> list[tuple[int, bytes | None]]:
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [(n, part if len(part) <= limit else TOO_LONG) for n, part in enumerate(parts, 1)]


def numbered(data: bytes, sizes: list[int], limit: int) -> list[tuple[int, bytes | None]]:
    return [(n, line if line is None else line.removesuffix(b"\n"))
            for before, run, _ in line_runs(Pieces(data, sizes), limit)
            for n, line in enumerate(run, before + 1)]


LINE = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"x"))


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(LINE, max_size=30), sizes=st.lists(st.integers(1, 70), max_size=8),
       limit=st.integers(0, 45), end=st.booleans())
def test_lines_are_those_of_a_plain_split_whatever_the_read_sizes(
        lines: list[bytes], sizes: list[int], limit: int, end: bool) -> None:
    data = b"\n".join(lines) + (b"\n" if end and lines else b"")
    assert numbered(data, sizes, limit) == expected(data, limit)


def test_a_line_far_over_the_limit_across_many_reads_is_one_too_long_line() -> None:
    data = b"a\n" + b"x" * 10_000 + b"\nb\nc"
    assert numbered(data, [7], 100) == [(1, b"a"), (2, TOO_LONG), (3, b"b"), (4, b"c")]


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.sampled_from([b"plain", b"has voided in it", b"v", b"oided"]), max_size=12),
       sizes=st.lists(st.integers(1, 30), min_size=1, max_size=5))
def test_every_run_holding_the_needle_is_flagged(lines: list[bytes], sizes: list[int]) -> None:
    data = b"\n".join(lines) + b"\n"
    for _, run, marked in line_runs(Pieces(data, sizes), 1000, b"voided"):
        if any(line is not None and b"voided" in line for line in run):
            assert marked


def test_a_bad_actor_or_context_in_a_run_of_good_ones_is_rejected_on_its_line(tmp_path: Path) -> None:
    """Actors and contexts are checked once per run of the same text (check_run): one that
    differs and is of the wrong type still makes its own line, and only it, unreadable."""
    course, _ = load_course(CASES / "minimal")
    good = Writer(course).module_session("ann", "m1", all_answers(course, "m1", True))
    bad_actor = {**good[2], "actor": {**good[2]["actor"], "name": 7}}
    bad_context = {**good[3], "context": {"contextActivities": {"parent": "m1"}}}
    lines = [*good[:2], bad_actor, bad_context, *good[2:]]
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in lines), encoding="utf-8")
    stats = ReadStats()
    read = list(from_file(path, stats))
    assert len(read) == len(good) and stats.bad == 2
    assert stats.bad_examples == [
        f"{path}:3: $.actor.name: expected `str | null`, got `int`: give the field its xAPI type",
        f"{path}:4: $.context.contextActivities.parent: expected `object | array | null`, "
        "got `str`: give the field its xAPI type"]


def test_a_whole_document_export_reaches_the_fold_in_bounded_runs(tmp_path: Path) -> None:
    """A JSON array is read whole (up to its limit), but its statements are decoded and
    handed on a run at a time, never all held at once."""
    course, _ = load_course(CASES / "minimal")
    one = Writer(course).module_session("ann", "m1", all_answers(course, "m1", True))[0]
    path = tmp_path / "s.json"
    path.write_text(json.dumps([dict(one, id=f"00000000-0000-4000-8000-{n:012d}") for n in range(2500)]),
                    encoding="utf-8")
    stats = ReadStats()
    sizes = [len(list(run)) for run in file_runs(path, stats)]
    assert sizes == [DOCUMENT_RUN, DOCUMENT_RUN, 2500 - 2 * DOCUMENT_RUN]
    assert stats.read == 2500 and stats.bad == 0
