"""The xAPI vocabulary every package speaks, generated from the curriculum: activities
(course, modules, goals, questions, career paths), verbs, extensions, and the xAPI profile
document (JSON-LD) that publishes them with a template per statement kind.

Verb and activity-type IRIs are ADL's (standards.md §4.2-4.3); cmi5 IRIs from cmi5 §9."""

from __future__ import annotations

from typing import Any

from builder import identifiers as ids
from builder.model import Curriculum, Module, PlacedQuestion
from builder.questions import interaction

ADL_VERB = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL_VERB + name for name in (
    "initialized", "resumed", "answered", "completed", "passed", "failed", "suspended", "terminated")}

ADL_TYPE = "http://adlnet.gov/expapi/activities/"
TYPE_COURSE = ADL_TYPE + "course"
TYPE_MODULE = ADL_TYPE + "module"
TYPE_GOAL = ADL_TYPE + "objective"
TYPE_QUESTION = ADL_TYPE + "cmi.interaction"

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
