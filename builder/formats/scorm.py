"""What both SCORM formats share: resources from the tree, schema files at the root."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from lxml import etree

from builder import identifiers as ids
from builder.errors import Diagnostic
from builder.manifest.imscp import ScoResource
from builder.model import Curriculum, Module, ModuleRef
from builder.validate import SCHEMAS, check_manifest, load_schema

ManifestBuilder = Callable[
    [Curriculum, list[ModuleRef], list[ScoResource], list[str], str, str], bytes
]
MANIFEST = "imsmanifest.xml"


class ScormPackaging:
    """Composed into each SCORM format (no inheritance): builds and checks its manifest."""

    def __init__(self, folder: str, build: ManifestBuilder, imports: list[tuple[str, str]]) -> None:
        self.folder = folder
        self.build = build
        self.imports = imports

    @cached_property
    def schema(self) -> etree.XMLSchema:
        return load_schema(self.folder, self.imports)

    @cached_property
    def schema_files(self) -> dict[str, bytes]:
        """The control files every package carries at its root (CAM; standards.md §1.1),
        read once per build rather than once per package."""
        return {path.name: path.read_bytes() for path in sorted((SCHEMAS / self.folder).iterdir())
                if path.suffix in (".xsd", ".dtd")}

    def control_files(
        self, cur: Curriculum, modules: list[Module], files: dict[str, bytes], single: bool
    ) -> dict[str, bytes]:
        scos = []
        for module in modules:
            page = ids.module_page(module.ref.id)
            own = sorted(f for f in files if f.startswith(ids.module_dir(module.ref.id) + "/") and f != page)
            scos.append(ScoResource(module.ref.id, [page, *own, *(a.target for a in module.assets)]))
        used = {f for sco in scos for f in sco.files}
        shared = sorted(f for f in files if f not in used)
        refs = [m.ref for m in modules]
        if single:
            identifier = ids.manifest_identifier(cur.course, refs[0].id)
            title = f"{cur.course.title}: {modules[0].title}"
        else:
            identifier, title = ids.manifest_identifier(cur.course), cur.course.title
        return {MANIFEST: self.build(cur, refs, scos, shared, identifier, title), **self.schema_files}

    def check(self, files: dict[str, bytes], shown: str) -> list[Diagnostic]:
        return check_manifest(self.schema, files[MANIFEST], set(files), shown)
