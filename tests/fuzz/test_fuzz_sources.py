"""Fuzz the course sources: curriculum YAML, question blocks and module Markdown.

Whatever an author (or an attacker) writes, the loader and parser must answer with
`path:line: error: what: fix [code]` diagnostics, within a time and memory budget, and
never with a traceback. Inputs are mutations of the sample course built from the
constructs that broke it before: anchors, tags, deep nesting, control characters,
non-finite numbers, bracket floods, autolinks, hostile links.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.errors import Diagnostic
from builder.load import load_curriculum
from builder.model import Curriculum
from builder.parse import parse_module
from tests.conftest import CASES, ROOT

pytestmark = pytest.mark.fuzz

SECONDS = 10.0  # per example, generous for a loaded 2-core machine; a hang is minutes
MEGABYTES = 256  # peak Python allocations per example
LINE = re.compile(r"^[^\n:]+:\d+: (error|warning): [^\n]+: [^\n]+ \[[a-z0-9*.-]+\]\Z")


class OverBudget(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in the code swallows it."""


@contextmanager
def bounded() -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise OverBudget(f"took more than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    tracemalloc.start()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEGABYTES * 2**20, f"used {peak // 2**20} MB"


def readme_codes() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### Errors", 1)[1].split("\n## ", 1)[0]
    return [code for row in table.splitlines() if row.startswith("| `")
            for code in re.findall(r"`([a-z0-9*.-]+)`", row.split("|")[1])]


CODES = readme_codes()


def assert_diagnostics(found: list[Diagnostic], path_end: str, lines: int) -> None:
    for d in found:
        text = d.format()
        assert LINE.match(text), text
        assert d.path.endswith(path_end), text
        assert 1 <= d.line <= lines + 1, text
        assert any(fnmatch.fnmatchcase(d.code, c) for c in CODES), f"{d.code} is not in README's Errors table"


# --- the pieces inputs are made of -----------------------------------------------------

YAML_TOKENS = [
    "&a ", "*a", "<<: ", "!!python/name:os.system ", "!!binary ", "!x ", "!!timestamp ", "!!int ",
    ".nan", ".inf", "-.inf", "2026-02-30", "2026-11-25", "[", "]", "{", "}", ", ", ": ", "- ",
    "? ", "|", ">", "'", '"', "#", "\t", "\x00", "\x01", "\x7f", "\ufeff", "\u2028", "\n", "  ",
    '"q1\\n"', "shared", "con", "~", "null", "yes", "0x1F", "1e999", "%YAML 1.1\n", "---\n",
    "...\n", "@", "`", "id", "title", "modules", "goals", "answer", "type", "choice", "numeric",
]
MARKDOWN_TOKENS = [
    "[", "]", "(", ")", "![", "](", "*", "**", "_", "`", "```", "~~~", "> ", "- ", "1. ", "    ",
    "\t", "\n", "\n\n", "## ", "# ", '!!! note "t"\n    ', "!!! ", "|", "---", "<x@y.org>",
    "<https://example.org>", "<script>", "&amp;", "&#0;", "\\", "javascript:alert(1)", "http://",
    "../media/thermometer.svg", "../../etc/passwd", "{", "}", ":", "\x00", "\ufeff", "\r",
    "\r\n", "text ", "[a](b)", "![alt](../media/checklist.txt)", "[^1]", "*[", "<", ">",
]
FLOODS = ["[", "{", "- ", "&a ", "*a, ", "  ", "> ", "    - ", "![", "[a](", "**", "`", "\\", "("]


def pieces(tokens: list[str]) -> st.SearchStrategy[str]:
    token = st.sampled_from(tokens) | st.text(max_size=4)
    flood = st.tuples(st.sampled_from(FLOODS), st.integers(1, 3000)).map(lambda t: t[0] * t[1])
    return st.lists(token | flood, max_size=24).map("".join)


def mutated(original: str, tokens: list[str]) -> st.SearchStrategy[str]:
    """`original` with a few of its lines replaced, extended or preceded by generated text."""
    lines = original.split("\n")

    @st.composite
    def build(draw: st.DrawFn) -> str:
        out = list(lines)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(out) - 1))
            piece = draw(pieces(tokens))
            how = draw(st.sampled_from(["replace", "append", "insert", "value"]))
            if how == "replace":
                out[at] = piece
            elif how == "append":
                out[at] += piece
            elif how == "insert":
                out.insert(at, piece)
            else:  # keep the key, change the value
                key = out[at].split(":", 1)[0]
                out[at] = f"{key}: {piece}"
        return "\n".join(out)

    return build() | pieces(tokens)


# --- the course the inputs go into -------------------------------------------------------

CURRICULUM = (CASES / "minimal" / "curriculum.yaml").read_text(encoding="utf-8")
MODULE = (CASES / "minimal" / "modules" / "m1-storage.md").read_text(encoding="utf-8")
QUESTION = "id: q9\ngoal: m1-g1\ntype: numeric\nprompt: How many *degrees*?\nanswer: [2, 8]"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "course"
    shutil.copytree(CASES / "minimal", target)
    return target


def parse_text(course: Path, text: str) -> list[Diagnostic]:
    cur, found = load_curriculum(course)
    assert isinstance(cur, Curriculum) and not found
    source = course / "modules" / "m1-storage.md"
    source.write_text(text, encoding="utf-8")
    with bounded():
        _, problems = parse_module(cur.modules[0], source, course)
    return problems


@given(text=mutated(CURRICULUM, YAML_TOKENS))
def test_any_curriculum_gives_diagnostics_only(course: Path, text: str) -> None:
    path = course / "curriculum.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        with bounded():
            _, found = load_curriculum(course)
    finally:
        path.write_text(CURRICULUM, encoding="utf-8")
    assert_diagnostics(found, "curriculum.yaml", text.count("\n") + 1)


@given(body=mutated(QUESTION, YAML_TOKENS + MARKDOWN_TOKENS))
def test_any_question_block_gives_diagnostics_only(course: Path, body: str) -> None:
    text = MODULE.replace("## When it goes wrong", f"```question\n{body}\n```\n\n## When it goes wrong")
    found = parse_text(course, text)
    assert_diagnostics(found, "m1-storage.md", text.count("\n") + 1)


@given(markdown=mutated(MODULE, MARKDOWN_TOKENS))
def test_any_module_markdown_gives_diagnostics_only(course: Path, markdown: str) -> None:
    found = parse_text(course, markdown)
    assert_diagnostics(found, "m1-storage.md", markdown.count("\n") + markdown.count("\r") + 1)
