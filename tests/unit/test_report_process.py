"""`python -m builder report` as a process of its own: it exits without freeing the report's
facts (builder.cli.entry) and writes report.html in a forked child (builder.report.output),
so what a user sees must come out whole anyway: every line printed, every file complete,
and a failure as one clear line with a non-zero exit."""

from __future__ import annotations

import json
import multiprocessing.process
import os
import subprocess
import sys
from pathlib import Path

from builder.cli import main
from builder.output_folder import MARKER, MARKER_TEXT
from builder.pipeline import load_course
from tests.conftest import CASES
from tests.statements import Writer, all_answers

COURSE, _ = load_course(CASES / "minimal")
ROOT = Path(__file__).resolve().parents[2]


def export(path: Path) -> Path:
    writer = Writer(COURSE, 1)
    statements = (writer.module_session("ann", "m1", all_answers(COURSE, "m1", True))
                  + writer.module_session("bob", "m1", all_answers(COURSE, "m1", False)))
    path.write_text("".join(json.dumps(s) + "\n" for s in statements), encoding="utf-8")
    return path


def report(tmp_path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The report command in a process of its own, its output read through pipes (block
    buffered, as PYTHONUNBUFFERED is left out: lines not flushed before the process ends
    are lost)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "builder", "report", "--content",
                           str(CASES / "minimal"), "--statements", str(export(tmp_path / "s.jsonl")),
                           "--out", str(out)], check=False, cwd=ROOT, env=env, capture_output=True,
                          text=True,
                          timeout=120)


def test_a_report_process_prints_its_summary_and_writes_whole_files(tmp_path: Path) -> None:
    done = report(tmp_path, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("2 learners, ") and lines[1].startswith("wrote ")
    for name in lines[1].removeprefix("wrote ").split(", "):
        assert Path(name).is_file(), name
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["summary"]["learners"] == 2


def test_a_report_page_that_cannot_be_written_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    (out / "report.html").mkdir()  # a folder in the way of the page
    done = report(tmp_path, out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "report.html" in errors[0], done.stderr


def test_one_report_worker_keeps_the_whole_report_in_one_process(tmp_path: Path, monkeypatch) -> None:
    """CPOM_REPORT_WORKERS=1 (README: a busy shared machine): no stage forks a child, and
    the report is the same as with two."""
    two = tmp_path / "two"
    assert main(["report", "--content", str(CASES / "minimal"), "--statements",
                 str(export(tmp_path / "s.jsonl")), "--out", str(two), "--quiet"]) == 0

    def no_child(self: object) -> None:
        raise AssertionError("a child process was started")

    monkeypatch.setenv("CPOM_REPORT_WORKERS", "1")
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_child)
    one = tmp_path / "one"
    assert main(["report", "--content", str(CASES / "minimal"), "--statements",
                 str(tmp_path / "s.jsonl"), "--out", str(one), "--quiet"]) == 0
    for path in sorted(two.iterdir()):
        assert (one / path.name).read_bytes() == path.read_bytes(), path.name
