"""Formats as plugins: the pipeline builds whatever packages a format lists, pages are
rendered once for every format, ids come from the page data, zips are made concurrently."""

from __future__ import annotations

import ast
import json
import posixpath
import re
from collections.abc import Mapping

from lxml import etree

from builder import pipeline
from builder.errors import Diagnostic
from builder.formats import BuildInputs, PackageSpec, whole_course
from builder.model import ParsedCourse
from builder.render import PageRenderer
from builder.zipper import zip_tree, zip_trees
from tests.conftest import CASES, ROOT, unzip

COURSE_PACKAGES = ["demo-scorm2004.zip", "demo-scorm12.zip", "demo-cmi5.zip", "demo-xapi.zip"]
IMSSS = "http://www.imsglobal.org/xsd/imsss"


def _data(page: bytes) -> dict:
    found = re.search(rb'<script type="application/json" id="cpom-data">(.*?)</script>', page, re.DOTALL)
    assert found, "no page data"
    return json.loads(found.group(1))


def test_a_module_page_is_the_same_in_every_format(minimal_packages) -> None:
    pages = {name: unzip(minimal_packages[name])["m1/index.html"]
             for name in [*COURSE_PACKAGES, "modules/demo-m1-scorm12.zip", "paths/demo-starter-cmi5.zip"]}
    assert len(set(pages.values())) == 1, sorted(pages)


def test_every_page_is_rendered_once_for_all_formats(monkeypatch) -> None:
    rendered: list[str] = []
    original = PageRenderer.render

    def counting(self, cur, module):  # type: ignore[no-untyped-def]
        rendered.append(module.ref.id)
        return original(self, cur, module)

    monkeypatch.setattr(PageRenderer, "render", counting)
    pipeline.build_packages(CASES / "minimal")
    assert sorted(rendered) == ["m1", "m2"]


def test_every_script_a_page_loads_is_in_its_package(minimal_packages) -> None:
    for name, data in minimal_packages.items():
        if not name.endswith(".zip"):
            continue
        files = unzip(data)
        for page in (p for p in files if p.endswith(".html")):
            for src in re.findall(rb'<script src="([^"]+)"', files[page]):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), src.decode()))
                assert target in files, f"{name}: {page} loads {src.decode()}"


def test_the_scorm2004_tracker_reports_to_the_primary_objective_the_manifest_declares(
    minimal_packages,
) -> None:
    files = unzip(minimal_packages["demo-scorm2004.zip"])
    manifest = etree.fromstring(files["imsmanifest.xml"])
    declared = {el.get("objectiveID") for el in manifest.iter(f"{{{IMSSS}}}primaryObjective")}
    carried = {_data(files[f"{m}/index.html"])["module"]["objectiveId"] for m in ("m1", "m2")}
    assert carried == declared and len(carried) == 2


def test_every_interaction_id_is_in_the_page_data_and_unique_in_the_course(minimal_packages) -> None:
    files = unzip(minimal_packages["demo-scorm12.zip"])
    questions = [q for m in ("m1", "m2") for q in _data(files[f"{m}/index.html"])["questions"]]
    found = [q["interactionId"] for q in questions]
    assert len(found) == len(questions) > 1
    assert len(set(found)) == len(found)
    # CMIIdentifier (RTE 1.2 §3.4.2): no spaces, at most 255 characters
    assert all(re.fullmatch(r"[A-Za-z0-9_.:-]{1,255}", i) for i in found), found


def test_no_tracker_builds_an_id() -> None:
    runtime = ROOT / "templates" / "runtime"
    for path in runtime.glob("cpom-*.js"):
        text = path.read_text(encoding="utf-8")
        assert '"-mastery"' not in text and 'moduleId + "-"' not in text, path.name


def test_runtime_data_does_not_import_the_vocabulary() -> None:
    """vocabulary builds on runtime_data.interaction: an import back would be a cycle."""
    tree = ast.parse((ROOT / "builder" / "runtime_data.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert "builder.vocabulary" not in imported
    assert not any(isinstance(n, ast.ImportFrom) and n.module == "builder" and
                   any(a.name == "vocabulary" for a in n.names) for n in ast.walk(tree))


def test_zipping_at_once_gives_the_bytes_of_zipping_one_at_a_time(minimal_packages) -> None:
    trees = {name: (unzip(data), "imsmanifest.xml") for name, data in minimal_packages.items()
             if name.endswith(".zip")}
    assert len(trees) > 2
    seen: list[tuple[int, int]] = []
    zipped = zip_trees(trees, lambda n, total: seen.append((n, total)))
    assert zipped == {name: zip_tree(files, first) for name, (files, first) in trees.items()}
    assert list(zipped) == list(trees)
    assert seen == [(n, len(trees)) for n in range(1, len(trees) + 1)]


class _PagesOnly:
    """A made-up format: the pipeline must build it without knowing anything about it."""

    name = "pages"
    title = "Pages only"
    manifest = "pages.json"

    def packages(self, course: ParsedCourse) -> list[PackageSpec]:
        return [whole_course(course, self.name)]

    def runtime(self) -> dict[str, bytes]:
        return {"cpom-tracker.js": b"/* none */\n"}

    def control_files(
        self, spec: PackageSpec, files: Mapping[str, bytes], inputs: BuildInputs
    ) -> dict[str, bytes]:
        return {self.manifest: json.dumps(sorted(files)).encode()}

    def check(self, files: Mapping[str, bytes], shown: str) -> list[Diagnostic]:
        return []


def test_the_pipeline_builds_any_format_that_lists_its_packages(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "formats", lambda: {"pages": _PagesOnly()})
    built = pipeline.build_packages(CASES / "minimal").packages
    files = unzip(built["demo-pages.zip"])
    assert next(iter(files)) == "pages.json"
    assert json.loads(files["pages.json"]) == sorted(set(files) - {"pages.json"})
    assert {"m1/index.html", "m2/index.html", "shared/cpom-tracker.js"} <= set(files)
