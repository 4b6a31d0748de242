"""Tin Can (xAPI) package: tincan.xml, a course menu to launch, statements to the LRS given
by the launch (endpoint, auth, actor, registration). One package: the whole course."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from builder.errors import Diagnostic
from builder.formats import (
    PROFILE_IN_PACKAGE,
    BuildInputs,
    PackageSpec,
    exam_alone,
    source_line,
    whole_course,
)
from builder.manifest import tincan
from builder.model import ParsedCourse
from builder.render import page_runtime

MENU_SCRIPT = "cpom-menu.js"  # the course menu page's only script



class Xapi:
    name = "xapi"
    title = "xAPI (Tin Can)"
    manifest = tincan.FILE

    def packages(self, course: ParsedCourse) -> list[PackageSpec]:
        return [whole_course(course, self.name), *exam_alone(course, self.name)]

    def runtime(self) -> dict[str, bytes]:
        return page_runtime("cpom-tincan.js", extra=(MENU_SCRIPT,))

    def control_files(
        self, spec: PackageSpec, files: Mapping[str, bytes], inputs: BuildInputs
    ) -> dict[str, bytes]:
        cur = inputs.course.curriculum
        modules = list(spec.modules)
        return {
            tincan.FILE: tincan.build(cur, modules, spec.exam),
            # the one launchable activity: a menu of the modules, then the exam (launch
            # guide: tincan.xml)
            tincan.LAUNCH: inputs.renderer.render_course(cur, modules, [MENU_SCRIPT], spec.exam),
            PROFILE_IN_PACKAGE: inputs.profile,
        }

    def check(self, files: Mapping[str, bytes], shown: str) -> list[Diagnostic]:
        doc = etree.fromstring(files[tincan.FILE], etree.XMLParser(no_network=True))
        launches = list(doc.iter(f"{{{tincan.NS}}}launch"))
        problems = [
            Diagnostic(shown, source_line(el), f"launch '{el.text}' is not in the package",
                       "this is a builder bug: please report it", "manifest.missing-file")
            for el in launches if el.text not in files
        ]
        if len(launches) != 1:
            problems.append(Diagnostic(shown, 1, f"{len(launches)} launchable activities",
                                       "tincan.xml allows exactly one: a builder bug",
                                       "manifest.launch"))
        return problems
