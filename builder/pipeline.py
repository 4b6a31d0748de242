"""The only orchestrator: load → parse → render → assemble → validate → zip → write."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from builder import forked
from builder import identifiers as ids
from builder.duration import check_durations
from builder.errors import BuildFailed, Diagnostic, Severity
from builder.exam.load import ExamFiles, load_exam, read_exam
from builder.load import load_curriculum
from builder.model import Module, ParsedCourse, ParsedExam
from builder.output_folder import check_replaceable, claim
from builder.parse import parse_modules
from builder.progress import QUIET, Progress

if TYPE_CHECKING:
    from builder.formats import PackageFormat
    from builder.render import PageRenderer

# What only packaging needs (templates, formats, manifests, lxml, the zip writer) is imported
# by `build_packages` while a forked child already parses modules, not before the fork: about
# 0.1 s a build would otherwise spend before the second core has anything to do.

# From this many modules, the pages are rendered by two processes (forking costs ~10 ms,
# a page ~5 ms).
RENDER_IN_TWO = 8

P = ParamSpec("P")
R = TypeVar("R")


def _without_cycle_collection(build: Callable[P, R]) -> Callable[P, R]:
    """`build` with Python's cycle collector paused while it runs (and in the children it
    forks). A build's objects live until it ends and form next to no reference cycles (peak
    memory is the same either way), yet the collector ran about 100 times a build, walking
    young objects for ~40 ms of CPU that freed nothing."""

    @functools.wraps(build)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@dataclass
class BuildResult:
    packages: dict[str, bytes]  # path relative to the output folder -> zip bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _fail_on_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise BuildFailed(diagnostics)


def load_course(
    content: Path, progress: Progress = QUIET, jobs: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[ParsedCourse, list[Diagnostic]]:
    """Load and parse everything, collecting every problem before giving up. `jobs`: the
    processes that parse the modules (None: two when that pays, see `parse_modules`);
    `meanwhile`: work this process may do while a second one parses."""
    progress.stage("loading the curriculum")
    cur, problems = load_curriculum(content)
    if cur is None:
        raise BuildFailed(problems)
    progress.stage(f"parsing {len(cur.modules)} modules")
    exam_files: list[ExamFiles] = []

    def read_exam_meanwhile() -> None:
        # Reading the exam's banks needs no module: done here while a second process
        # parses modules (when one does), it costs the build almost no wall time.
        exam_files.append(read_exam(cur, content))
        if meanwhile is not None:
            meanwhile()

    modules, found = parse_modules(cur, content, jobs, read_exam_meanwhile)
    problems += found
    exam, found = load_exam(cur, content, modules, exam_files[0] if exam_files else None)
    problems += found
    if not any(d.severity is Severity.ERROR for d in problems):
        # Only on sources without errors: a salvaged curriculum (a misspelt key dropped)
        # would give estimates against defaults the author never wrote.
        problems += check_durations(cur, modules, content)
    _fail_on_errors(problems)
    return ParsedCourse(cur, str(content.resolve()), modules, exam), problems


def formats() -> dict[str, PackageFormat]:
    """The format registry (builder.formats), imported when a build first needs it."""
    from builder.formats import formats as registry

    return registry()


def select_formats(names: list[str] | None) -> list[PackageFormat]:
    registry = formats()
    if not names:
        return list(registry.values())
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}: use one of {', '.join(registry)}")
    return [registry[n] for n in names]


@_without_cycle_collection
def build_packages(
    content: Path, names: list[str] | None = None, progress: Progress = QUIET,
    jobs: int | None = None,
) -> BuildResult:
    """Build every package in memory; raises BuildFailed with every diagnostic."""

    @functools.cache
    def prepare() -> tuple[PageRenderer, list[tuple[PackageFormat, dict[str, bytes]]]]:
        """What does not depend on the modules: compiled templates, each format's runtime."""
        from builder.render import PageRenderer

        return PageRenderer(), [(fmt, fmt.runtime()) for fmt in select_formats(names)]

    def meanwhile() -> None:
        # A failure (an unknown format) is raised again by prepare() below, after the
        # content's own problems, as it is when nothing runs meanwhile.
        with contextlib.suppress(Exception):
            prepare()

    course, problems = load_course(content, progress, jobs, meanwhile)
    cur = course.curriculum
    renderer, runtimes = prepare()
    from builder.assemble import package_tree
    from builder.formats import BuildInputs
    from builder.profile import profile_bytes
    from builder.zipper import Deflater, zip_trees

    # Pages are the same in every format (they load fixed runtime file names whose contents
    # differ per format), so each is rendered once; the xAPI profile is made meanwhile.
    progress.stage(f"rendering {len(course.modules) + (course.exam is not None)} pages")
    made: list[bytes] = []  # the profile, when made while a child renders
    pages = _render_pages(renderer, course, jobs, lambda: made.append(profile_bytes(course)))
    inputs = BuildInputs(course, renderer, made[0] if made else profile_bytes(course))
    trees: dict[str, tuple[dict[str, bytes], str]] = {}  # package -> (files, manifest)
    with Deflater() as deflater:
        for fmt, runtime in runtimes:
            specs = fmt.packages(course)
            for n, spec in enumerate(specs, 1):
                progress.stage(f"{fmt.name}: packaging", n, len(specs))
                files = package_tree(list(spec.modules), pages, runtime, spec.exam)
                files.update(fmt.control_files(spec, files, inputs))
                deflater.add(files.values())  # deflated while the next packages are made
                problems += fmt.check(files, spec.name)
                trees[spec.name] = (files, fmt.manifest)
        _fail_on_errors(problems)
        packages: dict[str, bytes] = {f"{ids.course_slug(cur.course)}-xapi-profile.jsonld": inputs.profile}
        packages.update(zip_trees(trees, lambda done, total: progress.stage("zipping", done, total),
                                  deflater))
    return BuildResult(packages, problems)


