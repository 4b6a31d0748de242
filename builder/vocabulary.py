"""The xAPI vocabulary every package speaks, generated from the curriculum: activities
(course, modules, goals, questions, career paths), verbs, extensions, and the xAPI profile
document (JSON-LD) that publishes them with a template per statement kind.

Verb and activity-type IRIs are ADL's (standards.md §4.2-4.3); cmi5 IRIs from cmi5 §9."""

from __future__ import annotations

from typing import Any

from builder import identifiers as ids
from builder.model import BankItem, Curriculum, Module, ParsedExam, PlacedQuestion
from builder.questions import interaction

ADL_VERB = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL_VERB + name for name in (
    "initialized", "resumed", "answered", "completed", "passed", "failed", "suspended", "terminated")}

# The certificate is `earned` (the verb registered at id.tincanapi.com), not `passed`:
# passing is the exam's result, the certificate is what the learner then holds.
VERB_EARNED = "http://id.tincanapi.com/verb/earned"
EXAM_VERBS = {**VERBS, "earned": VERB_EARNED}

ADL_TYPE = "http://adlnet.gov/expapi/activities/"
TYPE_COURSE = ADL_TYPE + "course"
TYPE_MODULE = ADL_TYPE + "module"
TYPE_GOAL = ADL_TYPE + "objective"
TYPE_QUESTION = ADL_TYPE + "cmi.interaction"
TYPE_ASSESSMENT = ADL_TYPE + "assessment"

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
EXT_MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"


def profile_iri(cur: Curriculum) -> str:
    return ids.profile_iri(cur.course)


def path_type(cur: Curriculum) -> str:
    return ids.path_type_iri(cur.course)


def _lang(cur: Curriculum, text: str) -> dict[str, str]:
    return {cur.course.language: text}


def course_activity(cur: Curriculum) -> dict[str, Any]:
    return {"objectType": "Activity", "id": cur.course.id,
            "definition": {"type": TYPE_COURSE, "name": _lang(cur, cur.course.title),
                           "description": _lang(cur, cur.course.description)}}


def module_activity(cur: Curriculum, module: Module) -> dict[str, Any]:
    return {"objectType": "Activity", "id": ids.module_iri(cur.course, module.ref.id),
            "definition": {"type": TYPE_MODULE, "name": _lang(cur, module.title)}}


def goal_activity(cur: Curriculum, goal_id: str, title: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": ids.goal_iri(cur.course, goal_id),
            "definition": {"type": TYPE_GOAL, "name": _lang(cur, title)}}


def path_activity(cur: Curriculum, path_id: str, title: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": ids.path_iri(cur.course, path_id),
            "definition": {"type": path_type(cur), "name": _lang(cur, title)}}


def question_activity(cur: Curriculum, module: Module, placed: PlacedQuestion) -> dict[str, Any]:
    """An interaction activity with its full definition (xAPI 1.0.3 Data §2.4.4.1)."""
    q = placed.question
    definition: dict[str, Any] = {
        "type": TYPE_QUESTION, "name": _lang(cur, f"{module.ref.id} {q.id}"),
        "description": _lang(cur, q.prompt), **interaction(q).xapi(cur.course.language),
    }
    return {"objectType": "Activity", "id": ids.question_iri(cur.course, module.ref.id, q.id),
            "definition": definition}


def page_vocabulary(cur: Curriculum, module: Module) -> dict[str, Any]:
    """What a module page needs to build its statements. `paths` holds the career paths
    the module belongs to: when a path package launches it (cmi5 launchParameters), that
    path's activity joins the course in every statement's grouping."""
    return {
        "profile": profile_iri(cur),
        "verbs": VERBS,
        "course": course_activity(cur),
        "module": module_activity(cur, module),
        "goals": {g.id: goal_activity(cur, g.id, g.title) for g in module.ref.goals},
        "questions": {p.question.id: question_activity(cur, module, p) for p in module.questions},
        "paths": {p.id: path_activity(cur, p.id, p.title) for p in cur.paths if module.ref.id in p.modules},
        "extensions": {"session": EXT_SESSION, "mastery": EXT_MASTERY, "progress": EXT_PROGRESS},
        "categories": {"cmi5": CMI5_CATEGORY, "moveon": MOVEON_CATEGORY},
    }


