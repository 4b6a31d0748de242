"""Command line: parses arguments, calls the pipeline, prints diagnostics, sets exit codes."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
import traceback
from pathlib import Path
from typing import NoReturn

from builder import __version__
from builder.check_output import FORMATS, as_json, github_line
from builder.errors import BuildFailed, Diagnostic, Severity, summary
from builder.output_folder import check_output_folder, claim
from builder.pipeline import build_packages, load_course, write_packages
from builder.progress import Progress
from builder.schema import SCHEMA_DIR, write_schemas

# 1: the sources have problems; 2: the command cannot be carried out as given (argparse's own
# usage errors, an output folder that is refused or cannot be written) or the builder crashed
# (issue 9: a crash exits 2, told apart from a usage error by its "this is a bug" line).
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 2
BUG_REPORT = ("this is a bug in the builder, not in your course: please report it to the "
              "builder's maintainers with the command you ran and the traceback above")
STRICT_HELP = "treat warnings as errors (exit 1), e.g. in CI"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m builder",
                                     description="Build LMS packages from a Markdown course.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build every package into the output folder")
    build.add_argument("--content", type=Path, default=None,
                       help="course folder (default: . if it has curriculum.yaml, else content)")
    build.add_argument("--out", type=Path, default=Path("packages"), help="output folder")
    build.add_argument("--format", action="append", dest="formats", metavar="NAME",
                       help="build only this format (repeatable); default: all")
    build.add_argument("--quiet", action="store_true",
                       help="no progress line (it is only shown on a terminal anyway)")
    build.add_argument("--strict", action="store_true", help=STRICT_HELP)
    build.add_argument("--jobs", type=int, choices=(1, 2), default=None,
                       help="processes that parse the modules (default: 2 when two cores are "
                            "free and the course is large enough to gain from it)")
    check = sub.add_parser("check", help="validate the sources without writing anything")
    check.add_argument("--content", type=Path, default=None,
                       help="course folder (default: . if it has curriculum.yaml, else content)")
    check.add_argument("--format", choices=FORMATS, default="text", dest="output",
                       help="text (default), json (one document on stdout) or github "
                            "(workflow-command annotations for GitHub Actions)")
    check.add_argument("--strict", action="store_true", help=STRICT_HELP)
    new = sub.add_parser("new", help="write a small starter course into a new folder")
    new.add_argument("folder", type=Path, help="folder to create (must be missing or empty)")
    schema = sub.add_parser("schema", help="write JSON Schemas for curriculum.yaml and question "
                                           "blocks (for editor completion)")
    schema.add_argument("--out", type=Path, default=Path("content") / SCHEMA_DIR,
                        help=f"folder to write into (default: content/{SCHEMA_DIR})")
    sub.add_parser("formats", help="list the package formats")
    report = sub.add_parser(
        "report", help="completion, mastery and item-analysis reports from an LRS or an export",
        description="Read the course's statements from an LRS (--endpoint, or LRS_ENDPOINT with "
                    "LRS_USERNAME and LRS_PASSWORD) or from an export file (--statements, JSON lines "
                    "or a JSON array) and write learners.csv, modules.csv, goals.csv, questions.csv, "
                    "paths.csv, report.json and report.html.")
    _statement_source_options(report)
    report.add_argument("--out", type=Path, default=Path("reports"), help="output folder")
    report.add_argument("--quiet", action="store_true",
                        help="no progress line (it is only shown on a terminal anyway)")
    _verify_parser(sub)
    preview = sub.add_parser("preview", help="serve the course live from its sources, reloading "
                                             "on every save, with an LMS/LRS panel")
    preview.add_argument("--content", type=Path, default=None,
                         help="course folder (default: . if it has curriculum.yaml, else content)")
    preview.add_argument("--port", type=int, default=8000)
    return parser


def _verify_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = sub.add_parser(
        "verify", help="check a certificate's verification code against the statements",
        description="Read the exam's statements from an LRS (--endpoint, or LRS_ENDPOINT with "
                    "LRS_USERNAME and LRS_PASSWORD) or an export file (--statements) and print "
                    "the certificate CODE proves (exit 0), or why it proves none (exit 1).")
    verify.add_argument("code", help="the code on the certificate, e.g. 7K2M-9QXA-40RT-D")
    _statement_source_options(verify)


def _statement_source_options(command: argparse.ArgumentParser) -> None:
    """Where `report` and `verify` read statements from, with the same safety limits."""
    command.add_argument("--content", type=Path, default=Path("content"), help="course folder")
    command.add_argument("--statements", type=Path, help="export file (JSON lines or JSON array)")
    command.add_argument("--endpoint", default=os.environ.get("LRS_ENDPOINT") or None,
                         help="xAPI endpoint of the LRS (default: $LRS_ENDPOINT)")
    command.add_argument("--username", default=os.environ.get("LRS_USERNAME", ""))
    command.add_argument("--password", default=os.environ.get("LRS_PASSWORD", ""))
    command.add_argument("--since", help="only statements stored after this ISO 8601 time")
    command.add_argument("--until", help="only statements stored up to this ISO 8601 time")
    command.add_argument("--timeout", type=_positive, default=600.0, metavar="SECONDS",
                         help="give up reading the LRS after this long in all (each request also "
                              "gives up after 60 s); default 600")
    command.add_argument("--max-line-mb", type=_positive, default=1.0, metavar="MB",
                         help="skip (and count) export lines longer than this; default 1")


def _verify(args: argparse.Namespace) -> int:
    from builder.report.verify_command import VerifyArgs, run

    return run(VerifyArgs(args.code, args.content, args.statements,
                          args.endpoint if not args.statements else None, args.username,
                          args.password, args.since, args.until, args.timeout, args.max_line_mb))


def _default_content() -> Path:
    """In a course folder (as `cpom-builder new` makes), the course is right here."""
    return Path(".") if Path("curriculum.yaml").is_file() else Path("content")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e9:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def _report(args: argparse.Namespace, keep: list[object] | None = None) -> int:
    from builder.report.course import load_for_report
    from builder.report.run import LrsSettings, make_report
    from builder.report.source import MB, Limits, SourceError

    check_output_folder(args.out, args.content)
    course = load_for_report(args.content)
    lrs = (LrsSettings(args.endpoint, args.username, args.password, args.since, args.until)
           if args.endpoint and not args.statements else None)
    try:
        limits = Limits(line_bytes=int(args.max_line_mb * MB), timeout=args.timeout)
        progress = Progress.for_terminal(args.quiet)
        try:
            report, stats, written = make_report(course, args.out, statements=args.statements,
                                                 lrs=lrs, limits=limits, progress=progress,
                                                 keep=keep)
        finally:
            progress.finish()
        claim(args.out)  # after success: a failed report leaves no folder behind
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for example in stats.bad_examples:
        print(f"warning: skipped unreadable statement: {example}", file=sys.stderr)
    s = report.summary
    print(f"{s['learners']} learners, {s['statements_used']} statements used of {stats.read} read "
          f"({stats.bad} unreadable, {s['duplicates_skipped']} duplicates, {s['voided_excluded']} voided, "
          f"{s['other_course_skipped']} other courses skipped)")
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _print_check(output: str, problems: list[Diagnostic], counts: dict[str, int] | None) -> None:
    if output == "json":
        print(as_json(problems, counts))
        return
    for d in problems:
        if output == "github":
            print(github_line(d))  # stdout: the runner reads workflow commands there
        else:
            print(d.format(), file=sys.stderr)
    if counts is None:
        print(f"{summary(problems)}; sources have problems", file=sys.stderr)
    elif output == "text":
        print(f"ok: {counts['modules']} modules, {counts['words']} words, "
              f"{counts['questions']} questions")


def _promote(problems: list[Diagnostic]) -> list[Diagnostic]:
    """--strict: every warning becomes an error."""
    return [dataclasses.replace(d, severity=Severity.ERROR) for d in problems]


def _check(args: argparse.Namespace) -> int:
    try:
        course, problems = load_course(args.content)
        if args.strict and problems:
            raise BuildFailed(_promote(problems))
    except BuildFailed as failed:
        _print_check(args.output, failed.diagnostics, None)
        return EXIT_CONTENT
    counts = {"modules": len(course.modules), "words": sum(m.words for m in course.modules),
              "questions": sum(len(m.questions) for m in course.modules)}
    _print_check(args.output, problems, counts)
    return EXIT_OK


def main(argv: list[str] | None = None, keep: list[object] | None = None) -> int:
    """Run one command; the exit code. `keep`: see builder.report.run.make_report."""
    args = _parser().parse_args(argv)
    if getattr(args, "content", "") is None:
        args.content = _default_content()
    try:
        return _run(args, keep)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:
        # Anything else is the builder's fault, not the author's: say so, and give the
        # maintainers what they need.
        traceback.print_exc()
        print(f"error: {BUG_REPORT}", file=sys.stderr)
        return EXIT_BUG


def entry() -> NoReturn:
    """The process's entry (`python -m builder`, the `cpom-builder` script), never called
    by tests: main(), then, after a report, exit at once. A report leaves millions of small
    objects (its facts) that the interpreter would free one by one on the way out, a fifth
    of a second for a million statements; the operating system takes the memory back in
    one go. Output is flushed first, and every file the report wrote is closed by then.
    Other commands exit as usual (their clean-up, e.g. temporary folders, runs)."""
    keep: list[object] = []
    code = main(keep=keep)
    if not keep:
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    # The forked children (builder.forked) are waited for, as the usual exit does: each is
    # exiting already, and a child never waited for is missing from the resource usage the
    # caller sees (the bench's CPU seconds).
    import multiprocessing

    for child in multiprocessing.active_children():
        child.join()
    os._exit(code)


def _run(args: argparse.Namespace, keep: list[object] | None = None) -> int:
    try:
        if args.command == "formats":
            from builder.formats import formats

            for fmt in formats().values():
                print(f"{fmt.name:10} {fmt.title}")
            return EXIT_OK
        if args.command == "report":
            return _report(args, keep)
        if args.command == "verify":
            return _verify(args)
        if args.command == "preview":
            from builder.preview import serve

            serve(args.content, args.port)
            return EXIT_OK
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            from builder.new_course import new_course

            written = new_course(args.folder)
            print(f"wrote a starter course of {len(written)} files in {args.folder}/: "
                  f"cd {args.folder} && cpom-builder check --content . && "
                  f"cpom-builder preview --content .")
            return EXIT_OK
        if args.command == "schema":
            for path in write_schemas(args.out):
                print(f"wrote {path}")
            return EXIT_OK
        check_output_folder(args.out, args.content)
        started = time.perf_counter()
        progress = Progress.for_terminal(args.quiet)
        try:
            result = build_packages(args.content, args.formats, progress, args.jobs)
            if args.strict and result.diagnostics:
                raise BuildFailed(_promote(result.diagnostics))
            progress.stage(f"writing {len(result.packages)} packages")
            write_packages(args.out, result.packages)
        finally:
            progress.finish()
        for d in result.diagnostics:
            print(d.format(), file=sys.stderr)
        total = sum(len(b) for b in result.packages.values())
        print(f"built {len(result.packages)} packages ({total / 1e6:.1f} MB) in {args.out}/ "
              f"in {time.perf_counter() - started:.2f} s")
        return EXIT_OK
    except BuildFailed as failed:
        for d in failed.diagnostics:
            print(d.format(), file=sys.stderr)
        where = "no packages written" if args.command == "build" else "sources have problems"
        print(f"{summary(failed.diagnostics)}; {where}", file=sys.stderr)
        return EXIT_CONTENT
    except (ValueError, OSError) as exc:
        # A folder that cannot be written (permissions, a file in the way, a busy port):
        # one line, never a traceback.
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
