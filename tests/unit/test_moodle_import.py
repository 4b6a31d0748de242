"""The SCORM 2004 packages the README sends Moodle admins to must import in Moodle 4.5.

Moodle 4.5's manifest parser (mod/scorm/datamodels/scormlib.php) dies with "Attempt to assign
property "mapinfos" on null" on any objective that has an imsss:mapInfo child, and no activity
is created (standards.md §7.15). It takes the passing score from the last objective carrying a
minNormalizedMeasure, and it records only SCOs started on a fresh player page, so the packages
for Moodle are the single-module ones.
"""

from __future__ import annotations

import pytest
from lxml import etree

from tests.conftest import unzip

NS = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "ss": "http://www.imsglobal.org/xsd/imsss",
      "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3"}
MODULES = [f"m{n:02d}" for n in range(1, 21)]


def single(course_packages, module: str) -> etree._Element:
    return etree.fromstring(unzip(course_packages[f"modules/cpom-{module}-scorm2004.zip"])["imsmanifest.xml"])


@pytest.mark.parametrize("module", MODULES)
def test_single_module_zip_has_no_map_info(course_packages, module: str) -> None:
    root = single(course_packages, module)
    assert root.xpath("//ss:mapInfo", namespaces=NS) == []


@pytest.mark.parametrize("module", MODULES)
def test_single_module_zip_keeps_one_local_objective_per_goal(course_packages, module: str) -> None:
    root = single(course_packages, module)
    goals = [o.get("objectiveID") for o in root.xpath("//ss:objective", namespaces=NS)]
    assert goals and all(g.startswith(f"{module}-g") for g in goals)
    # Only the primary objective sets the passing score Moodle reads (the last one with a
    # minNormalizedMeasure wins there).
    measured = root.xpath("//*[ss:minNormalizedMeasure]", namespaces=NS)
    assert [etree.QName(m).localname for m in measured] == ["primaryObjective"]


@pytest.mark.parametrize("module", MODULES)
def test_single_module_zip_is_one_sco(course_packages, module: str) -> None:
    root = single(course_packages, module)
    assert len(root.xpath("//cp:resource[@adlcp:scormType='sco']", namespaces=NS)) == 1


def test_whole_course_zip_keeps_global_objectives_for_full_sequencing(course_packages) -> None:
    root = etree.fromstring(unzip(course_packages["cpom-scorm2004.zip"])["imsmanifest.xml"])
    # the module SCOs' goals (the exam SCO's objectives are its own: test_exam_manifests)
    goals = root.xpath("//cp:item[@identifier != 'item-exam']/ss:sequencing//ss:objective", namespaces=NS)
    assert len(goals) == 60 and all(len(g.xpath("ss:mapInfo", namespaces=NS)) == 1 for g in goals)
