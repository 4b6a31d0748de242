"""The SCORM 2004 sequencing of the built course, run in scorm-again's sequencing engine.

The test reads imsmanifest.xml of the built cpom-scorm2004.zip with lxml (not with the
builder's code), turns its IMS Simple Sequencing into the activity tree an LMS hands to
scorm-again (SN book: the LMS builds the activity tree from the manifest), and plays it in
Node (tests/e2e/scorm2004_sequencing.mjs): each module SCO is delivered by a choice request
and writes, through the SCORM API, what our runtime writes when the learner passes it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.conftest import unzip

DRIVER = Path(__file__).with_name("scorm2004_sequencing.mjs")
NS = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "ss": "http://www.imsglobal.org/xsd/imsss",
}
FLAGS = ("readSatisfiedStatus", "readNormalizedMeasure", "writeSatisfiedStatus", "writeNormalizedMeasure")

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def _bool(value: str | None) -> bool | None:
    return None if value is None else value == "true"


def _objective(node: etree._Element, primary: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"objectiveID": node.get("objectiveID"), "isPrimary": primary,
                             "satisfiedByMeasure": node.get("satisfiedByMeasure") == "true"}
    measure = node.findtext("ss:minNormalizedMeasure", namespaces=NS)
    if measure is not None:
        found["minNormalizedMeasure"] = float(measure)
    maps = []
    for info in node.findall("ss:mapInfo", NS):
        entry: dict[str, Any] = {"targetObjectiveID": info.get("targetObjectiveID")}
        # IMS SS defaults: readSatisfiedStatus/readNormalizedMeasure true, writes false.
        defaults = {"readSatisfiedStatus": True, "readNormalizedMeasure": True}
        for flag in FLAGS:
            entry[flag] = _bool(info.get(flag)) if info.get(flag) else defaults.get(flag, False)
        maps.append(entry)
    if maps:
        found["mapInfo"] = maps
    return found


def _rules(seq: etree._Element, tag: str) -> list[dict[str, Any]]:
    rules = []
    for rule in seq.findall(f"ss:sequencingRules/ss:{tag}", NS):
        conds = rule.find("ss:ruleConditions", NS)
        assert conds is not None
        rules.append({
            "action": rule.find("ss:ruleAction", NS).get("action"),  # type: ignore[union-attr]
            "conditionCombination": conds.get("conditionCombination", "all"),
            "conditions": [
                {k: v for k, v in (("condition", c.get("condition")), ("operator", c.get("operator")),
                                   ("referencedObjective", c.get("referencedObjective"))) if v}
                for c in conds.findall("ss:ruleCondition", NS)
            ],
        })
    return rules


def _activity(node: etree._Element, ident: str) -> dict[str, Any]:
    title = node.findtext("cp:title", namespaces=NS) or ident
    activity: dict[str, Any] = {"id": ident, "title": title}
    seq = node.find("ss:sequencing", NS)
    if seq is not None:
        mode = seq.find("ss:controlMode", NS)
        if mode is not None:
            activity["sequencingControls"] = {k: v == "true" for k, v in mode.attrib.items()}
        delivery = seq.find("ss:deliveryControls", NS)
        if delivery is not None:
            activity["deliveryControls"] = {k: v == "true" for k, v in delivery.attrib.items()}
        primary = seq.find("ss:objectives/ss:primaryObjective", NS)
        if primary is not None:
            activity["primaryObjective"] = _objective(primary, True)
        others = [_objective(o, False) for o in seq.findall("ss:objectives/ss:objective", NS)]
        if others:
            activity["objectives"] = others
        rules = {name: _rules(seq, tag) for name, tag in (
            ("preConditionRules", "preConditionRule"), ("exitConditionRules", "exitConditionRule"),
            ("postConditionRules", "postConditionRule"))}
        if any(rules.values()):
            activity["sequencingRules"] = {k: v for k, v in rules.items() if v}
        rollup = seq.findall("ss:rollupRules/ss:rollupRule", NS)
        if rollup:
            activity["rollupRules"] = {"rules": [{
                "action": r.find("ss:rollupAction", NS).get("action"),  # type: ignore[union-attr]
                "consideration": r.get("childActivitySet", "all"),
                "conditionCombination": r.find("ss:rollupConditions", NS).get(  # type: ignore[union-attr]
                    "conditionCombination", "any"),
                "conditions": [{k: v for k, v in (("condition", c.get("condition")),
                                                  ("operator", c.get("operator"))) if v}
                               for c in r.findall("ss:rollupConditions/ss:rollupCondition", NS)],
            } for r in rollup]}
    children = [_activity(child, child.get("identifier")) for child in node.findall("cp:item", NS)]
    if children:
        activity["children"] = children
    return activity


@pytest.fixture(scope="module")
def course(course_packages: dict[str, bytes]) -> dict[str, Any]:
    """The activity tree of the built package, its module SCOs and the exam's prerequisites."""
    manifest = etree.fromstring(unzip(course_packages["cpom-scorm2004.zip"])["imsmanifest.xml"])
    org = manifest.find("cp:organizations/cp:organization", NS)
    assert org is not None
    tree = _activity(org, org.get("identifier"))
    leaves: list[dict[str, Any]] = []

    def walk(a: dict[str, Any]) -> None:
        for child in a.get("children", []):
            walk(child) if "children" in child else leaves.append(child)

    walk(tree)
    exam = next(a for a in leaves if "sequencingRules" in a)
    modules = [a for a in leaves if a is not exam]
    # The globals the exam's precondition reads, and the module that writes each one.
    by_id = {o["objectiveID"]: o for o in exam.get("objectives", [])}
    read = {by_id[c["referencedObjective"]]["mapInfo"][0]["targetObjectiveID"]
            for r in exam["sequencingRules"]["preConditionRules"] for c in r["conditions"]}
    writes = {m["primaryObjective"]["mapInfo"][0]["targetObjectiveID"]: m["id"] for m in modules}
    covered = sorted(writes[target] for target in read)
    return {"tree": tree, "exam": exam["id"], "modules": modules, "covered": covered}


