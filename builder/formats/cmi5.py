"""cmi5: one AU per module in a block per domain; statements go to the LMS's LRS."""

from __future__ import annotations

from lxml import etree

from builder.errors import Diagnostic
from builder.manifest import cmi5
from builder.model import Curriculum, LearningPath, Module

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

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        """Every AU url is a file in the package (the XSD cannot say so); the test suite
        also validates cmi5.xml against the official CourseStructure.xsd."""
        doc = etree.fromstring(files[COURSE_STRUCTURE], etree.XMLParser(no_network=True))
        return [
            Diagnostic(shown, url.sourceline or 0, f"AU url '{url.text}' is not in the package",
                       "this is a builder bug: please report it", "manifest.missing-file")
            for url in doc.iter(f"{{{cmi5.NS}}}url") if url.text not in files
        ]
