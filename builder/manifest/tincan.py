"""tincan.xml (Rustici's Tin Can package format): one launchable activity, the course,
whose menu page opens the modules; modules and goals are described for the LMS."""

from __future__ import annotations

from lxml import etree

from builder import identifiers as ids
from builder import vocabulary as v
from builder.manifest.imscp import serialize
from builder.model import Curriculum, Module, ParsedExam

NS = "http://projecttincan.com/tincan.xsd"
FILE = "tincan.xml"  # at the package root
LAUNCH = "index.html"


def _activity(cur: Curriculum, parent: etree._Element, iri: str, kind: str, name: str,
              description: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}activity", id=iri, type=kind)
    etree.SubElement(el, f"{{{NS}}}name", lang=cur.course.language).text = name
    etree.SubElement(el, f"{{{NS}}}description", lang=cur.course.language).text = description
    return el


def build(cur: Curriculum, modules: list[Module], exam: ParsedExam | None = None) -> bytes:
    root = etree.Element(f"{{{NS}}}tincan", nsmap={None: NS})
    activities = etree.SubElement(root, f"{{{NS}}}activities")
    course = _activity(cur, activities, cur.course.id, v.TYPE_COURSE, cur.course.title,
                       cur.course.description)
    # Only one activity may carry <launch> (launch guide: tincan.xml).
    etree.SubElement(course, f"{{{NS}}}launch", lang=cur.course.language).text = LAUNCH
    for module in modules:
        _activity(cur, activities, ids.module_iri(cur.course, module.ref.id), v.TYPE_MODULE,
                  module.title, "Mastery goals: " + "; ".join(g.title for g in module.ref.goals))
        for goal in module.ref.goals:
            _activity(cur, activities, ids.goal_iri(cur.course, goal.id), v.TYPE_GOAL, goal.title,
                      f"Mastery goal of {module.title}")
    if exam is not None:
        _activity(cur, activities, ids.exam_iri(cur.course, exam.id), v.TYPE_ASSESSMENT,
                  exam.settings.title, "Covers: " + "; ".join(m.title for m in exam.covers))
    return serialize(root)