def play(course: dict[str, Any], passed: list[str], tmp_path: Path) -> dict[str, Any]:
    modules = [{"item": m["id"], "objectiveId": m["primaryObjective"]["objectiveID"],
                "goals": [o["objectiveID"] for o in m.get("objectives", [])],
                "scaled": 1.0} for m in course["modules"]]
    spec = tmp_path / "play.json"
    spec.write_text(json.dumps({
        "tree": course["tree"], "modules": modules, "pass": passed,
        "exam": course["exam"], "probe": [m["item"] for m in modules] + [course["exam"]],
    }))
    done = subprocess.run(["node", str(DRIVER), str(spec)], capture_output=True, text=True,
                          timeout=120, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_every_module_is_a_prerequisite_of_the_exam(course: dict[str, Any]) -> None:
    assert course["covered"] == sorted(m["id"] for m in course["modules"])


def test_at_the_start_the_exam_is_disabled_and_every_module_can_be_chosen(
        course: dict[str, Any], tmp_path: Path) -> None:
    result = play(course, [], tmp_path)
    assert result["start"]["valid"][course["exam"]] == "false"
    assert {m["id"]: result["start"]["valid"][m["id"]] for m in course["modules"]} == {
        m["id"]: "true" for m in course["modules"]}
    assert result["examDelivered"] is False


def test_the_exam_opens_once_every_covered_module_is_passed(
        course: dict[str, Any], tmp_path: Path) -> None:
    result = play(course, course["covered"], tmp_path)
    assert result["errors"] == []
    assert [s["delivered"] for s in result["steps"]] == course["covered"]
    assert (result["examDelivered"], result["examRefusal"]) == (True, [])


def test_the_exam_stays_disabled_with_one_covered_module_not_passed(
        course: dict[str, Any], tmp_path: Path) -> None:
    result = play(course, course["covered"][:-1], tmp_path)
    assert result["errors"] == []
    assert [s["examValid"] for s in result["steps"]] == ["false"] * (len(course["covered"]) - 1)
    assert result["examDelivered"] is False
    assert result["examRefusal"] != []
