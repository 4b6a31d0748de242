"""Facts of the SCORM 2004 manifest that LMS imports depend on (standards.md §2, §7)."""

from __future__ import annotations

import yaml
from lxml import etree

from tests.conftest import CONTENT, unzip

NS = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "ss": "http://www.imsglobal.org/xsd/imsss",
      "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3"}
CURRICULUM = yaml.safe_load((CONTENT / "curriculum.yaml").read_text())


def manifest(course_packages, name: str = "cpom-scorm2004.zip") -> etree._Element:
    return etree.fromstring(unzip(course_packages[name])["imsmanifest.xml"])


def test_one_root_item_wraps_twenty_scos(course_packages) -> None:
    root = manifest(course_packages)
    (wrapper,) = root.xpath("//cp:organization/cp:item", namespaces=NS)
    assert wrapper.get("identifierref") is None
    modules = wrapper.xpath("cp:item", namespaces=NS)
    # the twenty modules, then the certification exam last (issue 12)
    assert [m.get("identifier") for m in modules] == [
        *(f"item-{m['id']}" for m in CURRICULUM["modules"]), f"item-{CURRICULUM['exam']['id']}"]
    scos = root.xpath("//cp:resource[@adlcp:scormType='sco']", namespaces=NS)
    assert len(scos) == 20 + 1


def test_every_goal_is_an_objective_mapped_to_a_global(course_packages) -> None:
    root = manifest(course_packages)
    for module in CURRICULUM["modules"]:
        item = root.xpath(f"//cp:item[@identifier='item-{module['id']}']", namespaces=NS)[0]
        objectives = item.xpath(".//ss:objective", namespaces=NS)
        assert [o.get("objectiveID") for o in objectives] == [g["id"] for g in module["goals"]]
        for objective, goal in zip(objectives, module["goals"], strict=False):
            (info,) = objective.xpath("ss:mapInfo", namespaces=NS)
            assert info.get("targetObjectiveID") == f"{CURRICULUM['course']['id']}/goals/{goal['id']}"
            assert info.get("writeSatisfiedStatus") == "true"
            assert not objective.xpath("ss:minNormalizedMeasure", namespaces=NS)


def test_primary_objective_is_satisfied_by_measure_at_mastery_score(course_packages) -> None:
    root = manifest(course_packages)
    primaries = root.xpath("//ss:primaryObjective", namespaces=NS)
    assert len(primaries) == 20 + 1  # the modules and the exam
    for p in primaries[:20]:
        assert p.get("satisfiedByMeasure") == "true"
        assert p.xpath("string(ss:minNormalizedMeasure)", namespaces=NS) == str(CURRICULUM["course"]["mastery_score"])


def test_content_sets_completion_and_objectives(course_packages) -> None:
    controls = manifest(course_packages).xpath("//ss:deliveryControls", namespaces=NS)
    assert len(controls) == 20 + 1  # the modules and the exam
    assert all(c.get("completionSetByContent") == "true" and c.get("objectiveSetByContent") == "true"
               for c in controls)


def test_flow_and_choice_on_and_objectives_not_global_to_system(course_packages) -> None:
    root = manifest(course_packages)
    (org,) = root.xpath("//cp:organization", namespaces=NS)
    assert org.get(f"{{{NS['adlseq']}}}objectivesGlobalToSystem") == "false"
    modes = root.xpath("//ss:controlMode", namespaces=NS)
    assert modes and all(m.get("flow") == "true" and m.get("choice") == "true" for m in modes)


def test_course_rolls_up_satisfied_and_completed_from_all_modules(course_packages) -> None:
    root = manifest(course_packages)
    rules = root.xpath("//cp:item[@identifier='item-course']/ss:sequencing/ss:rollupRules/ss:rollupRule",
                       namespaces=NS)
    summary = {(r.get("childActivitySet"), r.xpath("string(.//ss:rollupCondition/@operator)", namespaces=NS),
                r.xpath("string(.//ss:rollupCondition/@condition)", namespaces=NS),
                r.xpath("string(ss:rollupAction/@action)", namespaces=NS)) for r in rules}
    assert ("all", "", "satisfied", "satisfied") in summary
    assert ("all", "", "completed", "completed") in summary


def test_identifier_is_derived_from_the_course_iri_and_version(course_packages) -> None:
    root = manifest(course_packages)
    assert root.get("identifier") == "org.example.xapi.courses.cpom"
    assert root.get("version") == CURRICULUM["course"]["version"]
    single = manifest(course_packages, "modules/cpom-m07-scorm2004.zip")
    assert single.get("identifier") == "org.example.xapi.courses.cpom.m07"


def test_single_module_package_has_one_sco(course_packages) -> None:
    root = manifest(course_packages, "modules/cpom-m12-scorm2004.zip")
    items = root.xpath("//cp:item", namespaces=NS)
    assert [i.get("identifier") for i in items] == ["item-m12"]
    assert root.xpath("string(//cp:resource[@adlcp:scormType='sco']/@href)", namespaces=NS) == "m12/index.html"
