"""cmi5: one AU per module in a block per domain; statements go to the LMS's LRS. One
package for the course and one per career path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, cast

from lxml import etree

from builder.errors import Diagnostic
from builder.formats import (
    PROFILE_IN_PACKAGE,
    BuildInputs,
    PackageSpec,
    each_path,
    exam_alone,
    source_line,
    whole_course,
)
from builder.manifest import cmi5
from builder.model import ParsedCourse
from builder.render import page_runtime
from builder.validate import SCHEMAS


class Cmi5:
    name = "cmi5"
    title = "cmi5"
    manifest = cmi5.FILE

    def packages(self, course: ParsedCourse) -> list[PackageSpec]:
        return [whole_course(course, self.name), *each_path(course, self.name),
                *exam_alone(course, self.name)]

    def runtime(self) -> dict[str, bytes]:
        return page_runtime("cpom-cmi5.js")

    def control_files(
        self, spec: PackageSpec, files: Mapping[str, bytes], inputs: BuildInputs
    ) -> dict[str, bytes]:
        structure = cmi5.build(inputs.course.curriculum, list(spec.modules), spec.path, spec.exam)
        return {cmi5.FILE: structure, PROFILE_IN_PACKAGE: inputs.profile}

    @cached_property
    def schema(self) -> etree.XMLSchema:
        """The official course structure schema, vendored with its licence (SOURCES.md)."""
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(SCHEMAS / "cmi5" / "CourseStructure.xsd"), parser))

    def check(self, files: Mapping[str, bytes], shown: str) -> list[Diagnostic]:
        """cmi5.xml against the official CourseStructure.xsd (cmi5 §13), and every AU url is
        a file in the package (the XSD cannot say so)."""
        doc = etree.fromstring(files[cmi5.FILE], etree.XMLParser(no_network=True))
        schema = self.schema
        # lxml-stubs declare the error log as an empty class; it iterates _LogEntry objects
        invalid = [] if schema.validate(doc) else list(cast(Iterable[Any], schema.error_log))
        return [
            Diagnostic(shown, err.line, f"cmi5.xml does not match the cmi5 schema: {err.message}",
                       "this is a builder bug: please report it with the package", "manifest.xsd")
            for err in invalid
        ] + [
            Diagnostic(shown, source_line(url), f"AU url '{url.text}' is not in the package",
                       "this is a builder bug: please report it", "manifest.missing-file")
            for url in doc.iter(f"{{{cmi5.NS}}}url") if url.text not in files
        ]
