"""Reading a large JSON-lines export with several processes (one per core): the file is cut
into parts at line starts, forked children fold every part but the first while this process
folds the first, and the children's facts are merged into ours in file order
(Aggregator.merge). The result is the one a single pass gives, because the merge is only used
when it is exact:

- a statement id in two parts (a re-sent duplicate: the first one counts) makes the parts
  depend on each other, so the file is then read again in one pass;
- a voiding in one part of a statement in another is handled as a single pass handles a
  voiding that comes after its target: run.py folds the file again with every voiding
  known up front, which every part then applies on its own.

Small files, whole-document exports and LRS reads stay in one process (forking and sending
the facts back cost more than they save there)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from multiprocessing.connection import Connection
from pathlib import Path

import msgspec

from builder.model import ParsedCourse
from builder.report.aggregate import Aggregator, Counts, LearnerFacts
from builder.report.source import (
    Limits,
    ReadStats,
    SourceError,
    file_runs,
    line_start,
    line_statements,
    voided_ids,
)
from builder.report.statement import Statement

# Below this size one process is quicker (a million statements are about 600 MB); each part
# of a larger file is at least half of it.
PARALLEL_BYTES = 64 * 1_000_000
# Readers at most, however many cores: past this, merging the parts' facts (one process, in
# turn) costs more than a smaller part saves.
MAX_WORKERS = 8
# This process's part is this much larger than each child's: a child, once it has folded
# its part, still spends about a sixth of its fold time packing and sending its facts, which
# this process would otherwise wait for (measured on the 1.15M-statement bench export: the
# halves ended 0.5 s apart at an even cut).
FIRST_WEIGHT = 1.25


class _Part(msgspec.Struct):
    """What a child sends back: its facts, and what the merge must check. Sent as one
    msgpack message: pickling a part's facts (hundreds of thousands of small objects) took
    seconds, encoding them with msgspec takes a few hundredths."""

    learners: dict[str, LearnerFacts]
    counts: Counts
    # The statement ids read, one a line: one string is far quicker to send and receive
    # than a msgpack set of half a million strings (a fifth of a second each way). A list
    # when an id holds a newline itself (any JSON string may be an id).
    seen: str | list[str]
    voided: set[str]
    stats: ReadStats


_PART = msgspec.msgpack.Decoder(_Part)


# What wraps a read's runs of statements (the progress line).
Watch = Callable[[Iterator[list[Statement]], ReadStats], Iterable[list[Statement]]]


def _unwatched(runs: Iterator[list[Statement]], stats: ReadStats) -> Iterable[list[Statement]]:
    return runs


def _is_lines(path: Path) -> bool:
    """Whether an export is JSON lines (as from_file decides), not one JSON document."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    first = head.lstrip()[:1]
    return not (first == b"[" or (first == b"{" and b'"statements"' in head))


def _renumber(stats: ReadStats, path: Path, start: int) -> None:
    """The child numbers its lines from its cut: its examples get the file's line numbers
    (counted only when there is an example, which is rare)."""
    if not stats.bad_examples:
        return
    before = 0
    with path.open("rb") as handle:
        left = start
        while left > 0 and (chunk := handle.read(min(left, 1 << 20))):
            before += chunk.count(b"\n")
            left -= len(chunk)
    prefix = f"{path}:"
    fixed = []
    for example in stats.bad_examples:
        number, sep, why = example[len(prefix):].partition(":")
        fixed.append(f"{prefix}{int(number) + before}{sep}{why}" if example.startswith(prefix)
                     and number.isdigit() else example)
    stats.bad_examples = fixed


def _child(conn: Connection, course: ParsedCourse, path: Path, limits: Limits,
           voided: set[str] | None, start: int, stop: int) -> None:
    try:
        stats = ReadStats()
        agg = Aggregator(course, set(voided) if voided is not None else set())
        agg.add_runs(line_statements(path, stats, limits, agg.voided if voided is None else None,
                                     start, stop))
        _renumber(stats, path, start)
        ids = "\n".join(agg.seen)
        seen: str | list[str] = ids if ids.count("\n") == len(agg.seen) - 1 else list(agg.seen)
        payload = msgspec.msgpack.encode(_Part(agg.learners, agg.counts, seen, agg.voided, stats))
        conn.send(None)  # then the facts, as bytes
        conn.send_bytes(payload)
    except SourceError as exc:
        conn.send(exc)
    except BaseException:  # sent to the parent, which stops with it
        conn.send(RuntimeError(traceback.format_exc()))
    finally:
        conn.close()


