"""Package formats behind one protocol, and the registry the pipeline and CLI use.

A format says which packages it makes (`packages`), which runtime files its pages get
(`runtime`) and which control files a package carries (`control_files`); the pipeline
loops over the specs and knows nothing about any one format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from lxml import etree

from builder import identifiers as ids
from builder.errors import Diagnostic
from builder.model import LearningPath, Module, ParsedCourse, ParsedExam
from builder.render import PageRenderer

# What a package covers: the whole course, one module, one career path, or the exam alone.
ScopeKind = Literal["course", "module", "path", "exam"]
MODULES_DIR = "modules"  # output sub-folders of the one-module and career-path packages
PATHS_DIR = "paths"
PROFILE_IN_PACKAGE = "xapi-profile.jsonld"  # the xAPI profile, at the root of xAPI packages


@dataclass(frozen=True)
class PackageSpec:
    """One package a format makes."""

    name: str  # path under the output folder: "cpom-scorm12.zip", "modules/cpom-m01-scorm12.zip"
    modules: tuple[Module, ...]  # in curriculum order
    kind: ScopeKind = "course"
    path: LearningPath | None = None  # the career path, when kind == "path"
    # The certification exam, last, in the whole course and in its own package.
    exam: ParsedExam | None = None


@dataclass(frozen=True)
class BuildInputs:
    """What every package of a build shares, for formats whose control files need more than
    the package tree (a course menu page, the xAPI profile)."""

    course: ParsedCourse
    renderer: PageRenderer
    profile: bytes  # the xAPI profile document (JSON-LD)


class PackageFormat(Protocol):
    """One package format. Read-only members, so plain class attributes satisfy them."""

    @property
    def name(self) -> str:
        """CLI value, golden folder name, file-name suffix."""
        ...

    @property
    def title(self) -> str:
        """For people: "SCORM 2004 4th Edition"."""
        ...

    @property
    def manifest(self) -> str:
        """The control file an LMS reads first; the zip stores it first."""
        ...

    def packages(self, course: ParsedCourse) -> list[PackageSpec]:
        """Every package this format makes of the course."""
        ...

    def runtime(self) -> dict[str, bytes]:
        """The files under shared/ of every package: the pages load fixed names
        (render.PAGE_SCRIPTS), whose contents are this format's."""
        ...

    def control_files(
        self, spec: PackageSpec, files: Mapping[str, bytes], inputs: BuildInputs
    ) -> dict[str, bytes]:
        """Manifest, schema files and anything else the format adds to the package tree."""
        ...

    def check(self, files: Mapping[str, bytes], shown: str) -> list[Diagnostic]:
        """Validate the finished package tree (manifest against the official schemas)."""
        ...


def whole_course(course: ParsedCourse, fmt: str) -> PackageSpec:
    slug = ids.course_slug(course.curriculum.course)
    return PackageSpec(f"{slug}-{fmt}.zip", tuple(course.modules), exam=course.exam)


def exam_alone(course: ParsedCourse, fmt: str) -> list[PackageSpec]:
    """The exam's own package, next to the single-module packages (none without an exam)."""
    if course.exam is None:
        return []
    slug = ids.course_slug(course.curriculum.course)
    return [PackageSpec(f"{MODULES_DIR}/{slug}-{course.exam.id}-{fmt}.zip", (), "exam",
                        exam=course.exam)]


def each_module(course: ParsedCourse, fmt: str) -> list[PackageSpec]:
    slug = ids.course_slug(course.curriculum.course)
    return [PackageSpec(f"{MODULES_DIR}/{slug}-{m.ref.id}-{fmt}.zip", (m,), "module")
            for m in course.modules]


def each_path(course: ParsedCourse, fmt: str) -> list[PackageSpec]:
    slug = ids.course_slug(course.curriculum.course)
    by_id = {m.ref.id: m for m in course.modules}
    return [PackageSpec(f"{PATHS_DIR}/{slug}-{p.id}-{fmt}.zip",
                        tuple(by_id[i] for i in p.modules), "path", p)
            for p in course.curriculum.paths]


def source_line(el: etree._Element) -> int:
    """The element's line in its document, 0 when unknown."""
    return el.sourceline or 0


def _registry(*formats: PackageFormat) -> dict[str, PackageFormat]:
    registry: dict[str, PackageFormat] = {}
    for fmt in formats:
        if fmt.name in registry:
            raise ValueError(f"two package formats are named {fmt.name!r}")
        registry[fmt.name] = fmt
    return registry


def formats() -> dict[str, PackageFormat]:
    """A fresh registry per call: formats cache compiled schemas, so no global state."""
    from builder.formats.cmi5 import Cmi5
    from builder.formats.scorm12 import Scorm12
    from builder.formats.scorm2004 import Scorm2004
    from builder.formats.xapi import Xapi

    return _registry(Scorm2004(), Scorm12(), Cmi5(), Xapi())
