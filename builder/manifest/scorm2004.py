"""SCORM 2004 4th Edition imsmanifest.xml (CAM 4th Ed. and SN 4th Ed.): one SCO per module,
mastery goals as imsss objectives; in the whole-course package they are mapped to course-wide
global objectives, in a single-module package they stay local to the SCO."""

from __future__ import annotations

from lxml import etree

from builder import identifiers as ids
from builder.manifest import imscp
from builder.manifest.ns import ADLCP, ADLNAV, ADLSEQ, IMSCP, IMSSS, SCHEMA_LOCATIONS_2004, XSI, q
from builder.model import Curriculum, ModuleRef, ParsedExam

DIALECT = imscp.CpDialect(
    cp=IMSCP,
    adlcp=ADLCP,
    nsmap={None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
           "xsi": XSI},
    locations=SCHEMA_LOCATIONS_2004,
    schemaversion="2004 4th Edition",
    scorm_type_attr="scormType",
)


def _decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"


def _map(parent: etree._Element, target: str, *, write: bool) -> None:
    # mapInfo defaults are read=true/write=false (SN 4th Ed. §5.1.8.2), so both are spelt
    # out: a SCO that owns the goal writes it and reads nothing back; the exam only reads a
    # module's satisfied status and never changes a module's or a goal's global objective.
    info = etree.SubElement(parent, q(IMSSS, "mapInfo"))
    info.set("targetObjectiveID", target)
    info.set("readSatisfiedStatus", "false" if write else "true")
    info.set("readNormalizedMeasure", "false")
    info.set("writeSatisfiedStatus", "true" if write else "false")
    info.set("writeNormalizedMeasure", "true" if write else "false")


def _sco_item(
    cur: Curriculum, parent: etree._Element, module: ModuleRef, global_objectives: bool
) -> None:
    item = etree.SubElement(parent, q(IMSCP, "item"))
    item.set("identifier", ids.item_id(module.id))
    item.set("identifierref", ids.resource_id(module.id))
    imscp.title(DIALECT, item, module.title)
    seq = etree.SubElement(item, q(IMSSS, "sequencing"))
    # Child order is fixed by imsss_v1p0.xsd: ... objectives, ..., deliveryControls.
    objectives = etree.SubElement(seq, q(IMSSS, "objectives"))
    primary = etree.SubElement(objectives, q(IMSSS, "primaryObjective"))
    primary.set("objectiveID", ids.primary_objective_id(module.id))
    primary.set("satisfiedByMeasure", "true")
    etree.SubElement(primary, q(IMSSS, "minNormalizedMeasure")).text = _decimal(cur.mastery(module))
    if global_objectives:
        _map(primary, ids.module_iri(cur.course, module.id), write=True)
    for goal in module.goals:
        # No minNormalizedMeasure on goals: Moodle takes the passing score from the last
        # objective that has one (standards.md §7.15), so only the primary carries it.
        objective = etree.SubElement(objectives, q(IMSSS, "objective"))
        objective.set("objectiveID", goal.id)
        if global_objectives:
            _map(objective, ids.goal_iri(cur.course, goal.id), write=True)
    delivery = etree.SubElement(seq, q(IMSSS, "deliveryControls"))
    # Defaults are false, which marks a SCO complete and satisfied on launch (§7.11).
    delivery.set("completionSetByContent", "true")
    delivery.set("objectiveSetByContent", "true")


