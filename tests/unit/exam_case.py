"""Helpers for the exam tests: the `exam` sample course (tests/cases/exam, the minimal
course plus a certification exam), built once, and readers of its source files that do not
go through the builder (so expectations never come from the code under test)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from builder.errors import BuildFailed
from builder.pipeline import build_packages
from tests.conftest import CASES

EXAM_CASE = CASES / "exam"
BLOCK = re.compile(r"^```question\n(.*?)^```$", re.DOTALL | re.MULTILINE)


@functools.cache
def exam_case_packages() -> dict[str, bytes]:
    return build_packages(EXAM_CASE).packages


def line_of(path: Path, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line at or after `after` that contains `needle`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if n >= after and needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def blocks(path: Path) -> list[dict[str, str]]:
    """Each question block's top-level `key: value` lines, read with a regex."""
    out = []
    for body in BLOCK.findall(path.read_text(encoding="utf-8")):
        keys = dict(re.findall(r"^([a-z-]+): *(.*)$", body, re.MULTILINE))
        out.append({k: v.strip().strip('"') for k, v in keys.items()})
    return out


def problems(content: Path) -> list[str]:
    """Every diagnostic of a failed build, paths relative to `content`."""
    with pytest.raises(BuildFailed) as failed:
        build_packages(content)
    return [d.format().replace(str(content) + "/", "") for d in failed.value.diagnostics]
