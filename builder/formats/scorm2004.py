"""SCORM 2004 4th Edition: sequencing, per-goal objectives, course rollup."""

from __future__ import annotations

from collections.abc import Mapping

from builder.errors import Diagnostic
from builder.formats import BuildInputs, PackageSpec
from builder.formats.scorm import ScormPackaging
from builder.manifest import scorm2004
from builder.manifest.imscp import MANIFEST
from builder.manifest.ns import SCHEMA_LOCATIONS_2004
from builder.model import ParsedCourse


class Scorm2004:
    name = "scorm2004"
    title = "SCORM 2004 4th Edition"
    manifest = MANIFEST

    def __init__(self) -> None:
        self.packaging = ScormPackaging(self.name, "2004", scorm2004.build, SCHEMA_LOCATIONS_2004)

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
