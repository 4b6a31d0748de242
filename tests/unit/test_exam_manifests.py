"""Where the exam sits in every package (EXAM-CONTRACT §3): last SCO/AU of the whole
course, gated on the modules it covers, and alone in its own package per format."""

from __future__ import annotations

import pytest
import yaml
from lxml import etree

from tests.conftest import CONTENT, unzip
from tests.unit.exam_case import EXAM_CASE, exam_case_packages

NS = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "ss": "http://www.imsglobal.org/xsd/imsss",
      "cp12": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp12": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
      "c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd", "t": "http://projecttincan.com/tincan.xsd"}
CASE = yaml.safe_load((EXAM_CASE / "curriculum.yaml").read_text(encoding="utf-8"))
COURSE_IRI = CASE["course"]["id"]
EXAM_IRI = f"{COURSE_IRI}/exams/exam"
MODULES = [m["id"] for m in CASE["modules"]]
GOALS = [g["id"] for m in CASE["modules"] for g in m["goals"]]
FORMATS = ("scorm2004", "scorm12", "cmi5", "xapi")


def member(package: str, name: str) -> etree._Element:
    return etree.fromstring(unzip(exam_case_packages()[package])[name])


def exam_item_2004(package: str) -> etree._Element:
    (item,) = member(package, "imsmanifest.xml").xpath("//cp:item[@identifier='item-exam']", namespaces=NS)
    return item


def test_2004_exam_is_the_last_sco_of_the_course() -> None:
    root = member("demo-scorm2004.zip", "imsmanifest.xml")
    (wrapper,) = root.xpath("//cp:organization/cp:item", namespaces=NS)
    assert [i.get("identifier") for i in wrapper.xpath("cp:item", namespaces=NS)] == [
        *(f"item-{m}" for m in MODULES), "item-exam"]
    (res,) = root.xpath("//cp:resource[@identifier='res-exam']", namespaces=NS)
    assert res.get("href") == "exam/index.html"


def test_2004_exam_is_disabled_until_every_covered_module_is_satisfied() -> None:
    item = exam_item_2004("demo-scorm2004.zip")
    (rule,) = item.xpath("ss:sequencing/ss:sequencingRules/ss:preConditionRule", namespaces=NS)
    assert rule.xpath("string(ss:ruleAction/@action)", namespaces=NS) == "disabled"
    assert rule.xpath("string(ss:ruleConditions/@conditionCombination)", namespaces=NS) == "any"
    conditions = rule.xpath("ss:ruleConditions/ss:ruleCondition", namespaces=NS)
    # each module: not satisfied, or no status yet (an unknown status alone fires no rule)
    assert {(c.get("referencedObjective"), c.get("operator"), c.get("condition")) for c in conditions} == {
        (f"exam-requires-{m}", "not", cond) for m in MODULES for cond in ("satisfied", "objectiveStatusKnown")}
    for module in MODULES:
        (objective,) = item.xpath(f".//ss:objective[@objectiveID='exam-requires-{module}']", namespaces=NS)
        (info,) = objective.xpath("ss:mapInfo", namespaces=NS)
        # reads the module SCO's global objective (its primary writes the module IRI), writes nothing
        assert info.get("targetObjectiveID") == f"{COURSE_IRI}/modules/{module}"
        assert info.get("readSatisfiedStatus") == "true"
        assert info.get("writeSatisfiedStatus") == "false" and info.get("writeNormalizedMeasure") == "false"
    root = member("demo-scorm2004.zip", "imsmanifest.xml")
    for module in MODULES:
        (sco,) = root.xpath(f"//cp:item[@identifier='item-{module}']", namespaces=NS)
        writes = sco.xpath("ss:sequencing/ss:objectives/ss:primaryObjective/ss:mapInfo", namespaces=NS)
        assert [(w.get("targetObjectiveID"), w.get("writeSatisfiedStatus")) for w in writes] == [
            (f"{COURSE_IRI}/modules/{module}", "true")]


def test_2004_exam_objectives_are_its_own_and_write_no_goal_global() -> None:
    item = exam_item_2004("demo-scorm2004.zip")
    (primary,) = item.xpath(".//ss:primaryObjective", namespaces=NS)
    assert primary.get("objectiveID") == "exam-mastery" and primary.get("satisfiedByMeasure") == "true"
    assert primary.xpath("string(ss:minNormalizedMeasure)", namespaces=NS) == str(CASE["exam"]["pass_mark"])
    assert not primary.xpath("ss:mapInfo", namespaces=NS)
    goals = [o.get("objectiveID") for o in item.xpath(".//ss:objective", namespaces=NS)
             if not o.get("objectiveID").startswith("exam-requires-")]
    assert goals == [f"exam-{g}" for g in GOALS]
    assert not item.xpath(".//ss:mapInfo[@writeSatisfiedStatus='true' or @writeNormalizedMeasure='true']",
                          namespaces=NS)
    (controls,) = item.xpath(".//ss:deliveryControls", namespaces=NS)
    assert controls.get("completionSetByContent") == "true" and controls.get("objectiveSetByContent") == "true"