def _render_pages(
    renderer: PageRenderer, course: ParsedCourse, jobs: int | None, meanwhile: Callable[[], object]
) -> dict[str, bytes]:
    """Each page (the exam's, then the modules') by its path in the package: rendered by
    this process and a forked child (which has the compiled templates and the parsed course
    from the fork) when the course is large enough and `jobs` allows, calling `meanwhile`
    here while the child starts; by this process alone otherwise (`meanwhile` is then the
    caller's to do). The exam page goes first: it is the largest (every bank item), so the
    child takes it while this process does `meanwhile`."""
    cur = course.curriculum
    exam = course.exam
    items: list[Module | ParsedExam] = [*([exam] if exam is not None else []), *course.modules]

    def render(item: Module | ParsedExam) -> bytes:
        if isinstance(item, Module):
            return renderer.render(cur, item)
        return renderer.render_exam(cur, item)

    def page_of(item: Module | ParsedExam) -> str:
        return ids.module_page(item.ref.id if isinstance(item, Module) else item.id)

    if jobs != 1 and len(course.modules) >= RENDER_IN_TWO and forked.cores() >= 2:
        rendered = forked.map_in_two(render, items, meanwhile)
    else:
        rendered = [render(item) for item in items]
    return {page_of(item): page for item, page in zip(items, rendered, strict=True)}


def write_packages(out: Path, packages: dict[str, bytes]) -> None:
    """Replace `out` as a whole: write into a sibling temporary folder, then swap, so a
    failed or interrupted build never leaves half-written packages behind. Only a folder the
    builder made itself (it holds the marker file) is ever replaced."""
    out = out.resolve()
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for rel, data in packages.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        keep = out / ".gitignore"
        if keep.is_file():
            shutil.copy2(keep, staging / ".gitignore")
        claim(staging)
        os.chmod(staging, 0o755)
        previous = out.with_name(f".{out.name}-old")
        if previous.exists():
            shutil.rmtree(previous)
        if out.exists():
            out.rename(previous)
        staging.rename(out)
        if previous.exists():
            shutil.rmtree(previous)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
