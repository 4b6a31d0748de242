"""cmi5.xml against the official CourseStructure.xsd, and the shape of tincan.xml."""

from __future__ import annotations

from lxml import etree

from builder.validate import SCHEMAS
from tests.conftest import unzip

CMI5_XSD = SCHEMAS / "cmi5" / "CourseStructure.xsd"  # vendored: tests read nothing outside the repo
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd", "t": "http://projecttincan.com/tincan.xsd"}


def test_cmi5_course_structure_validates_against_the_official_xsd(course_packages) -> None:
    schema = etree.XMLSchema(etree.parse(str(CMI5_XSD)))
    doc = etree.fromstring(unzip(course_packages["cpom-cmi5.zip"])["cmi5.xml"])
    assert schema.validate(doc), schema.error_log


def test_cmi5_has_a_block_per_domain_and_an_au_per_module(course_packages) -> None:
    doc = etree.fromstring(unzip(course_packages["cpom-cmi5.zip"])["cmi5.xml"])
    blocks = doc.xpath("c:block", namespaces=NS)
    assert len(blocks) == 6 + 1  # the domains, then the certification exam (issue 12)
    aus = doc.xpath("c:block[position() <= 6]/c:au", namespaces=NS)
    assert len(aus) == 20
    assert {a.get("moveOn") for a in aus} == {"CompletedAndPassed"}
    assert {a.get("masteryScore") for a in aus} == {"0.8"}
    goals = set(doc.xpath("c:objectives/c:objective/@id", namespaces=NS))
    refs = set(doc.xpath("c:block[position() <= 6]/c:au/c:objectives/c:objective/@idref", namespaces=NS))
    assert len(goals) == 60 and refs == goals


def test_tincan_xml_has_exactly_one_launchable_activity(course_packages) -> None:
    files = unzip(course_packages["cpom-xapi.zip"])
    doc = etree.fromstring(files["tincan.xml"])
    launches = doc.xpath("//t:launch", namespaces=NS)
    assert [x.text for x in launches] == ["index.html"] and "index.html" in files
    assert launches[0].getparent().get("id") == "https://example.org/xapi/courses/cpom"
    assert len(doc.xpath("//t:activity", namespaces=NS)) == 1 + 20 + 60 + 1  # course, modules, goals, exam


def test_profile_is_in_the_xapi_packages(course_packages) -> None:
    for name in ("cpom-cmi5.zip", "cpom-xapi.zip"):
        assert unzip(course_packages[name])["xapi-profile.jsonld"] == course_packages["cpom-xapi-profile.jsonld"]


def test_each_career_path_is_a_cmi5_course_of_its_own(course_packages) -> None:
    import yaml

    from tests.conftest import CONTENT

    schema = etree.XMLSchema(etree.parse(str(CMI5_XSD)))
    cur = yaml.safe_load((CONTENT / "curriculum.yaml").read_text())
    for path in cur["paths"]:
        files = unzip(course_packages[f"paths/cpom-{path['id']}-cmi5.zip"])
        doc = etree.fromstring(files["cmi5.xml"])
        assert schema.validate(doc), schema.error_log
        assert doc.xpath("string(c:course/@id)", namespaces=NS) == f"{cur['course']['id']}/paths/{path['id']}"
        aus = doc.xpath("//c:au/@id", namespaces=NS)
        assert aus == [f"{cur['course']['id']}/modules/{m}" for m in path["modules"]]
        params = doc.xpath("//c:au/c:launchParameters/text()", namespaces=NS)
        assert params == ['{{"path": "{}"}}'.format(path["id"])] * len(aus)
        assert {f.split("/")[0] for f in files if f.endswith("/index.html")} == set(path["modules"])


def test_the_build_checks_cmi5_xml_against_the_schema(minimal_packages) -> None:
    from builder.formats.cmi5 import Cmi5

    files = unzip(minimal_packages["demo-cmi5.zip"])
    assert Cmi5().check(files, "demo-cmi5.zip") == []
    broken = files["cmi5.xml"].replace(b"<au ", b"<assignableUnit ", 1).replace(b"</au>", b"</assignableUnit>", 1)
    problems = Cmi5().check({**files, "cmi5.xml": broken}, "demo-cmi5.zip")
    assert problems and {p.code for p in problems} == {"manifest.xsd"}
