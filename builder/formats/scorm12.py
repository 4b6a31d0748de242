"""SCORM 1.2: the format Moodle and most older LMSs track best (standards.md §7.9)."""

from __future__ import annotations

from collections.abc import Mapping

from builder.errors import Diagnostic
from builder.formats import BuildInputs, PackageSpec
from builder.formats.scorm import ScormPackaging
from builder.manifest import scorm12
from builder.manifest.imscp import MANIFEST
from builder.manifest.ns import ADLCP12, IMSCP12
from builder.model import ParsedCourse


class Scorm12:
    name = "scorm12"
    title = "SCORM 1.2"
    manifest = MANIFEST

    def __init__(self) -> None:
        # imsmd is left out of validation: libxml2 rejects its content model (UPA), and the
        # manifests carry no inline metadata (standards.md §3.3).
        self.packaging = ScormPackaging(
            self.name, "1.2", scorm12.build,
            [(IMSCP12, "imscp_rootv1p1p2.xsd"), (ADLCP12, "adlcp_rootv1p2.xsd")],
        )

    def packages(self, course: ParsedCourse) -> list[PackageSpec]:
        return self.packaging.packages(course)

    def runtime(self) -> dict[str, bytes]:
        return self.packaging.runtime()

    def control_files(
        self, spec: PackageSpec, files: Mapping[str, bytes], inputs: BuildInputs
    ) -> dict[str, bytes]:
        return self.packaging.control_files(spec, files, inputs)

    def check(self, files: Mapping[str, bytes], shown: str) -> list[Diagnostic]:
        return self.packaging.check(files, shown)
