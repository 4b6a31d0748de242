"""Stage 4 of a report: write the tables as CSV (one file each), one JSON document and one
self-contained HTML page (no CDN, no script), all from the same rows."""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from pathlib import Path
from typing import Any

import msgspec
from markupsafe import Markup

from builder.model import ParsedCourse
from builder.report.aggregate import RULES
from builder.report.tables import Report
from builder.report.two import in_two

TABLES = ("learners", "modules", "goals", "questions", "paths")


# A cell starting with one of these is a formula to a spreadsheet (CSV injection: OWASP):
# a learner's name or answer must never run as one when a director opens the CSV.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet would read as a formula gets a leading quote;
    numbers, booleans and other text are written as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    # A plain writer over the rows' values (every row of a table has the same keys in the
    # same order): DictWriter re-checks each row's keys, a third of the writing time.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows([cell(v) for v in row.values()] for row in rows)
    return out.getvalue()


def worst_first(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Questions that separate strong from weak learners least come first (negative or no
    discrimination), then the hardest."""
    def key(q: dict[str, Any]) -> tuple[float, float, str, str]:
        d = q["discrimination"]
        return (d if d is not None else 2.0, q["difficulty"] if q["difficulty"] is not None else 2.0,
                q["module"], q["question"])
    return sorted((q for q in questions if q["attempts"]), key=key)


def _heat(rate: float | None) -> Markup:
    if rate is None:
        return Markup('style="background:#eceff3"')
    hue = round(120 * rate)  # red (0) to green (120)
    return Markup(f'style="background:hsl({hue} 70% 82%)"')


def write_report(course: ParsedCourse, report: Report, out: Path, source: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    # The page (its template compiled, then rendered: the longest part) is written by a
    # forked child while this process writes the CSVs and the JSON (builder.report.two; both
    # here when no child can be forked). An error in the child (a file that cannot be
    # written) makes this process write the page itself, and so raise that same error.
    tables, page = in_two(lambda n: (_write_data if n == 0 else _write_page)(
        course, report, out, source), [0, 1])
    return [*tables, *page]


def _write_data(course: ParsedCourse, report: Report, out: Path, source: str) -> list[Path]:
    """The CSVs and report.json."""
    written = []
    for name in TABLES:
        path = out / f"{name}.csv"
        path.write_text(_csv(getattr(report, name)), encoding="utf-8")
        written.append(path)
    for name, rows in (report.exam or {}).items():  # builder.report.exam_tables
        path = out / f"{name}.csv"
        path.write_text(_csv(rows), encoding="utf-8")
        written.append(path)
    document = {"course": course.curriculum.course.id, "source": source, "rules": RULES,
                # The tables as they are: rows of plain values need no deep copy (asdict's).
                **{f.name: getattr(report, f.name) for f in fields(report)}}
    # msgspec rather than json.dumps: with an indent the standard library encodes in pure
    # Python (a second for a 2,000-learner report). Strict JSON either way: scores were
    # range-checked on input, and msgspec writes any NaN or infinity as null, never as
    # the NaN/Infinity tokens a JSON parser refuses.
    (out / "report.json").write_bytes(msgspec.json.format(msgspec.json.encode(document), indent=1))
    written.append(out / "report.json")
    return written


def _write_page(course: ParsedCourse, report: Report, out: Path, source: str) -> list[Path]:
    """report.html."""
    from builder.render import environment  # Jinja and the page templates: only here

    goals_by_module: dict[str, list[dict[str, Any]]] = {}
    for g in report.goals:
        goals_by_module.setdefault(g["module"], []).append(g)
    widest = max((len(v) for v in goals_by_module.values()), default=0)
    peak = max((m["learners_started"] for m in report.modules), default=0) or 1
    html = environment().get_template("report.html.j2").render(
        course=course.curriculum.course, source=source, rules=RULES, summary=report.summary,
        modules=report.modules, goals_by_module=goals_by_module, widest=widest, peak=peak,
        questions=worst_first(report.questions), paths=report.paths, heat=_heat,
        exam=report.exam,
        language=course.curriculum.course.language,
    )
    (out / "report.html").write_text(html, encoding="utf-8")
    return [out / "report.html"]
