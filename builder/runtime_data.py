"""The data each module page hands its runtime: screens, goals, questions and answer keys,
with the SCORM response patterns precomputed (so they are tested in Python once)."""

from __future__ import annotations

from typing import Any

from builder import identifiers as ids
from builder.model import Curriculum, Module, PlacedQuestion
from builder.questions import QuestionModel, interaction
from builder.questions.base import Feedback, shuffled

__all__ = ["course_data", "interaction", "module_data", "question_data", "shuffled", "xapi_settings"]


def xapi_settings(cur: Curriculum) -> dict[str, Any]:
    """Build-time LRS settings for the page. A credential is included only when the author
    allowed it explicitly (the build warns): launch-time configuration is the safe way."""
    x = cur.xapi
    settings: dict[str, Any] = {"endpoint": x.endpoint, "actor_home_page": x.actor_home_page}
    if x.auth and x.allow_embedded_credentials:
        settings["auth"] = x.auth
    return settings


def _feedback(q: QuestionModel) -> dict[str, str]:
    """What the page says after a check; unscored types have no feedback key."""
    feedback: Feedback | None = getattr(q, "feedback", None)
    if feedback is None:
        return {"correct": "Correct.", "incorrect": "Not quite."}
    return feedback.model_dump()


def module_data(cur: Curriculum, module: Module, vocabulary: dict[str, Any]) -> dict[str, Any]:
    """Everything the page's runtime reads. `vocabulary` is the module's xAPI vocabulary
    (vocabulary.page_vocabulary), passed in because the vocabulary builds on `interaction`.
    Every id the trackers report is made here from identifiers.py: the runtime builds none."""
    ref = module.ref
    return {
        "xapi": {**vocabulary, "settings": xapi_settings(cur)},
        "course": course_data(cur),
        "module": {"id": ref.id, "iri": ids.module_iri(cur.course, ref.id), "title": module.title,
                   "masteryScore": cur.mastery(ref), "screens": len(module.screens),
                   "objectiveId": ids.primary_objective_id(ref.id)},
        # objectiveId: the SCORM objective a goal is reported to (the exam reports its own).
        "goals": [{"id": g.id, "iri": ids.goal_iri(cur.course, g.id), "title": g.title,
                   "objectiveId": g.id}
                  for g in ref.goals],
        "questions": [
            question_data(p, ids.question_iri(cur.course, ref.id, p.question.id),
                          ids.interaction_id(ref.id, p.question.id))
            for p in module.questions
        ],
    }


def course_data(cur: Curriculum) -> dict[str, Any]:
    return {"id": cur.course.id, "title": cur.course.title, "version": cur.course.version,
            "language": cur.course.language}


def question_data(p: PlacedQuestion, iri: str, interaction_id: str) -> dict[str, Any]:
    """One question as the page's runtime reads it (module pages and the exam page alike)."""
    return {"id": p.question.id, "goal": p.question.goal, "type": p.question.type,
            "screen": p.screen, "prompt": p.question.prompt, "iri": iri,
            "interactionId": interaction_id, "feedback": _feedback(p.question),
            **interaction(p.question).page_data()}
