"""The report pipeline: course → statements (LRS or file) → facts → tables → files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from builder.model import ParsedCourse
from builder.progress import QUIET, Progress
from builder.report.aggregate import Aggregator
from builder.report.output import write_report
from builder.report.source import Limits, ReadStats, SourceError, from_file, from_lrs, voided_ids
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


def _line(stats: ReadStats, progress: Progress) -> str:
    pages = f"{stats.pages:,} pages, " if stats.pages else ""
    rate = stats.read / max(progress.elapsed(), 1e-9)
    return f"reading: {pages}{stats.read:,} statements ({rate:,.0f}/s)"


def _watched(items: Iterable[T], stats: ReadStats, progress: Progress) -> Iterator[T]:
    """Pass statements through, redrawing the progress line now and then."""
    if not progress.enabled:
        yield from items
        return
    for n, item in enumerate(items, 1):
        if n % EVERY == 0:
            progress.show(_line(stats, progress))
        yield item
    progress.show(_line(stats, progress), force=True)


def make_report(course: ParsedCourse, out: Path, *, statements: Path | None = None,
                lrs: LrsSettings | None = None, limits: Limits = Limits(),
                progress: Progress = QUIET) -> tuple[Report, ReadStats, list[Path]]:
    stats = ReadStats()
    if statements is not None:
        # One read: voidings are collected as the file goes by. A voiding may come after
        # the statement it voids, and then that statement was already counted; only then is
        # the file folded again, with every voiding known up front (an LRS leaves voided
        # statements out of its answers by itself, xAPI Communication §2.1.3).
        voided: set[str] = set()
        agg = Aggregator(course, voided)
        agg.add_all(_watched(from_file(statements, stats, limits, voided), stats, progress))
        if any(target in agg.seen for target in voided):
            stats = ReadStats()
            agg = Aggregator(course, voided_ids(statements, limits))
            agg.add_all(_watched(from_file(statements, stats, limits), stats, progress))
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
    progress.stage("building the tables")
    report = build_report(course, agg)
    report.summary["unreadable_skipped"] = stats.bad
    progress.stage("writing the reports")
    return report, stats, write_report(course, report, out, source)
