"""The only orchestrator: load → parse → render → assemble → validate → zip → write."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder import identifiers as ids
from builder.assemble import package_tree
from builder.duration import check_durations
from builder.errors import BuildFailed, Diagnostic, Severity
from builder.exam.load import ExamFiles, load_exam, read_exam
from builder.formats import BuildInputs, PackageFormat, formats
from builder.load import load_curriculum
from builder.model import ParsedCourse
from builder.output_folder import check_replaceable, claim
from builder.parse import parse_modules
from builder.profile import profile_bytes
from builder.progress import QUIET, Progress
from builder.render import PageRenderer
from builder.zipper import zip_trees


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


def select_formats(names: list[str] | None) -> list[PackageFormat]:
    registry = formats()
    if not names:
        return list(registry.values())
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}: use one of {', '.join(registry)}")
    return [registry[n] for n in names]


def build_packages(
    content: Path, names: list[str] | None = None, progress: Progress = QUIET,
    jobs: int | None = None,
) -> BuildResult:
    """Build every package in memory; raises BuildFailed with every diagnostic."""

    @functools.cache
    def prepare() -> tuple[PageRenderer, list[tuple[PackageFormat, dict[str, bytes]]]]:
        """What does not depend on the modules: compiled templates, each format's runtime."""
        return PageRenderer(), [(fmt, fmt.runtime()) for fmt in select_formats(names)]

    def meanwhile() -> None:
        # A failure (an unknown format) is raised again by prepare() below, after the
        # content's own problems, as it is when nothing runs meanwhile.
        with contextlib.suppress(Exception):
            prepare()

    course, problems = load_course(content, progress, jobs, meanwhile)
    cur = course.curriculum
    renderer, runtimes = prepare()
    profile = profile_bytes(course)
    inputs = BuildInputs(course, renderer, profile)
    # Pages are the same in every format (they load fixed runtime file names whose contents
    # differ per format), so each is rendered once.
    progress.stage(f"rendering {len(course.modules) + (course.exam is not None)} pages")
    pages = {ids.module_page(m.ref.id): renderer.render(cur, m) for m in course.modules}
    if course.exam is not None:
        pages[ids.module_page(course.exam.id)] = renderer.render_exam(cur, course.exam)
    trees: dict[str, tuple[dict[str, bytes], str]] = {}  # package -> (files, manifest)
    for fmt, runtime in runtimes:
        specs = fmt.packages(course)
        for n, spec in enumerate(specs, 1):
            progress.stage(f"{fmt.name}: packaging", n, len(specs))
            files = package_tree(list(spec.modules), pages, runtime, spec.exam)
            files.update(fmt.control_files(spec, files, inputs))
            problems += fmt.check(files, spec.name)
            trees[spec.name] = (files, fmt.manifest)
    _fail_on_errors(problems)
    packages: dict[str, bytes] = {f"{ids.course_slug(cur.course)}-xapi-profile.jsonld": profile}
    packages.update(zip_trees(trees, lambda done, total: progress.stage("zipping", done, total)))
    return BuildResult(packages, problems)


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
