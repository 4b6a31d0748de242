"""SCORM 1.2 imsmanifest.xml (CAM 1.2): items with adlcp:masteryscore."""

from __future__ import annotations

from lxml import etree

from builder import identifiers as ids
from builder.manifest import imscp
from builder.manifest.ns import ADLCP12, IMSCP12, SCHEMA_LOCATIONS_12, XSI, q
from builder.model import Curriculum, ModuleRef, ParsedExam

DIALECT = imscp.CpDialect(
    cp=IMSCP12,
    adlcp=ADLCP12,
    nsmap={None: IMSCP12, "adlcp": ADLCP12, "xsi": XSI},
    locations=SCHEMA_LOCATIONS_12,
    schemaversion="1.2",
    scorm_type_attr="scormtype",
)


def _percent(scaled: float) -> str:
    return f"{round(scaled * 100, 2):g}"


def _sco_item(cur: Curriculum, parent: etree._Element, module: ModuleRef) -> None:
    item = etree.SubElement(parent, q(IMSCP12, "item"))
    item.set("identifier", ids.item_id(module.id))
    item.set("identifierref", ids.resource_id(module.id))
    item.set("isvisible", "true")
    imscp.title(DIALECT, item, module.title)
    # Feeds cmi.student_data.mastery_score (0-100). Same value as the runtime's threshold,
    # both from the curriculum, so the LMS's override agrees with the SCO (standards §7.12).
    etree.SubElement(item, q(ADLCP12, "masteryscore")).text = _percent(cur.mastery(module))


def _exam_item(parent: etree._Element, exam: ParsedExam, gated: bool) -> None:
    item = etree.SubElement(parent, q(IMSCP12, "item"))
    item.set("identifier", ids.item_id(exam.id))
    item.set("identifierref", ids.resource_id(exam.id))
    item.set("isvisible", "true")
    imscp.title(DIALECT, item, exam.settings.title)
    if gated:
        # CAM 1.2 §2.3.5.2.1: an AICC script over item identifiers; '&' means all of them.
        # LMS support varies (standards.md §17): the exam page also says what it covers.
        prerequisites = etree.SubElement(item, q(ADLCP12, "prerequisites"))
        prerequisites.set("type", "aicc_script")
        prerequisites.text = "&".join(ids.item_id(m.id) for m in exam.covers)
    etree.SubElement(item, q(ADLCP12, "masteryscore")).text = _percent(exam.pass_mark)


def build(
    cur: Curriculum,
    modules: list[ModuleRef],
    scos: list[imscp.ScoResource],
    shared: list[str],
    identifier: str,
    title: str,
    exam: ParsedExam | None = None,
) -> bytes:
    root = imscp.manifest_root(DIALECT, identifier, cur.course.version)
    orgs = etree.SubElement(root, q(IMSCP12, "organizations"))
    orgs.set("default", ids.ORGANIZATION)
    org = etree.SubElement(orgs, q(IMSCP12, "organization"))
    org.set("identifier", ids.ORGANIZATION)
    imscp.title(DIALECT, org, title)
    if not modules and exam is not None:
        _exam_item(org, exam, gated=False)
    elif len(modules) == 1 and exam is None:
        _sco_item(cur, org, modules[0])
    else:
        # A single non-launchable root item wrapping every SCO: Moodle's player needs it
        # for its next/previous navigation (standards.md §7.9).
        wrapper = etree.SubElement(org, q(IMSCP12, "item"))
        wrapper.set("identifier", ids.ROOT_ITEM)
        imscp.title(DIALECT, wrapper, title)
        for module in modules:
            _sco_item(cur, wrapper, module)
        if exam is not None:
            _exam_item(wrapper, exam, gated=True)
    imscp.resources(DIALECT, root, scos, shared)
    return imscp.serialize(root)
