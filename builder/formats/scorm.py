"""What both SCORM formats share: resources from the tree, schema files at the root, one
package for the course and one per module, one tracker told its version."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

from lxml import etree

from builder import identifiers as ids
from builder.errors import Diagnostic
from builder.formats import BuildInputs, PackageSpec, each_module, exam_alone, whole_course
from builder.manifest.imscp import MANIFEST, ScoResource
from builder.model import Asset, Curriculum, ModuleRef, ParsedCourse, ParsedExam
from builder.render import page_runtime
from builder.validate import SCHEMAS, check_manifest, load_schema

ManifestBuilder = Callable[
    [Curriculum, list[ModuleRef], list[ScoResource], list[str], str, str, ParsedExam | None], bytes
]
TRACKER_SOURCE = "cpom-scorm.js"  # the one SCORM tracker, for both versions


class ScormPackaging:
    """Composed into each SCORM format (no inheritance): its packages, runtime, manifest."""

    def __init__(
        self, name: str, version: str, build: ManifestBuilder, imports: list[tuple[str, str]]
    ) -> None:
        self.name = name  # the format's name; its schemas are in schemas/<name>/
        self.version = version  # a key of the tracker's table of versions
        self.build = build
        self.imports = imports

    @cached_property
    def schema(self) -> etree.XMLSchema:
        return load_schema(self.name, self.imports)

    @cached_property
    def schema_files(self) -> dict[str, bytes]:
        """The control files every package carries at its root (CAM; standards.md §1.1),
        read once per build rather than once per package."""
        return {path.name: path.read_bytes() for path in sorted((SCHEMAS / self.name).iterdir())
                if path.suffix in (".xsd", ".dtd")}

    def packages(self, course: ParsedCourse) -> list[PackageSpec]:
        return [whole_course(course, self.name), *each_module(course, self.name),
                *exam_alone(course, self.name)]

    def runtime(self) -> dict[str, bytes]:
        return page_runtime(TRACKER_SOURCE, start=f'CPOM.startScorm("{self.version}");')

    def control_files(
        self, spec: PackageSpec, files: Mapping[str, bytes], inputs: BuildInputs
    ) -> dict[str, bytes]:
        cur = inputs.course.curriculum
        modules = spec.modules
        parts: list[tuple[str, Sequence[Asset]]] = [(m.ref.id, m.assets) for m in modules]
        if spec.exam is not None:
            parts.append((spec.exam.id, spec.exam.assets))
        scos = []
        for part, assets in parts:
            page = ids.module_page(part)
            own = sorted(f for f in files if f.startswith(ids.module_dir(part) + "/") and f != page)
            scos.append(ScoResource(part, [page, *own, *(a.target for a in assets)]))
        used = {f for sco in scos for f in sco.files}
        shared = sorted(f for f in files if f not in used)
        refs = [m.ref for m in modules]
        if spec.kind == "module":
            identifier = ids.manifest_identifier(cur.course, refs[0].id)
            title = f"{cur.course.title}: {modules[0].title}"
        elif spec.kind == "exam" and spec.exam is not None:
            identifier = ids.manifest_identifier(cur.course, spec.exam.id)
            title = f"{cur.course.title}: {spec.exam.settings.title}"
        else:
            identifier, title = ids.manifest_identifier(cur.course), cur.course.title
        manifest = self.build(cur, refs, scos, shared, identifier, title, spec.exam)
        return {MANIFEST: manifest, **self.schema_files}

    def check(self, files: Mapping[str, bytes], shown: str) -> list[Diagnostic]:
        return check_manifest(self.schema, files[MANIFEST], set(files), shown)
