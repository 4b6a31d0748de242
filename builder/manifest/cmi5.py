"""cmi5.xml course structure (cmi5 Quartz §13): the course, its mastery goals as
course-level objectives, one block per domain, one AU per module."""

from __future__ import annotations

import json

from lxml import etree

from builder import identifiers as ids
from builder.manifest.imscp import serialize
from builder.model import Curriculum, LearningPath, Module, ParsedExam

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
FILE = "cmi5.xml"  # at the zip root (cmi5 §14)


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for key, value in attrs.items():
        el.set(key, value)
    return el


def _text(cur: Curriculum, parent: etree._Element, tag: str, text: str) -> None:
    holder = _el(parent, tag)
    _el(holder, "langstring", lang=cur.course.language).text = text


def _score(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"


def build(
    cur: Curriculum, modules: list[Module], path: LearningPath | None = None,
    exam: ParsedExam | None = None,
) -> bytes:
    """The whole course, or (with `path`) a career path's modules as a course of its own,
    identified by the path's IRI; with `exam`, the certification exam in a last block (or,
    without modules, the exam's own package, identified by its own IRI)."""
    root = etree.Element(f"{{{NS}}}courseStructure", nsmap={None: NS})
    if exam is not None and not modules:
        course = _el(root, "course", id=ids.exam_package_iri(cur.course, exam.id))
        _text(cur, course, "title", f"{cur.course.title}: {exam.settings.title}")
        _text(cur, course, "description", f"The certification exam of {cur.course.title}.")
    elif path is None:
        course = _el(root, "course", id=cur.course.id)
        _text(cur, course, "title", cur.course.title)
        _text(cur, course, "description", cur.course.description)
    else:
        course = _el(root, "course", id=ids.path_iri(cur.course, path.id))
        _text(cur, course, "title", f"{cur.course.title}: {path.title}")
        _text(cur, course, "description",
              f"The {path.title} career path of {cur.course.title}: " + ", ".join(
                  m.title for m in modules) + ".")
    objectives = _el(root, "objectives")
    owners = [(m.ref, m.title) for m in modules]
    if exam is not None and not modules:
        owners = [(ref, ref.title) for ref in exam.covers]
    for ref, module_title in owners:
        for goal in ref.goals:
            objective = _el(objectives, "objective", id=ids.goal_iri(cur.course, goal.id))
            _text(cur, objective, "title", goal.title)
            _text(cur, objective, "description", f"Mastery goal of {module_title}: {goal.title}")
    domains = {d.id: d for d in cur.domains}
    for domain_id in dict.fromkeys(m.ref.domain for m in modules):
        block = _el(root, "block", id=ids.domain_iri(cur.course, domain_id))
        _text(cur, block, "title", domains[domain_id].title)
        _text(cur, block, "description", domains[domain_id].title)
        for module in (m for m in modules if m.ref.domain == domain_id):
            # Completed and passed: the module has knowledge checks with a mastery score
            # (standards.md §5.6), the same score the SCORM manifests carry.
            au = _el(block, "au", id=ids.module_iri(cur.course, module.ref.id),
                     moveOn="CompletedAndPassed", masteryScore=_score(cur.mastery(module.ref)),
                     launchMethod="AnyWindow")
            _text(cur, au, "title", module.title)
            _text(cur, au, "description",
                  "Mastery goals: " + "; ".join(g.title for g in module.ref.goals))
            refs = _el(au, "objectives")
            for goal in module.ref.goals:
                _el(refs, "objective", idref=ids.goal_iri(cur.course, goal.id))
            _el(au, "url").text = ids.module_page(module.ref.id)
            if path is not None:
                # The LMS hands these to the AU in LMS.LaunchData (cmi5 §10.2.5): the page is
                # the same in every package, and learns here which path launched it.
                _el(au, "launchParameters").text = json.dumps({"path": path.id})
    if exam is not None:
        _exam_block(cur, root, exam)
    return serialize(root)


def _exam_block(cur: Curriculum, root: etree._Element, exam: ParsedExam) -> None:
    """The exam in a block of its own after the domains' blocks. cmi5 has no prerequisite
    rule: block order says "after the modules", and moveOn Passed makes the exam count only
    when it is passed (cmi5 §13.1.4; completion means nothing for an exam)."""
    block = _el(root, "block", id=ids.exam_block_iri(cur.course, exam.id))
    _text(cur, block, "title", "Certification exam")
    _text(cur, block, "description", f"The certification exam of {cur.course.title}.")
    au = _el(block, "au", id=ids.exam_iri(cur.course, exam.id), moveOn="Passed",
             masteryScore=_score(exam.pass_mark), launchMethod="AnyWindow")
    _text(cur, au, "title", exam.settings.title)
    _text(cur, au, "description",
          "Covers: " + "; ".join(m.title for m in exam.covers))
    refs = _el(au, "objectives")
    for goal in exam.goals:
        _el(refs, "objective", idref=ids.goal_iri(cur.course, goal.id))
    _el(au, "url").text = ids.module_page(exam.id)
