"""The report pipeline: course → statements (LRS or file) → facts → tables → files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from builder.model import ParsedCourse
from builder.report.aggregate import VOIDED, Aggregator
from builder.report.output import write_report
from builder.report.source import ReadStats, SourceError, from_file, from_lrs
from builder.report.tables import Report, build_report


@dataclass
class LrsSettings:
    endpoint: str
    username: str
    password: str
    since: str | None = None
    until: str | None = None


def voided_ids(path: Path) -> set[str]:
    """Statements voided anywhere in an export file (a voiding statement may come after the
    statement it voids, so this is a first, cheap pass). An LRS leaves voided statements
    out of its answers by itself (xAPI Communication §2.1.3)."""
    found: set[str] = set()
    if not path.is_file():
        return found
    with path.open("rb") as handle:
        for line in handle:
            if b"/verbs/voided" not in line:
                continue
            try:
                s = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(s, dict) and s.get("verb", {}).get("id") == VOIDED:
                target = s.get("object", {})
                if target.get("objectType") == "StatementRef" and target.get("id"):
                    found.add(target["id"])
    return found


def make_report(course: ParsedCourse, out: Path, *, statements: Path | None = None,
                lrs: LrsSettings | None = None) -> tuple[Report, ReadStats, list[Path]]:
    stats = ReadStats()
    if statements is not None:
        agg = Aggregator(course, voided_ids(statements))
        agg.add_all(from_file(statements, stats))
        source = str(statements)
    elif lrs is not None:
        agg = Aggregator(course)
        agg.add_all(from_lrs(lrs.endpoint, lrs.username, lrs.password, course.curriculum.course.id,
                             stats, lrs.since, lrs.until))
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
