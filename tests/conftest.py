"""Shared fixtures: sample courses, built packages, the golden-file switch."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from builder.pipeline import build_packages

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
GOLDEN = ROOT / "tests" / "golden"
CONTENT = ROOT / "content"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden from the current build (then review the diff)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="session")
def minimal_packages() -> dict[str, bytes]:
    return build_packages(CASES / "minimal").packages


@pytest.fixture(scope="session")
def course_packages() -> dict[str, bytes]:
    """The shipped CPOM course, built once per test session."""
    return build_packages(CONTENT).packages


@pytest.fixture
def case(tmp_path: Path):
    """Copy a sample course into a scratch folder and return a function that edits it."""

    def make(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(CASES / name, target)
        return target

    return make


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
