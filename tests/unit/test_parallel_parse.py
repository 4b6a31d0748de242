"""Parsing in two processes: the same modules and the same diagnostics, in the same order,
as one process; a child that fails costs time, never the result."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from builder import forked, parse
from builder.load import load_curriculum
from builder.model import Curriculum
from builder.parse import parse_modules
from builder.pipeline import build_packages
from tests.conftest import CONTENT, ROOT

needs_fork = pytest.mark.skipif(sys.platform != "linux", reason="the builder forks on Linux only")
ALONE = "CPOM_TEST_ALONE"


def ran_alone(request: pytest.FixtureRequest) -> bool:
    """The builder never forks while other threads run (`forked.can_fork`), and an earlier
    test in this pytest worker may have left server threads behind (an LRS, a preview): the
    test then runs again in a fresh process, where it must pass. True when it did, so the
    caller stops; False: no other thread here, go on."""
    if threading.active_count() == 1:
        return False
    assert not os.environ.get(ALONE), "other threads run even in a fresh pytest process"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
                          check=False, cwd=ROOT, env={**os.environ, ALONE: "1"}, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return True


@pytest.fixture(scope="module")
def broken_course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Curriculum, Path]:
    """The CPOM course with problems in several modules and one module file missing."""
    content = tmp_path_factory.mktemp("course") / "content"
    shutil.copytree(CONTENT, content)
    cur, _ = load_curriculum(content)
    assert cur is not None
    for n in (2, 9, 16):
        path = content / cur.modules[n].source
        lines = path.read_text(encoding="utf-8").split("\n")
        lines.insert(len(lines) // 2, "# A second title")
        path.write_text("\n".join(lines) + "\n```question\nid: [unclosed\n", encoding="utf-8")
    (content / cur.modules[5].source).unlink()
    return cur, content


@needs_fork
def test_two_processes_give_the_modules_and_diagnostics_of_one(
    request: pytest.FixtureRequest, broken_course: tuple[Curriculum, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    if ran_alone(request):
        return
    cur, content = broken_course
    alone = parse_modules(cur, content, jobs=1)
    splits: list[int] = []
    original = forked.map_in_two

    def watched(work, items, meanwhile=None):  # type: ignore[no-untyped-def]
        splits.append(len(items))
        return original(work, items, meanwhile)

    monkeypatch.setattr(forked, "map_in_two", watched)
    together = parse_modules(cur, content, jobs=2)
    assert splits == [len(cur.modules) - 1]
    assert together == alone
    assert [d.path for d in alone[1]] == sorted(d.path for d in alone[1])  # curriculum order
    assert len({d.path for d in alone[1]}) == 3 and len(alone[1]) > 3
    assert len(together[0]) == len(cur.modules) - 1


@needs_fork
def test_every_module_keeps_its_own_curriculum_entry(
    request: pytest.FixtureRequest, broken_course: tuple[Curriculum, Path]
) -> None:
    if ran_alone(request):
        return
    cur, content = broken_course
    modules, _ = parse_modules(cur, content, jobs=2)
    entries = [ref for n, ref in enumerate(cur.modules) if n != 5]
    assert all(m.ref is ref for m, ref in zip(modules, entries, strict=True))


@needs_fork
def test_the_items_are_shared_with_a_child_process(request: pytest.FixtureRequest) -> None:
    if ran_alone(request):
        return
    def pid_of(item: int) -> tuple[int, int]:
        if item == 0:  # hold this process back so that the child surely takes some
            time.sleep(0.5)
        return item, os.getpid()

    done = forked.map_in_two(pid_of, list(range(20)))
    assert [item for item, _ in done] == list(range(20))
    assert {pid for _, pid in done} - {os.getpid()}


@needs_fork
def test_meanwhile_runs_once_in_this_process(request: pytest.FixtureRequest) -> None:
    if ran_alone(request):
        return
    ran: list[int] = []
    assert forked.map_in_two(lambda n: n * 2, [1, 2, 3], lambda: ran.append(os.getpid())) == [2, 4, 6]
    assert ran == [os.getpid()]


@needs_fork
def test_a_failing_child_costs_time_not_the_result(request: pytest.FixtureRequest) -> None:
    if ran_alone(request):
        return
    parent = os.getpid()

    def only_here(item: int) -> int:
        if os.getpid() != parent:
            raise MemoryError("the child runs out")
        if item == 0:
            time.sleep(0.2)  # let the child take (and lose) some items
        return item * 10

    assert forked.map_in_two(only_here, list(range(10))) == [n * 10 for n in range(10)]


def test_a_bug_is_raised_here_with_its_traceback() -> None:
    def broken(item: int) -> int:
        raise KeyError(f"item {item}")

    with pytest.raises(KeyError, match="item"):
        forked.map_in_two(broken, [1, 2])


def test_a_small_course_is_parsed_in_one_process(
    broken_course: tuple[Curriculum, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cur, content = broken_course
    monkeypatch.setattr(parse, "PARALLEL_BYTES", 10**9)
    monkeypatch.setattr(forked, "map_in_two", lambda *args: pytest.fail("forked"))
    assert parse_modules(cur, content)[0]


@needs_fork
def test_packages_are_the_same_bytes_from_one_or_two_processes(
    request: pytest.FixtureRequest, course_packages: dict[str, bytes],
) -> None:
    if ran_alone(request):
        return
    assert build_packages(CONTENT, jobs=1).packages == course_packages
    assert build_packages(CONTENT, jobs=2).packages == course_packages