def fold_file(course: ParsedCourse, path: Path, limits: Limits = Limits(), *,
              workers: int = 1, parallel_bytes: int = PARALLEL_BYTES,
              watch: Watch | None = None) -> tuple[Aggregator, ReadStats]:
    """An export file's facts. One read (a large JSON-lines file in parts at once):
    voidings are collected as the file goes by. A voiding may come after the statement it
    voids (or, read in halves, sit in the other half), and then that statement was already
    counted; only then is the file folded again, with every voiding known up front (an LRS
    leaves voided statements out of its answers by itself, xAPI Communication §2.1.3)."""
    watching = watch or _unwatched
    agg, stats = read_file(course, path, limits, workers=workers, parallel_bytes=parallel_bytes,
                           watch=watching)
    if any(target in agg.seen for target in agg.voided):
        agg, stats = read_file(course, path, limits, voided_ids(path, limits), workers=workers,
                               parallel_bytes=parallel_bytes, watch=watching)
    return agg, stats


def read_file(course: ParsedCourse, path: Path, limits: Limits = Limits(),
              voided: set[str] | None = None, *, workers: int = 2,
              parallel_bytes: int = PARALLEL_BYTES, watch: Watch = _unwatched) -> tuple[Aggregator, ReadStats]:
    """Fold an export file. With `voided` None, the voidings are collected as the file is
    read (into the returned aggregator's `voided`); with a set, those are applied up front.
    `watch` wraps what this process reads (the progress line)."""
    size = path.stat().st_size if path.is_file() else 0
    parts = min(workers, size // max(parallel_bytes // 2, 1))
    if parts >= 2 and size >= parallel_bytes and _is_lines(path):
        cuts = sorted({line_start(path, near) for near in _cut_points(size, parts)} - {0, size})
        if cuts:
            folded = _in_parts(course, path, limits, voided, [0, *cuts, size], watch)
            if folded is not None:
                return folded
    stats = ReadStats()
    agg = Aggregator(course, set(voided) if voided is not None else set())
    agg.add_runs(watch(file_runs(path, stats, limits, agg.voided if voided is None else None), stats))
    return agg, stats


def _cut_points(size: int, parts: int) -> list[int]:
    """Where to cut a file of `size` bytes into `parts` (before moving to line starts): the
    first part weighs FIRST_WEIGHT, every other part 1."""
    total = FIRST_WEIGHT + parts - 1
    return [round(size * (FIRST_WEIGHT + k - 1) / total) for k in range(1, parts)]


def _in_parts(course: ParsedCourse, path: Path, limits: Limits, voided: set[str] | None,
              bounds: list[int], watch: Watch) -> tuple[Aggregator, ReadStats] | None:
    """The parts between `bounds` folded at once and merged in order, or None when two parts
    share a statement id."""
    context = multiprocessing.get_context("fork")
    children: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        # Frozen objects are left alone by the collector: the children's collections then do
        # not write to (and so copy) every page the processes share after the fork.
        gc.freeze()
        try:
            for start, stop in pairwise(bounds[1:]):
                receive, send = context.Pipe(duplex=False)
                reader = context.Process(target=_child, daemon=True,
                                         args=(send, course, path, limits, voided, start, stop))
                reader.start()
                send.close()
                children.append((reader, receive))
        finally:
            gc.unfreeze()
        stats = ReadStats()
        agg = Aggregator(course, set(voided) if voided is not None else set())
        agg.add_runs(watch(line_statements(path, stats, limits,
                                           agg.voided if voided is None else None, 0, bounds[1]),
                           stats))
        for child, receive in children:
            part = _receive(child, receive, path)
            seen = part.seen if isinstance(part.seen, list) else part.seen.split("\n") if part.seen else []
            if not agg.seen.isdisjoint(seen):
                return None
            agg.merge(part.learners, part.counts, seen, part.voided)
            stats.read += part.stats.read
            stats.bad += part.stats.bad
            stats.bad_examples = (stats.bad_examples + part.stats.bad_examples)[:5]
        return agg, stats
    finally:
        for child, receive in children:
            receive.close()
            if child.is_alive():
                child.kill()
            child.join()


def _receive(child: multiprocessing.process.BaseProcess, receive: Connection, path: Path) -> _Part:
    """A child's facts, or its failure raised here."""
    try:
        failure = receive.recv()
        if isinstance(failure, BaseException):
            raise failure
        return _PART.decode(receive.recv_bytes())
    except EOFError:
        child.join()
        raise RuntimeError(f"a reader of part of {path} stopped (exit code {child.exitcode})") from None


def worker_count() -> int:
    """One reader per core this process may use (at most MAX_WORKERS);
    CPOM_REPORT_WORKERS=N sets the number (1 keeps a report in one process: a busy shared
    machine)."""
    wanted = os.environ.get("CPOM_REPORT_WORKERS", "").strip()
    if wanted.isdigit() and 1 <= int(wanted) <= MAX_WORKERS:
        return int(wanted)
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))
