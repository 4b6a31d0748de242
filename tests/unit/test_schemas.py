"""The vendored SCORM control files and the cmi5 course structure schema are the official
copies (MD5s from standards.md §10 and the cmi5 schema's origin note)."""

from __future__ import annotations

import hashlib
import re

from builder.validate import SCHEMAS

PUBLISHED = {  # standards.md §10, independent of builder/schemas/SOURCES.md
    "scorm12/adlcp_rootv1p2.xsd": "d574ff030bbb0217dfab6a9c0e7a7795",
    "scorm12/ims_xml.xsd": "a2b643f7ba8d7a572170e28036feedc5",
    "scorm12/imscp_rootv1p1p2.xsd": "ee6cf8dbdd91e8fdbb6b1aade679a315",
    "scorm12/imsmd_rootv1p2p1.xsd": "5930c9d69201ba90900e759e2f8324bc",
    "scorm2004/imscp_v1p1.xsd": "058ff82b049e46ac0d29ecefae5202be",
    "scorm2004/adlcp_v1p3.xsd": "fcc88d92ba3ee616529e0339853714f0",
    "scorm2004/adlseq_v1p3.xsd": "2d455cc8803c373765d3d689396951ad",
    "scorm2004/adlnav_v1p3.xsd": "f3c65632db39f797774585a30d26e0e1",
    "scorm2004/imsss_v1p0.xsd": "080f4f0380c8c94d37fe41033f55cc8a",
    "scorm2004/imsss_v1p0objective.xsd": "3c1d5cb5f038c57e52ee91e356e2225b",
    "scorm2004/xml.xsd": "525f8793d8bb981e310affd576db34ab",
    # the md5 published with the cmi5 schema's origin note (AICC/CMI-5_Spec_Current a384b69)
    "cmi5/CourseStructure.xsd": "a8e1987ed88ce02eb0603a37aed78f54",
}


def md5(rel: str) -> str:
    return hashlib.md5((SCHEMAS / rel).read_bytes()).hexdigest()


def test_vendored_schemas_match_the_published_checksums() -> None:
    assert {rel: md5(rel) for rel in PUBLISHED} == PUBLISHED


def test_sources_note_lists_every_vendored_file_with_its_checksum() -> None:
    note = (SCHEMAS / "SOURCES.md").read_text()
    listed = dict(re.findall(r"\| `([^`]+)` \| `([0-9a-f]{32})` \|", note))
    files = {p.relative_to(SCHEMAS).as_posix() for p in SCHEMAS.glob("*/*")}
    assert set(listed) == files
    assert all(md5(rel) == digest for rel, digest in listed.items())
