"""The data the exam page hands its runtime (EXAM-CONTRACT §4): a module page's keys, so the
trackers work unchanged, plus `kind` and `exam` (the draw, attempts, time limit, what the
certificate says, and the evaluation)."""

from __future__ import annotations

from typing import Any

from builder import identifiers as ids
from builder.duration import declared_minutes
from builder.model import Curriculum, ParsedExam
from builder.runtime_data import course_data, question_data, xapi_settings
from builder.vocabulary import exam_vocabulary


def contact_hours(exam: ParsedExam) -> float:
    """The covered modules' declared durations in hours: the build warns when a duration is
    far from its estimate (builder/duration.py), so the hours a certificate states are honest."""
    return round(sum(declared_minutes(m.duration) for m in exam.covers) / 60, 2)


def time_limit_ms(exam: ParsedExam) -> int | None:
    limit = exam.settings.time_limit
    return None if limit is None else round(declared_minutes(limit) * 60_000)


def exam_data(cur: Curriculum, exam: ParsedExam) -> dict[str, Any]:
    course = cur.course
    paths = {p.id: p for p in cur.paths}
    return {
        "kind": "exam",
        "xapi": {**exam_vocabulary(cur, exam), "settings": xapi_settings(cur)},
        "course": course_data(cur),
        "module": {"id": exam.id, "iri": ids.exam_iri(course, exam.id),
                   "title": exam.settings.title, "masteryScore": exam.pass_mark, "screens": 0,
                   "objectiveId": ids.primary_objective_id(exam.id)},
        "goals": [{"id": g.id, "iri": ids.goal_iri(course, g.id), "title": g.title,
                   "objectiveId": ids.exam_goal_objective_id(exam.id, g.id)}
                  for g in exam.goals],
        "questions": [
            question_data(i.placed, ids.exam_item_iri(course, exam.id, i.id),
                          ids.interaction_id(exam.id, i.id))
            for i in exam.items
        ],
        "exam": {
            "attempts": exam.settings.attempts,
            "timeLimitMs": time_limit_ms(exam),
            "passMark": exam.pass_mark,
            "draw": [{"group": g.group, "count": g.count, "items": list(g.items)} for g in exam.draw],
            "covers": [{"id": m.id, "title": m.title} for m in exam.covers],
            "certifies": [{"id": p, "title": paths[p].title} for p in exam.settings.certifies
                          if p in paths],
            "contactHours": contact_hours(exam),
            "certificateIri": ids.certificate_iri(course, exam.id),
            "evaluationIri": ids.evaluation_iri(course, exam.id),
            "evaluation": [
                {**question_data(i.placed, ids.evaluation_item_iri(course, exam.id, i.id),
                                 ids.evaluation_interaction_id(exam.id, i.id)), "goal": None}
                for i in exam.evaluation
            ],
        },
    }
