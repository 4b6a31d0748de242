"""Built packages: layout, hygiene, determinism and schema validity, on the shipped course."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from lxml import etree

from builder.manifest.ns import ADLCP12, IMSCP12, SCHEMA_LOCATIONS_2004
from builder.pipeline import build_packages
from builder.validate import SCHEMAS, load_schema
from tests.conftest import CONTENT, unzip

SAFE = re.compile(r"^[a-z0-9._/-]+$")
CONTROL_FILES = {p.name for p in SCHEMAS.glob("*/*") if p.suffix in (".xsd", ".dtd")}


def zips(packages: dict[str, bytes], *suffixes: str) -> dict[str, bytes]:
    return {k: v for k, v in packages.items() if k.endswith(suffixes or (".zip",))}


def scorm(packages: dict[str, bytes]) -> dict[str, bytes]:
    return zips(packages, "scorm12.zip", "scorm2004.zip")


def test_course_builds_every_expected_package(course_packages) -> None:
    names = set(course_packages)
    assert {"cpom-scorm2004.zip", "cpom-scorm12.zip", "cpom-cmi5.zip", "cpom-xapi.zip",
            "cpom-xapi-profile.jsonld"} <= names
    for n in range(1, 21):
        for fmt in ("scorm12", "scorm2004"):
            assert f"modules/cpom-m{n:02d}-{fmt}.zip" in names
    assert {f"paths/cpom-{p}-cmi5.zip" for p in ("aspiring-leader", "new-manager", "experienced-manager", "director")} <= names
    # issue 12: the exam's own package in every format, next to the module singles
    assert {f"modules/cpom-exam-{fmt}.zip" for fmt in ("scorm12", "scorm2004", "cmi5", "xapi")} <= names
    assert len(names) == 53


def test_same_sources_give_byte_identical_packages(course_packages) -> None:
    again = build_packages(CONTENT).packages
    digest = lambda p: {k: hashlib.sha256(v).hexdigest() for k, v in p.items()}  # noqa: E731
    assert digest(again) == digest(course_packages)


def test_zip_entries_are_safe_sorted_and_clean(course_packages) -> None:
    for name, data in zips(course_packages).items():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            assert infos[0].filename in ("imsmanifest.xml", "cmi5.xml", "tincan.xml"), name
            for info in infos:
                # XMLSchema.dtd is an official control file and keeps its name; no href uses it
                assert SAFE.match(info.filename) or info.filename in CONTROL_FILES, (name, info.filename)
                assert not info.filename.startswith("/") and ".." not in info.filename
                assert "__MACOSX" not in info.filename and ".DS_Store" not in info.filename
                assert info.compress_type == zipfile.ZIP_DEFLATED
                assert info.date_time == (1980, 1, 1, 0, 0, 0)
                assert not info.is_dir()


def _manifest(data: bytes) -> tuple[etree._Element, dict[str, bytes]]:
    files = unzip(data)
    return etree.fromstring(files["imsmanifest.xml"]), files


def test_every_href_is_in_the_zip_and_every_file_is_listed(course_packages) -> None:
    for name, data in scorm(course_packages).items():
        root, files = _manifest(data)
        hrefs = {el.get("href") for el in root.iter() if el.get("href")}
        assert hrefs <= set(files), (name, hrefs - set(files))
        listed = {el.get("href") for el in root.iter() if el.tag.endswith("}file")}
        content_files = {f for f in files if "/" in f}
        assert content_files == listed, (name, content_files ^ listed)


def test_scorm2004_manifests_validate_against_official_xsds(course_packages) -> None:
    schema = load_schema("scorm2004", SCHEMA_LOCATIONS_2004)
    for name, data in course_packages.items():
        if name.endswith("scorm2004.zip"):
            root, _ = _manifest(data)
            assert schema.validate(root), (name, schema.error_log)


def test_scorm12_manifests_validate_against_official_xsds(course_packages) -> None:
    schema = load_schema("scorm12", [(IMSCP12, "imscp_rootv1p1p2.xsd"), (ADLCP12, "adlcp_rootv1p2.xsd")])
    for name, data in course_packages.items():
        if name.endswith("scorm12.zip"):
            root, _ = _manifest(data)
            assert schema.validate(root), (name, schema.error_log)


def test_control_files_sit_at_every_package_root(course_packages) -> None:
    need12 = {"imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"}
    need2004 = {"imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd",
                "imsss_v1p0.xsd", "xml.xsd"}
    for name, data in scorm(course_packages).items():
        files = set(unzip(data))
        assert (need12 if name.endswith("scorm12.zip") else need2004) <= files, name


def test_xsd_validation_catches_a_broken_sequencing_attribute(course_packages) -> None:
    schema = load_schema("scorm2004", SCHEMA_LOCATIONS_2004)
    root, _ = _manifest(course_packages["cpom-scorm2004.zip"])
    mode = root.find(".//{http://www.imsglobal.org/xsd/imsss}controlMode")
    mode.set("flow", "yes")
    assert not schema.validate(root)
