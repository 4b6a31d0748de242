"""Tin Can (xAPI) package: tincan.xml, a course menu to launch, statements to the LRS given
by the launch (endpoint, auth, actor, registration)."""

from __future__ import annotations

from lxml import etree

from builder.errors import Diagnostic
from builder.manifest import tincan
from builder.model import Curriculum, LearningPath, Module

MANIFEST = "tincan.xml"


class Xapi:
    name = "xapi"
    title = "xAPI (Tin Can)"
    scripts = ("cpom-runtime.js", "cpom-xapi.js", "cpom-tincan.js")
    path_packages = False
    single_module_packages = False
    ships_profile = True
    course_page = True

    def control_files(
        self, cur: Curriculum, modules: list[Module], files: dict[str, bytes], single: bool,
        path: LearningPath | None = None,
    ) -> dict[str, bytes]:
        return {MANIFEST: tincan.build(cur, modules)}

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        doc = etree.fromstring(files[MANIFEST], etree.XMLParser(no_network=True))
        launches = list(doc.iter(f"{{{tincan.NS}}}launch"))
        problems = [
            Diagnostic(shown, el.sourceline or 0, f"launch '{el.text}' is not in the package",
                       "this is a builder bug: please report it", "manifest.missing-file")
            for el in launches if el.text not in files
        ]
        if len(launches) != 1:
            problems.append(Diagnostic(shown, 1, f"{len(launches)} launchable activities",
                                       "tincan.xml allows exactly one: a builder bug",
                                       "manifest.launch"))
        return problems