def _exam_item(cur: Curriculum, parent: etree._Element, exam: ParsedExam, gated: bool) -> None:
    """The exam SCO, last. Its objectives are its own: the primary (pass mark) and one per
    covered goal (exam mastery), never mapped to the modules' goal objectives. `gated`
    (whole course): disabled until every covered module's global objective is satisfied."""
    item = etree.SubElement(parent, q(IMSCP, "item"))
    item.set("identifier", ids.item_id(exam.id))
    item.set("identifierref", ids.resource_id(exam.id))
    imscp.title(DIALECT, item, exam.settings.title)
    seq = etree.SubElement(item, q(IMSSS, "sequencing"))
    if gated:
        # SN 4th Ed. §3.4 precondition rules; "not satisfied" alone is unknown (so does
        # not fire) while a module has no status yet, hence "not objectiveStatusKnown" too
        # (standards.md §2.5). Disabled blocks delivery by choice and by flow alike.
        rules = etree.SubElement(seq, q(IMSSS, "sequencingRules"))
        pre = etree.SubElement(rules, q(IMSSS, "preConditionRule"))
        conditions = etree.SubElement(pre, q(IMSSS, "ruleConditions"))
        conditions.set("conditionCombination", "any")
        for module in exam.covers:
            for condition in ("satisfied", "objectiveStatusKnown"):
                cond = etree.SubElement(conditions, q(IMSSS, "ruleCondition"))
                cond.set("referencedObjective", ids.exam_requirement_objective_id(exam.id, module.id))
                cond.set("operator", "not")
                cond.set("condition", condition)
        etree.SubElement(pre, q(IMSSS, "ruleAction")).set("action", "disabled")
    objectives = etree.SubElement(seq, q(IMSSS, "objectives"))
    primary = etree.SubElement(objectives, q(IMSSS, "primaryObjective"))
    primary.set("objectiveID", ids.primary_objective_id(exam.id))
    primary.set("satisfiedByMeasure", "true")
    etree.SubElement(primary, q(IMSSS, "minNormalizedMeasure")).text = _decimal(exam.pass_mark)
    for goal in exam.goals:
        objective = etree.SubElement(objectives, q(IMSSS, "objective"))
        objective.set("objectiveID", ids.exam_goal_objective_id(exam.id, goal.id))
    if gated:
        for module in exam.covers:
            objective = etree.SubElement(objectives, q(IMSSS, "objective"))
            objective.set("objectiveID", ids.exam_requirement_objective_id(exam.id, module.id))
            _map(objective, ids.module_iri(cur.course, module.id), write=False)
    delivery = etree.SubElement(seq, q(IMSSS, "deliveryControls"))
    delivery.set("completionSetByContent", "true")
    delivery.set("objectiveSetByContent", "true")


def _control_mode(parent: etree._Element) -> etree._Element:
    seq = etree.SubElement(parent, q(IMSSS, "sequencing"))
    mode = etree.SubElement(seq, q(IMSSS, "controlMode"))
    mode.set("choice", "true")
    mode.set("flow", "true")  # default false: Continue/Previous would do nothing (SN §5.1.1)
    return seq


def _rule(parent: etree._Element, child_set: str, condition: str, negate: bool, action: str) -> None:
    rule = etree.SubElement(parent, q(IMSSS, "rollupRule"))
    rule.set("childActivitySet", child_set)
    conditions = etree.SubElement(rule, q(IMSSS, "rollupConditions"))
    cond = etree.SubElement(conditions, q(IMSSS, "rollupCondition"))
    if negate:
        cond.set("operator", "not")
    cond.set("condition", condition)
    etree.SubElement(rule, q(IMSSS, "rollupAction")).set("action", action)


def _course_rollup(seq: etree._Element) -> None:
    """The course is satisfied / completed when every module is, explicitly (SN §4.6)."""
    rules = etree.SubElement(seq, q(IMSSS, "rollupRules"))
    _rule(rules, "all", "satisfied", False, "satisfied")
    _rule(rules, "any", "satisfied", True, "notSatisfied")
    _rule(rules, "all", "completed", False, "completed")
    _rule(rules, "any", "completed", True, "incomplete")


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
    orgs = etree.SubElement(root, q(IMSCP, "organizations"))
    orgs.set("default", ids.ORGANIZATION)
    org = etree.SubElement(orgs, q(IMSCP, "organization"))
    org.set("identifier", ids.ORGANIZATION)
    # Default true would let goal ids collide with other courses in the LMS (§7.11).
    org.set(q(ADLSEQ, "objectivesGlobalToSystem"), "false")
    imscp.title(DIALECT, org, title)
    if not modules and exam is not None:
        # The exam alone: no modules to wait for, and no mapInfo (the Moodle rule below).
        _exam_item(cur, org, exam, gated=False)
    elif len(modules) == 1 and exam is None:
        # A lone SCO has no siblings to share goals with, so it needs no global objectives;
        # and Moodle 4.5 cannot import any package whose objectives carry a mapInfo child
        # (its scormlib.php crashes under PHP 8, standards.md §7.15). Objectives stay local;
        # the SCO still reports each goal through cmi.objectives.
        _sco_item(cur, org, modules[0], global_objectives=False)
    else:
        wrapper = etree.SubElement(org, q(IMSCP, "item"))
        wrapper.set("identifier", ids.ROOT_ITEM)
        imscp.title(DIALECT, wrapper, title)
        # The whole course keeps one global objective per goal and module: with full
        # sequencing (SN 4th Ed. §4.6) that is what carries goal mastery up to the course.
        for module in modules:
            _sco_item(cur, wrapper, module, global_objectives=True)
        if exam is not None:
            _exam_item(cur, wrapper, exam, gated=True)
        _course_rollup(_control_mode(wrapper))
    _control_mode(org)
    imscp.resources(DIALECT, root, scos, shared)
    return imscp.serialize(root)