def test_2004_exam_alone_has_no_precondition_and_no_mapinfo() -> None:
    root = member("modules/demo-exam-scorm2004.zip", "imsmanifest.xml")
    scos = root.xpath("//cp:resource[@adlcp:scormType='sco']",
                      namespaces={**NS, "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3"})
    assert [s.get("identifier") for s in scos] == ["res-exam"]
    assert not root.xpath("//ss:mapInfo", namespaces=NS)  # Moodle 4.5 cannot import mapInfo
    assert not root.xpath("//ss:sequencingRules", namespaces=NS)
    assert root.xpath("string(//ss:primaryObjective/ss:minNormalizedMeasure)", namespaces=NS) == str(CASE["exam"]["pass_mark"])


def test_12_exam_is_last_with_prerequisites_and_the_pass_mark() -> None:
    root = member("demo-scorm12.zip", "imsmanifest.xml")
    items = root.xpath("//cp12:item[@identifierref]", namespaces=NS)
    assert [i.get("identifier") for i in items] == [*(f"item-{m}" for m in MODULES), "item-exam"]
    exam = items[-1]
    (prereq,) = exam.xpath("adlcp12:prerequisites", namespaces=NS)
    assert prereq.get("type") == "aicc_script"
    assert prereq.text == "&".join(f"item-{m}" for m in MODULES)
    assert exam.xpath("string(adlcp12:masteryscore)", namespaces=NS) == f"{CASE['exam']['pass_mark'] * 100:g}"


def test_12_exam_alone_has_no_prerequisites() -> None:
    root = member("modules/demo-exam-scorm12.zip", "imsmanifest.xml")
    (item,) = root.xpath("//cp12:item[@identifierref]", namespaces=NS)
    assert item.get("identifier") == "item-exam"
    assert not item.xpath("adlcp12:prerequisites", namespaces=NS)


def test_cmi5_exam_is_a_last_block_with_one_au_moving_on_when_passed() -> None:
    root = member("demo-cmi5.zip", "cmi5.xml")
    blocks = root.xpath("c:block", namespaces=NS)
    exam_block = blocks[-1]
    assert exam_block.get("id") == f"{EXAM_IRI}/block"
    (au,) = exam_block.xpath("c:au", namespaces=NS)
    assert au.get("id") == EXAM_IRI and au.get("moveOn") == "Passed"
    assert float(au.get("masteryScore")) == CASE["exam"]["pass_mark"]
    assert au.xpath("c:objectives/c:objective/@idref", namespaces=NS) == [f"{COURSE_IRI}/goals/{g}" for g in GOALS]
    assert au.xpath("string(c:url)", namespaces=NS) == "exam/index.html"
    assert not root.xpath("c:block[position() < last()]//c:au[@id = $iri]", iri=EXAM_IRI, namespaces=NS)


def test_cmi5_exam_alone_is_a_course_of_its_own() -> None:
    root = member("modules/demo-exam-cmi5.zip", "cmi5.xml")
    assert root.xpath("string(c:course/@id)", namespaces=NS) == f"{EXAM_IRI}/package"
    assert root.xpath("//c:au/@id", namespaces=NS) == [EXAM_IRI]
    declared = set(root.xpath("c:objectives/c:objective/@id", namespaces=NS))
    assert set(root.xpath("//c:au/c:objectives/c:objective/@idref", namespaces=NS)) == declared


def test_tincan_lists_the_exam_and_its_menu_links_it_last() -> None:
    files = unzip(exam_case_packages()["demo-xapi.zip"])
    doc = etree.fromstring(files["tincan.xml"])
    (exam,) = doc.xpath("//t:activity[@id=$iri]", iri=EXAM_IRI, namespaces=NS)
    assert exam.get("type") == "http://adlnet.gov/expapi/activities/assessment"
    menu = etree.HTML(files["index.html"])
    assert menu.xpath("//a[@data-module-link]/@href")[-1] == "exam/index.html"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_whole_course_and_exam_package_carries_the_exam_page_and_runtime(fmt: str) -> None:
    for name in (f"demo-{fmt}.zip", f"modules/demo-exam-{fmt}.zip"):
        files = unzip(exam_case_packages()[name])
        assert {"exam/index.html", "shared/cpom-exam.js"} <= set(files), name
        assert b"cpom-exam.js" in files["exam/index.html"]


def test_module_and_path_packages_have_no_exam() -> None:
    for name, data in exam_case_packages().items():
        if name.startswith(("paths/", "modules/demo-m")):
            files = set(unzip(data))
            assert not {f for f in files if f.startswith("exam/") or f.endswith("cpom-exam.js")}, name


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_cpom_course_has_the_exam_in_every_format(course_packages, fmt: str) -> None:
    exam_id = yaml.safe_load((CONTENT / "curriculum.yaml").read_text(encoding="utf-8"))["exam"]["id"]
    for name in (f"cpom-{fmt}.zip", f"modules/cpom-{exam_id}-{fmt}.zip"):
        assert f"{exam_id}/index.html" in unzip(course_packages[name]), name
