"""Manifests of the sample course equal the reviewed goldens in tests/golden/
(regenerate with `make golden`, then review the diff like code)."""

from __future__ import annotations

import pytest

from tests.conftest import GOLDEN, unzip
from tests.unit.exam_case import exam_case_packages

PACKAGES = [
    ("demo-scorm2004.zip", "imsmanifest.xml", "scorm2004/imsmanifest.xml"),
    ("demo-scorm12.zip", "imsmanifest.xml", "scorm12/imsmanifest.xml"),
    ("modules/demo-m1-scorm2004.zip", "imsmanifest.xml", "scorm2004/m1/imsmanifest.xml"),
    ("modules/demo-m1-scorm12.zip", "imsmanifest.xml", "scorm12/m1/imsmanifest.xml"),
    ("demo-cmi5.zip", "cmi5.xml", "cmi5/cmi5.xml"),
    ("demo-xapi.zip", "tincan.xml", "xapi/tincan.xml"),
]


@pytest.mark.parametrize(("package", "member", "golden"), PACKAGES)
def test_manifest_matches_golden(minimal_packages, update_golden: bool, package: str, member: str,
                                 golden: str) -> None:
    actual = unzip(minimal_packages[package])[member].decode()
    path = GOLDEN / "minimal" / golden
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden at {path}: run `make golden` and review it"
    assert actual == path.read_text(encoding="utf-8")


EXAM_PACKAGES = [
    ("demo-scorm2004.zip", "imsmanifest.xml", "scorm2004/imsmanifest.xml"),
    ("demo-scorm12.zip", "imsmanifest.xml", "scorm12/imsmanifest.xml"),
    ("modules/demo-exam-scorm2004.zip", "imsmanifest.xml", "scorm2004/exam/imsmanifest.xml"),
    ("modules/demo-exam-scorm12.zip", "imsmanifest.xml", "scorm12/exam/imsmanifest.xml"),
    ("demo-cmi5.zip", "cmi5.xml", "cmi5/cmi5.xml"),
    ("modules/demo-exam-cmi5.zip", "cmi5.xml", "cmi5/exam/cmi5.xml"),
    ("demo-xapi.zip", "tincan.xml", "xapi/tincan.xml"),
    ("modules/demo-exam-xapi.zip", "tincan.xml", "xapi/exam/tincan.xml"),
]


@pytest.mark.parametrize(("package", "member", "golden"), EXAM_PACKAGES)
def test_exam_manifest_matches_golden(update_golden: bool, package: str, member: str, golden: str) -> None:
    """The sample course with a certification exam (tests/cases/exam)."""
    actual = unzip(exam_case_packages()[package])[member].decode()
    path = GOLDEN / "exam" / golden
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden at {path}: run `make golden` and review it"
    assert actual == path.read_text(encoding="utf-8")
