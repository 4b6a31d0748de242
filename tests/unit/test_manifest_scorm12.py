"""Facts of the SCORM 1.2 manifest (standards.md §1)."""

from __future__ import annotations

import yaml
from lxml import etree

from tests.conftest import CONTENT, unzip

NS = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
CURRICULUM = yaml.safe_load((CONTENT / "curriculum.yaml").read_text())


def manifest(course_packages, name: str = "cpom-scorm12.zip") -> etree._Element:
    return etree.fromstring(unzip(course_packages[name])["imsmanifest.xml"])


def test_schemaversion_and_lowercase_scormtype(course_packages) -> None:
    root = manifest(course_packages)
    assert root.xpath("string(cp:metadata/cp:schemaversion)", namespaces=NS) == "1.2"
    scos = root.xpath("//cp:resource[@adlcp:scormtype='sco']", namespaces=NS)
    assert len(scos) == 20 + 1  # the modules and the exam


def test_every_sco_item_carries_the_mastery_score(course_packages) -> None:
    root = manifest(course_packages)
    scores = root.xpath("//cp:item[@identifierref]/adlcp:masteryscore/text()", namespaces=NS)
    # the modules' mastery score, then the exam's pass mark
    assert scores == ["80"] * 20 + [f"{CURRICULUM['exam']['pass_mark'] * 100:g}"]


def test_manifest_starts_with_a_double_quoted_declaration(course_packages) -> None:
    raw = unzip(course_packages["cpom-scorm12.zip"])["imsmanifest.xml"]
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest')
