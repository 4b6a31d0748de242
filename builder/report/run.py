"""The report pipeline: course → statements (LRS or file) → facts → tables → files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec

from builder.model import ParsedCourse
from builder.report.aggregate import VOIDED, Aggregator
from builder.report.output import write_report
from builder.report.source import Limits, ReadStats, SourceError, from_file, from_lrs, lines
from builder.report.statement import Ref, Verb
from builder.report.tables import Report, build_report


@dataclass
class LrsSettings:
    endpoint: str
    username: str
    password: str
    since: str | None = None
    until: str | None = None


class _Voiding(msgspec.Struct):
    verb: Verb
    object: Ref


_VOIDING = msgspec.json.Decoder(_Voiding)


def voided_ids(path: Path, limits: Limits = Limits()) -> set[str]:
    """Statements voided anywhere in an export file (a voiding statement may come after the
    statement it voids, so this is a first, cheap pass). An LRS leaves voided statements
    out of its answers by itself (xAPI Communication §2.1.3). A line that does not read here
    is left to the main pass, which counts and reports it."""
    found: set[str] = set()
    if not path.is_file():
        return found
    try:
        handle = path.open("rb")
    except OSError:
        return found
    with handle:
        for _, line in lines(handle, limits.line_bytes, b"/verbs/voided"):
            if line is None or b"/verbs/voided" not in line:
                continue
            try:
                s = _VOIDING.decode(line)
            except (msgspec.DecodeError, RecursionError, ValueError):
                continue
            if s.verb.id == VOIDED and s.object.objectType == "StatementRef" and s.object.id:
                found.add(s.object.id)
    return found


def make_report(course: ParsedCourse, out: Path, *, statements: Path | None = None,
                lrs: LrsSettings | None = None,
                limits: Limits = Limits()) -> tuple[Report, ReadStats, list[Path]]:
    stats = ReadStats()
    if statements is not None:
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
