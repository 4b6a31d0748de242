"""SCORM 1.2: the format Moodle and most older LMSs track best (standards.md §7.9)."""

from __future__ import annotations

from builder.errors import Diagnostic
from builder.formats.scorm import ScormPackaging
from builder.manifest import scorm12
from builder.manifest.ns import ADLCP12, IMSCP12
from builder.model import Curriculum, LearningPath, Module


class Scorm12:
    name = "scorm12"
    title = "SCORM 1.2"
    scripts = ("cpom-runtime.js", "cpom-xapi.js", "cpom-scorm12.js")
    path_packages = False
    single_module_packages = True
    ships_profile = False
    course_page = False

    def __init__(self) -> None:
        # imsmd is left out of validation: libxml2 rejects its content model (UPA), and the
        # manifests carry no inline metadata (standards.md §3.3).
        self.packaging = ScormPackaging(
            "scorm12", scorm12.build,
            [(IMSCP12, "imscp_rootv1p1p2.xsd"), (ADLCP12, "adlcp_rootv1p2.xsd")],
        )

    def control_files(
        self, cur: Curriculum, modules: list[Module], files: dict[str, bytes], single: bool,
        path: LearningPath | None = None,
    ) -> dict[str, bytes]:
        return self.packaging.control_files(cur, modules, files, single)

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        return self.packaging.check(files, shown)
