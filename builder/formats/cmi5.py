"""cmi5: one AU per module in a block per domain; statements go to the LMS's LRS."""

from __future__ import annotations

from functools import cached_property

from lxml import etree

from builder.errors import Diagnostic
from builder.manifest import cmi5
from builder.model import Curriculum, LearningPath, Module
from builder.validate import SCHEMAS

COURSE_STRUCTURE = "cmi5.xml"


class Cmi5:
    name = "cmi5"
    title = "cmi5"
    scripts = ("cpom-runtime.js", "cpom-xapi.js", "cpom-cmi5.js")
    path_packages = True
    single_module_packages = False
    ships_profile = True
    course_page = False

    def control_files(
        self, cur: Curriculum, modules: list[Module], files: dict[str, bytes], single: bool,
        path: LearningPath | None = None,
    ) -> dict[str, bytes]:
        return {COURSE_STRUCTURE: cmi5.build(cur, modules, path)}

    @cached_property
    def schema(self) -> etree.XMLSchema:
        """The official course structure schema, vendored with its licence (SOURCES.md)."""
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(SCHEMAS / "cmi5" / "CourseStructure.xsd"), parser))

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        """cmi5.xml against the official CourseStructure.xsd (cmi5 §13), and every AU url is
        a file in the package (the XSD cannot say so)."""
        doc = etree.fromstring(files[COURSE_STRUCTURE], etree.XMLParser(no_network=True))
        schema = self.schema
        invalid = [] if schema.validate(doc) else list(schema.error_log)
        return [
            Diagnostic(shown, err.line, f"cmi5.xml does not match the cmi5 schema: {err.message}",
                       "this is a builder bug: please report it with the package", "manifest.xsd")
            for err in invalid
        ] + [
            Diagnostic(shown, url.sourceline or 0, f"AU url '{url.text}' is not in the package",
                       "this is a builder bug: please report it", "manifest.missing-file")
            for url in doc.iter(f"{{{cmi5.NS}}}url") if url.text not in files
        ]
