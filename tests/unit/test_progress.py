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
    for stage in ("loading the curriculum", "parsing 2 modules", "scorm2004: rendering 2 pages",
                  "scorm2004: packaging 3/3", "cmi5: packaging 2/2", "xapi: packaging 1/1"):
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
