"""The builder as a user installs it: the wheel (not an editable install) in a fresh
virtualenv, run from a folder outside the repository. A file left out of the wheel (a
template, the runtime, a subpackage) fails here, not on an author's machine.

Dependencies come from the package index through pip's own cache, so after the first run the
install costs seconds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import venv
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest

from builder.pipeline import build_packages, load_course
from tests.conftest import CASES, ROOT
from tests.statements import Writer, all_answers

pytestmark = pytest.mark.install
INSTALL_TIMEOUT = 900  # a cold pip cache downloads every dependency


def _run(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=_clean_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)


def _clean_env() -> dict[str, str]:
    """The user's environment, minus anything that would let the repository's code in."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH"}}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtualenv holding the wheel built from this checkout."""
    base = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy: setuptools reuses a build/ folder left in the source tree, which
    # could carry a file the checkout no longer has into the wheel.
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "*.egg-info", "packages", "__pycache__",
        ".*_cache", ".hypothesis", "tests"))
    wheels = base / "dist"
    done = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                 str(wheels), str(source)], cwd=base, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = wheels.glob("cpom_builder-*.whl")
    env_dir = base / "venv"
    # No pip inside (ensurepip alone can take minutes on a busy machine): this test's pip
    # installs into it with --python, which is what a user's own pip would do.
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / "bin"
    done = _run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install",
                 "--quiet", str(wheel)], cwd=base, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder outside the repository holding a copy of the sample course."""
    assert not tmp_path.resolve().is_relative_to(ROOT)
    shutil.copytree(CASES / "minimal", tmp_path / "course")
    return tmp_path


def test_the_installed_builder_is_the_wheel_not_the_checkout(installed: Path, workdir: Path) -> None:
    done = _run([str(installed / "python"), "-c", "import builder; print(builder.__file__)"],
                cwd=workdir)
    assert done.returncode == 0, done.stderr
    where = Path(done.stdout.strip()).resolve()
    assert where.is_relative_to(installed.parent.resolve())
    assert not where.is_relative_to(ROOT)


def test_build_from_another_folder_matches_the_checkout_byte_for_byte(
    installed: Path, workdir: Path
) -> None:
    done = _run([str(installed / "cpom-builder"), "build", "--quiet", "--content", "course",
                 "--out", "out"], cwd=workdir)
    assert done.returncode == 0, done.stderr
    expected = build_packages(CASES / "minimal").packages
    written = {p.relative_to(workdir / "out").as_posix(): p.read_bytes()
               for p in (workdir / "out").rglob("*") if p.is_file() and p.name[0] != "."}
    assert sorted(written) == sorted(expected)
    assert all(written[name] == data for name, data in expected.items())


def test_check_from_another_folder(installed: Path, workdir: Path) -> None:
    done = _run([str(installed / "cpom-builder"), "check", "--content", "course"], cwd=workdir)
    assert done.returncode == 0, done.stderr
    counts = load_course(CASES / "minimal")[0]
    assert done.stdout.startswith(f"ok: {len(counts.modules)} modules")


def test_report_from_another_folder(installed: Path, workdir: Path) -> None:
    course, _ = load_course(workdir / "course")
    writer = Writer(course)
    statements = (writer.module_session("ann", "m1", all_answers(course, "m1", True))
                  + writer.module_session("bob", "m1", all_answers(course, "m1", False)))
    export = workdir / "statements.jsonl"
    export.write_text("".join(json.dumps(s) + "\n" for s in statements), encoding="utf-8")
    done = _run([str(installed / "cpom-builder"), "report", "--quiet", "--content", "course",
                 "--statements", "statements.jsonl", "--out", "reports"], cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 learners")
    html = (workdir / "reports" / "report.html").read_text(encoding="utf-8")
    assert escape(course.curriculum.course.title) in html
    learners = (workdir / "reports" / "learners.csv").read_text(encoding="utf-8")
    assert "ann" in learners and "bob" in learners


def test_new_then_check_from_another_folder(installed: Path, tmp_path: Path) -> None:
    done = _run([str(installed / "cpom-builder"), "new", "my-course"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _run([str(installed / "cpom-builder"), "check"], cwd=tmp_path / "my-course")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")


@pytest.fixture
def preview(installed: Path, workdir: Path) -> Iterator[str]:
    with subprocess.Popen([str(installed / "cpom-builder"), "preview", "--content", "course",
                           "--port", "0"], cwd=workdir, env=_clean_env(), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as server:
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+", line)
            assert found, line + (server.stdout.read() if server.poll() is not None else "")
            yield found.group(0)
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_preview_serves_its_player_from_another_folder(preview: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{preview}/player.html", timeout=5) as reply:
                player = reply.read().decode("utf-8")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert "preview-lms.js" in player
    with urllib.request.urlopen(f"{preview}/preview-lms.js", timeout=5) as reply:
        assert reply.status == 200 and reply.read()
    with urllib.request.urlopen(f"{preview}/", timeout=5) as reply:
        assert "m1" in reply.read().decode("utf-8")
