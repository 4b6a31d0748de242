"""`cpom-builder verify CODE`: reads the statements as `report` does (an export file, or the
LRS with the same origin, redirect and timeout rules) and prints the certificate a code
proves, or why it proves none."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.report.course import load_for_report
from builder.report.exam import exam_vocabulary
from builder.report.source import MB, Limits, ReadStats, SourceError, from_file, from_lrs
from builder.report.statement import Statement
from builder.report.verify import NotVerified, describe, normalise, verify

VERIFIED, NOT_VERIFIED = 0, 1


@dataclass(frozen=True)
class VerifyArgs:
    code: str
    content: Path
    statements: Path | None
    endpoint: str | None
    username: str
    password: str
    since: str | None = None
    until: str | None = None
    timeout: float = 600.0
    max_line_mb: float = 1.0


def run(args: VerifyArgs) -> int:
    """Exit status 0 when the code proves a certificate, 1 when it does not or the
    statements cannot be read (a message on stderr says which)."""
    try:
        normalise(args.code)  # a mistyped code needs no course and no LRS
    except NotVerified as exc:
        print(f"not verified: {exc}", file=sys.stderr)
        return NOT_VERIFIED
    course = load_for_report(args.content)
    exam = exam_vocabulary(course)
    if exam is None:
        print(f"error: {args.content / 'curriculum.yaml'}: the course has no exam, so it issues "
              "no certificates: give --content the folder of the course that issued the "
              "certificate", file=sys.stderr)
        return NOT_VERIFIED
    limits = Limits(line_bytes=int(args.max_line_mb * MB), timeout=args.timeout)
    stats = ReadStats()
    voided: set[str] = set()
    statements: Iterator[Statement]
    if args.statements is not None:
        statements = from_file(args.statements, stats, limits, voided)
    elif args.endpoint:
        # The exam's statements only: the LRS matches the exam IRI as object or in the
        # context (related_activities), which covers results, answers and earned statements.
        statements = from_lrs(args.endpoint, args.username, args.password, exam.iris.exam, stats,
                              args.since, args.until, limits)
    else:
        print("error: no statements: give --statements <export file>, or --endpoint (or "
              "LRS_ENDPOINT with LRS_USERNAME and LRS_PASSWORD)", file=sys.stderr)
        return NOT_VERIFIED
    try:
        proof = verify(args.code, statements, exam, voided)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return NOT_VERIFIED
    except NotVerified as exc:
        print(f"not verified: {exc} ({stats.read} statements read, {stats.bad} unreadable)",
              file=sys.stderr)
        return NOT_VERIFIED
    for line in describe(proof, exam, course.curriculum.course.title):
        print(line)
    return VERIFIED
