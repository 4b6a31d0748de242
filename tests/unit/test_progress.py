"""Progress lines appear on a terminal, and never in logs, pipes or with --quiet."""

from __future__ import annotations

import io

import pytest

from builder.cli import main
from builder.pipeline import build_packages
from builder.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_build_on_a_terminal_shows_each_stage(case) -> None:
    screen = Terminal()
    build_packages(case(), progress=Progress.for_terminal(stream=screen))
    shown = screen.getvalue()
    for stage in ("loading the curriculum", "parsing 2 modules", "rendering 2 pages",
                  "scorm2004: packaging 3/3", "cmi5: packaging 2/2", "xapi: packaging 1/1",
                  "zipping 9/9"):
        assert stage in shown, stage


def test_nothing_is_shown_when_the_output_is_not_a_terminal(case) -> None:
    log = io.StringIO()
    build_packages(case(), progress=Progress.for_terminal(stream=log))
    assert log.getvalue() == ""


def test_quiet_silences_a_terminal(case) -> None:
    screen = Terminal()
    build_packages(case(), progress=Progress.for_terminal(quiet=True, stream=screen))
    assert screen.getvalue() == ""


def test_finish_clears_the_line() -> None:
    screen = Terminal()
    progress = Progress.for_terminal(stream=screen)
    progress.stage("reading", 10, 10)
    progress.finish()
    assert screen.getvalue().endswith("\r")
    assert screen.getvalue().split("\r")[-2].strip() == ""


def test_cli_build_into_a_pipe_prints_no_progress(case, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--content", str(case()), "--out", str(tmp_path / "out")]) == 0
    assert "\r" not in capsys.readouterr().err


def _export(tmp_path):
    import json

    from builder.pipeline import load_course
    from tests.conftest import CASES
    from tests.statements import Writer, all_answers

    course, _ = load_course(CASES / "minimal")
    lines = [json.dumps(s) for who in ("ann", "bob", "cy")
             for s in Writer(course, 1).module_session(who, "m1", all_answers(course, "m1", True))]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return course, path, len(lines)


def test_a_report_on_a_terminal_shows_statements_read_and_the_rate(tmp_path) -> None:
    from builder.report.run import make_report

    course, path, count = _export(tmp_path)
    screen = Terminal()
    make_report(course, tmp_path / "out", statements=path,
                progress=Progress.for_terminal(stream=screen))
    shown = screen.getvalue()
    assert f"reading: {count:,} statements (" in shown and "/s)" in shown
    assert "building the tables" in shown and "writing the reports" in shown


def test_a_report_into_a_pipe_shows_no_progress(tmp_path) -> None:
    from builder.report.run import make_report

    course, path, _ = _export(tmp_path)
    log = io.StringIO()
    make_report(course, tmp_path / "out", statements=path, progress=Progress.for_terminal(stream=log))
    assert log.getvalue() == ""