# --- the certification exam ---------------------------------------------------------------


def certificate_type(cur: Curriculum) -> str:
    return ids.certificate_type_iri(cur.course)


def evaluation_type(cur: Curriculum) -> str:
    """A course evaluation is no assessment (nothing in it is right or wrong): the course's
    profile defines its own activity type for it."""
    return f"{profile_iri(cur)}/activity-types/evaluation"


def exam_extensions(cur: Curriculum) -> dict[str, str]:
    return {"attempt": ids.extension_iri(cur.course, ids.EXT_EXAM_ATTEMPT),
            "code": ids.extension_iri(cur.course, ids.EXT_VERIFICATION_CODE)}


def exam_activity(cur: Curriculum, exam: ParsedExam) -> dict[str, Any]:
    return {"objectType": "Activity", "id": ids.exam_iri(cur.course, exam.id),
            "definition": {"type": TYPE_ASSESSMENT, "name": _lang(cur, exam.settings.title),
                           "description": _lang(cur, f"Certification exam of {cur.course.title}")}}


def certificate_activity(cur: Curriculum, exam: ParsedExam) -> dict[str, Any]:
    return {"objectType": "Activity", "id": ids.certificate_iri(cur.course, exam.id),
            "definition": {"type": certificate_type(cur),
                           "name": _lang(cur, f"{cur.course.title} certificate")}}


def evaluation_activity(cur: Curriculum, exam: ParsedExam) -> dict[str, Any]:
    return {"objectType": "Activity", "id": ids.evaluation_iri(cur.course, exam.id),
            "definition": {"type": evaluation_type(cur),
                           "name": _lang(cur, f"{cur.course.title}: course evaluation")}}


def exam_item_activity(cur: Curriculum, exam: ParsedExam, item: BankItem) -> dict[str, Any]:
    q = item.placed.question
    return {"objectType": "Activity", "id": ids.exam_item_iri(cur.course, exam.id, q.id),
            "definition": {"type": TYPE_QUESTION, "name": _lang(cur, f"{exam.id} {q.id}"),
                           "description": _lang(cur, q.prompt),
                           **interaction(q).xapi(cur.course.language)}}


def evaluation_item_activity(cur: Curriculum, exam: ParsedExam, item: BankItem) -> dict[str, Any]:
    q = item.placed.question
    return {"objectType": "Activity", "id": ids.evaluation_item_iri(cur.course, exam.id, q.id),
            "definition": {"type": TYPE_QUESTION, "name": _lang(cur, f"{exam.id} evaluation {q.id}"),
                           "description": _lang(cur, q.prompt),
                           **interaction(q).xapi(cur.course.language)}}


def exam_vocabulary(cur: Curriculum, exam: ParsedExam) -> dict[str, Any]:
    """What the exam page needs to build its statements: a module page's keys (the exam in
    `module`, the covered goals, every bank item in `questions`) plus the evaluation, the
    certificate, `earned` and the exam's extensions."""
    return {
        "profile": profile_iri(cur),
        "verbs": EXAM_VERBS,
        "course": course_activity(cur),
        "module": exam_activity(cur, exam),
        "goals": {g.id: goal_activity(cur, g.id, g.title) for g in exam.goals},
        "questions": {i.id: exam_item_activity(cur, exam, i) for i in exam.items},
        "evaluation": {i.id: evaluation_item_activity(cur, exam, i) for i in exam.evaluation},
        "evaluationActivity": evaluation_activity(cur, exam),
        "certificate": certificate_activity(cur, exam),
        # The exam is in no career-path package: no path joins its statements' grouping.
        "paths": {},
        "extensions": {"session": EXT_SESSION, "mastery": EXT_MASTERY, "progress": EXT_PROGRESS,
                       **exam_extensions(cur)},
        "categories": {"cmi5": CMI5_CATEGORY, "moveon": MOVEON_CATEGORY},
    }
