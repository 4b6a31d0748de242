"""Exit statuses: 1 for problems in the sources (and, with --strict, warnings); 2 for a
command that cannot be carried out as given; 3, with the traceback and a request to report
it, when the builder itself fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import cli
from builder.cli import main
from tests.conftest import edit


def test_a_content_error_exits_1(case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = case()
    edit(course / "curriculum.yaml", "title: Safe Storage", "title: Unsafe Storage")
    assert main(["build", "--quiet", "--content", str(course), "--out", str(tmp_path / "o")]) == 1
    assert "[module.title-mismatch]" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--no-such-flag"])
    assert exited.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_a_crash_exits_2_with_the_traceback_and_where_to_report_it(
    case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("an internal slip")

    monkeypatch.setattr(cli, "build_packages", broken)
    assert main(["build", "--quiet", "--content", str(case()), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "KeyError: 'an internal slip'" in err
    assert "this is a bug in the builder" in err
    assert "report it" in err


def test_a_user_facing_oserror_stays_one_line(
    case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "o").write_text("a file where the folder should be", encoding="utf-8")
    assert main(["build", "--quiet", "--content", str(case()), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "Traceback" not in err


def _with_a_warning(case) -> Path:
    """The sample course with a declared duration far from its estimate: a warning only."""
    course = case()
    edit(course / "curriculum.yaml", "duration: PT5M", "duration: PT2H")
    return course


def test_warnings_alone_do_not_fail_check_or_build(
    case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = _with_a_warning(case)
    assert main(["check", "--content", str(course)]) == 0
    assert main(["build", "--quiet", "--content", str(course), "--out", str(tmp_path / "o")]) == 0
    assert "warning: " in capsys.readouterr().err


def test_strict_check_fails_on_a_warning(case, capsys: pytest.CaptureFixture[str]) -> None:
    course = _with_a_warning(case)
    assert main(["check", "--strict", "--content", str(course)]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "[curriculum.duration-estimate]" in err
    assert "1 error(s), 0 warning(s)" in err


def test_strict_check_json_is_not_ok(case, capsys: pytest.CaptureFixture[str]) -> None:
    course = _with_a_warning(case)
    assert main(["check", "--strict", "--format", "json", "--content", str(course)]) == 1
    assert '"ok": false' in capsys.readouterr().out


def test_strict_build_fails_on_a_warning_and_writes_nothing(
    case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = _with_a_warning(case)
    out = tmp_path / "o"
    assert main(["build", "--strict", "--quiet", "--content", str(course), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "[curriculum.duration-estimate]" in err and "no packages written" in err
    assert not out.exists()


def test_strict_passes_clean_sources(case, tmp_path: Path) -> None:
    course = case()
    assert main(["check", "--strict", "--content", str(course)]) == 0
    assert main(["build", "--strict", "--quiet", "--content", str(course),
                 "--out", str(tmp_path / "o")]) == 0
