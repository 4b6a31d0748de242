"""The report pipeline: course → statements (LRS or file) → facts → tables → files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.model import ParsedCourse
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


def make_report(course: ParsedCourse, out: Path, *, statements: Path | None = None,
                lrs: LrsSettings | None = None,
                limits: Limits = Limits()) -> tuple[Report, ReadStats, list[Path]]:
    stats = ReadStats()
    if statements is not None:
        # One read: voidings are collected as the file goes by. A voiding may come after
        # the statement it voids, and then that statement was already counted; only then is
        # the file folded again, with every voiding known up front (an LRS leaves voided
        # statements out of its answers by itself, xAPI Communication §2.1.3).
        voided: set[str] = set()
        agg = Aggregator(course, voided)
        agg.add_all(from_file(statements, stats, limits, voided))
        if any(target in agg.seen for target in voided):
            stats = ReadStats()
            agg = Aggregator(course, voided_ids(statements, limits))
            agg.add_all(from_file(statements, stats, limits))
        source = str(statements)
    elif lrs is not None:
        agg = Aggregator(course)
        agg.add_all(from_lrs(lrs.endpoint, lrs.username, lrs.password, course.curriculum.course.id,
                             stats, lrs.since, lrs.until, limits))
        source = lrs.endpoint
    else:
        raise SourceError("no statements: set LRS_ENDPOINT (with LRS_USERNAME, LRS_PASSWORD) or STATEMENTS=<file>")
    if not agg.learners:
        raise SourceError(f"{source}: no statements about {course.curriculum.course.id} "
                          f"({stats.read} read, {stats.bad} unreadable, "
                          f"{agg.counts.other_course} about other courses): nothing to report")
    report = build_report(course, agg)
    report.summary["unreadable_skipped"] = stats.bad
    return report, stats, write_report(course, report, out, source)
