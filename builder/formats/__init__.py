"""Package formats behind one protocol, and the registry the pipeline and CLI use."""

from __future__ import annotations

from typing import Protocol

from builder.errors import Diagnostic
from builder.model import Curriculum, LearningPath, Module


class PackageFormat(Protocol):
    """One package format: what its pages load and which control files it adds."""

    name: str  # CLI value, golden folder name, file-name suffix
    title: str  # for people: "SCORM 2004 4th Edition"
    scripts: tuple[str, ...]  # runtime files each page loads, in order
    single_module_packages: bool  # also build one package per module
    path_packages: bool  # also build one package per career path
    course_page: bool  # the package launches a course menu page (index.html) at its root
    ships_profile: bool  # carries the xAPI profile document (xapi-profile.jsonld) at its root

    def control_files(
        self, cur: Curriculum, modules: list[Module], files: dict[str, bytes], single: bool,
        path: LearningPath | None = None,
    ) -> dict[str, bytes]:
        """Manifest and schema files for a package holding `modules` and `files`."""
        ...

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        """Validate the finished package tree (manifest against the official schemas)."""
        ...


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
