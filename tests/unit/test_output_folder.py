"""`build --out` and `report --out` refuse folders an author must keep, and replace only a
folder the builder made itself. Each refusal: exit 2, one line saying how to fix it, and
nothing touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.output_folder import MARKER
from tests.conftest import CASES


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/home (as $HOME) holding work/ (the current folder) and course/ (the content)."""
    home = tmp_path / "home"
    shutil.copytree(CASES / "minimal", home / "course")
    (home / "work").mkdir()
    (home / "work" / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home / "work")
    return home


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused(args: list[str], capsys: pytest.CaptureFixture[str], place: Path, why: str) -> None:
    before = _files(place)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: --out "), err
    assert why in err
    assert _files(place) == before  # nothing deleted, nothing written


def _build(out: str, content: str = "../course") -> list[str]:
    return ["build", "--quiet", "--content", content, "--out", out]


def test_build_refuses_the_content_folder(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(_build("../course"), capsys, place, "is the content folder")


def test_build_refuses_a_folder_inside_the_content_folder(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _refused(_build("../course/packages"), capsys, place, "lies inside the content folder")


def test_build_refuses_a_folder_that_contains_the_content_folder(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (place / "projects").mkdir()
    shutil.move(place / "course", place / "projects" / "course")
    _refused(_build("../projects", "../projects/course"), capsys, place,
             "contains the content folder")


def test_build_refuses_the_current_folder(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(_build("."), capsys, place, "is the current folder")


def test_build_refuses_a_folder_that_contains_the_current_folder(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (place / "work" / "deeper").mkdir()
    monkeypatch.chdir(place / "work" / "deeper")
    _refused(_build("..", "../../course"), capsys, place, "contains the current folder")


def test_build_refuses_the_repository_root(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = place / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    _refused(_build(str(repo), "../../course"), capsys, place, "is the repository")


def test_build_refuses_a_folder_that_contains_a_repository(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (place / "code" / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(place / "code" / "repo")
    _refused(_build(str(place / "code"), "../../course"), capsys, place, "contains the repository")


def test_build_refuses_a_folder_holding_git(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (place / "other" / ".git").mkdir(parents=True)
    _refused(_build("../other"), capsys, place, "is a repository")


def test_build_refuses_the_home_folder(
    place: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.move(place / "course", tmp_path / "course")
    _refused(_build(str(place), str(tmp_path / "course")), capsys, place, "is your home folder")


def test_build_refuses_a_folder_that_contains_the_home_folder(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    (tmp_path / "users").mkdir()
    shutil.move(place, tmp_path / "users" / "home")
    monkeypatch.setenv("HOME", str(tmp_path / "users" / "home"))
    shutil.move(tmp_path / "users" / "home" / "course", tmp_path / "course")
    monkeypatch.chdir(tmp_path)
    _refused(_build("users", "course"), capsys, tmp_path / "users", "contains your home folder")


def test_build_refuses_the_root_of_the_file_system(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _refused(_build("/"), capsys, place, "root of the file system")


def test_build_refuses_a_folder_with_files_it_did_not_make(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (place / "mine").mkdir()
    (place / "mine" / "thesis.docx").write_bytes(b"years of work")
    _refused(_build("../mine"), capsys, place, "empty that folder or choose a new one")


def test_build_replaces_a_folder_it_made(place: Path) -> None:
    assert main(_build("../out")) == 0
    assert (place / "out" / MARKER).is_file()
    (place / "out" / "stale.zip").write_bytes(b"old")
    assert main(_build("../out")) == 0
    assert not (place / "out" / "stale.zip").exists()
    assert any((place / "out").glob("*.zip"))


def test_build_writes_into_an_empty_folder(place: Path) -> None:
    (place / "empty").mkdir()
    assert main(_build("../empty")) == 0
    assert (place / "empty" / MARKER).is_file()


def test_the_repository_packages_folder_keeps_its_gitignore_and_marker(place: Path) -> None:
    out = place / "packages"
    out.mkdir()
    (out / ".gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    (out / MARKER).write_text("made by the builder\n", encoding="utf-8")
    assert main(_build("../packages")) == 0
    assert (out / ".gitignore").read_text(encoding="utf-8") == "*\n!.gitignore\n"
    assert (out / MARKER).is_file()


def test_the_shipped_packages_folder_carries_the_marker() -> None:
    packages = CASES.parent.parent / "packages"
    assert (packages / MARKER).is_file()
    assert f"!{MARKER}" in (packages / ".gitignore").read_text(encoding="utf-8").split()


def _report(out: str, place: Path) -> list[str]:
    export = place / "empty.jsonl"
    export.write_text("", encoding="utf-8")
    return ["report", "--quiet", "--content", "../course", "--statements", str(export),
            "--out", out]


def test_report_refuses_the_content_folder(place: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _report("../course", place)
    _refused(args, capsys, place, "is the content folder")


def test_report_refuses_a_folder_with_files_it_did_not_make(
    place: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (place / "mine").mkdir()
    (place / "mine" / "learners.csv").write_text("my own spreadsheet", encoding="utf-8")
    args = _report("../mine", place)
    _refused(args, capsys, place, "empty that folder or choose a new one")


def test_new_refuses_a_file_in_the_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "course").write_text("not a folder", encoding="utf-8")
    assert main(["new", str(tmp_path / "course")]) == 2
    assert "choose a new folder name" in capsys.readouterr().err
    assert (tmp_path / "course").read_text(encoding="utf-8") == "not a folder"
