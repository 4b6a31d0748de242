"""`check --format json|github` for CI pipelines, next to the text format."""

from __future__ import annotations

import json
import re

import pytest

from builder.check_output import github_line
from builder.cli import main
from builder.errors import Diagnostic, Severity
from tests.conftest import edit

# GitHub Actions workflow command: ::error|warning [key=value[,key=value]]::message, where
# message escapes % CR LF and property values additionally escape : and ,.
WORKFLOW_COMMAND = re.compile(
    r"^::(error|warning|notice)(?: ((?:[a-zA-Z]+=[^,:\r\n]*)(?:,[a-zA-Z]+=[^,:\r\n]*)*))?::([^\r\n]*)$")


def test_github_line_follows_the_workflow_command_syntax() -> None:
    d = Diagnostic("content/modules/m 1,a:b.md", 12, "bad 100% value\nsecond line", "fix: it",
                   "question.bad-range")
    line = github_line(d)
    match = WORKFLOW_COMMAND.match(line)
    assert match, line
    props = dict(p.split("=", 1) for p in match.group(2).split(","))
    assert props == {"file": "content/modules/m 1%2Ca%3Ab.md", "line": "12",
                     "title": "question.bad-range"}
    assert match.group(3) == "bad 100%25 value%0Asecond line: fix: it"


def test_a_warning_is_a_warning_command() -> None:
    d = Diagnostic("c.yaml", 3, "m", "f", "x.y", Severity.WARNING)
    assert github_line(d).startswith("::warning file=c.yaml,line=3,title=x.y::")


def test_check_github_annotates_each_problem(case, capsys: pytest.CaptureFixture[str]) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT5M", "    duraton: PT5M")
    assert main(["check", "--content", str(c), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and WORKFLOW_COMMAND.match(out[0])
    assert ",line=16,title=curriculum.unknown-key::unknown key 'duraton'" in out[0]


def test_check_json_reports_every_problem(case, capsys: pytest.CaptureFixture[str]) -> None:
    c = case()
    edit(c / "curriculum.yaml", "    duration: PT5M", "    duraton: PT5M")
    assert main(["check", "--content", str(c), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and doc["errors"] == 1 and doc["course"] is None
    (d,) = doc["diagnostics"]
    assert (d["line"], d["code"], d["severity"]) == (16, "curriculum.unknown-key", "error")


def test_check_json_counts_a_clean_course(case, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(case()), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["diagnostics"] == []
    assert doc["course"] == {"modules": 2, "words": 105, "questions": 8}


def test_schema_into_a_path_that_is_a_file_is_a_one_line_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("an author's file", encoding="utf-8")
    assert main(["schema", "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err and len(err.splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "an author's file"
