"""SCORM 2004 4th Edition: sequencing, per-goal objectives, course rollup."""

from __future__ import annotations

from builder.errors import Diagnostic
from builder.formats.scorm import ScormPackaging
from builder.manifest import scorm2004
from builder.manifest.ns import SCHEMA_LOCATIONS_2004
from builder.model import Curriculum, LearningPath, Module


class Scorm2004:
    name = "scorm2004"
    title = "SCORM 2004 4th Edition"
    scripts = ("cpom-runtime.js", "cpom-xapi.js", "cpom-scorm2004.js")
    path_packages = False
    single_module_packages = True
    ships_profile = False
    course_page = False

    def __init__(self) -> None:
        self.packaging = ScormPackaging("scorm2004", scorm2004.build, SCHEMA_LOCATIONS_2004)

    def control_files(
        self, cur: Curriculum, modules: list[Module], files: dict[str, bytes], single: bool,
        path: LearningPath | None = None,
    ) -> dict[str, bytes]:
        return self.packaging.control_files(cur, modules, files, single)

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        return self.packaging.check(files, shown)
