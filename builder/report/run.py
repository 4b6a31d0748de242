"""The report pipeline: course → statements (LRS or file) → facts → tables → files."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from builder.model import ParsedCourse
from builder.progress import QUIET, Progress
from builder.report.aggregate import Aggregator
from builder.report.output import write_report
from builder.report.parallel import fold_file, worker_count
from builder.report.source import Limits, ReadStats, SourceError, from_lrs
from builder.report.statement import Statement
from builder.report.tables import Report, build_report


@dataclass
class LrsSettings:
    endpoint: str
    username: str
    password: str
    since: str | None = None
    until: str | None = None


T = TypeVar("T")
EVERY = 4096  # statements between progress checks: cheap next to decoding them
RUNS_EVERY = 32  # runs (a file's chunks, about a hundred statements each) between checks


def _line(stats: ReadStats, progress: Progress) -> str:
    pages = f"{stats.pages:,} pages, " if stats.pages else ""
    rate = stats.read / max(progress.elapsed(), 1e-9)
    return f"reading: {pages}{stats.read:,} statements ({rate:,.0f}/s)"


def _watched(items: Iterable[T], stats: ReadStats, progress: Progress,
             every: int = EVERY) -> Iterator[T]:
    """Pass statements (or runs of them) through, redrawing the progress line now and then."""
    if not progress.enabled:
        yield from items
        return
    for n, item in enumerate(items, 1):
        if n % every == 0:
            progress.show(_line(stats, progress))
        yield item
    progress.show(_line(stats, progress), force=True)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the length of a report (as it was after).
    Decoding a million statements allocates millions of objects, each allocation counting
    towards the next collection, and every few collections scan all the facts gathered so
    far: a third of the read's time, for nothing, as statements and facts hold no
    reference cycles (reference counting frees them)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def make_report(course: ParsedCourse, out: Path, *, statements: Path | None = None,
                lrs: LrsSettings | None = None, limits: Limits = Limits(),
                progress: Progress = QUIET,
                keep: list[object] | None = None) -> tuple[Report, ReadStats, list[Path]]:
    """The report's tables, written to `out`. `keep`: a list the facts are added to, for a
    caller that would rather not free them (a process about to exit: builder.cli.entry)."""
    with gc_paused():
        return _make_report(course, out, statements, lrs, limits, progress, keep)


def _make_report(course: ParsedCourse, out: Path, statements: Path | None,
                 lrs: LrsSettings | None, limits: Limits, progress: Progress,
                 keep: list[object] | None) -> tuple[Report, ReadStats, list[Path]]:
    stats = ReadStats()
    if statements is not None:
        def watch(runs: Iterable[list[Statement]], read: ReadStats) -> Iterable[list[Statement]]:
            return _watched(runs, read, progress, RUNS_EVERY)

        # Without a progress line (--quiet, or not a terminal) nothing wraps the statements.
        agg, stats = fold_file(course, statements, limits, workers=worker_count(),
                               watch=watch if progress.enabled else None)
        source = str(statements)
    elif lrs is not None:
        agg = Aggregator(course)
        agg.add_all(_watched(from_lrs(lrs.endpoint, lrs.username, lrs.password,
                                      course.curriculum.course.id, stats, lrs.since, lrs.until,
                                      limits), stats, progress))
        source = lrs.endpoint
    else:
        raise SourceError("no statements: set LRS_ENDPOINT (with LRS_USERNAME, LRS_PASSWORD) or STATEMENTS=<file>")
    if not agg.learners:
        raise SourceError(f"{source}: no statements about {course.curriculum.course.id} "
                          f"({stats.read} read, {stats.bad} unreadable, "
                          f"{agg.counts.other_course} about other courses): nothing to report")
    if keep is not None:
        # Freeing a million statements' facts (millions of small objects, one by one) takes
        # a fifth of a second that a process about to exit has no use for.
        keep.append(agg)
    progress.stage("building the tables")
    report = build_report(course, agg)
    report.summary["unreadable_skipped"] = stats.bad
    progress.stage("writing the reports")
    return report, stats, write_report(course, report, out, source)
