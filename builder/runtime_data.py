"""The data each module page hands its runtime: screens, goals, questions and answer keys,
with the SCORM response patterns precomputed (so they are tested in Python once)."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from builder import identifiers as ids
from builder.model import (
    ChoiceQuestion,
    Curriculum,
    FillInQuestion,
    MatchingQuestion,
    Module,
    MultipleChoiceQuestion,
    NumericQuestion,
    Question,
    SequencingQuestion,
    TrueFalseQuestion,
)


def shuffled(key: str, items: list[str]) -> list[int]:
    """A deterministic display order (indexes) that is not the authored one when avoidable."""
    order = sorted(range(len(items)), key=lambda i: hashlib.sha256(f"{key}\0{items[i]}".encode()).hexdigest())
    if order == list(range(len(items))) and len(items) > 1:
        order = order[1:] + order[:1]
    return order


def _num(value: float) -> str:
    """A decimal without exponent: SCORM's real(10,7) and xAPI patterns take plain digits."""
    text = format(Decimal(repr(value)), "f")
    return text.removesuffix(".0")


def interaction(q: Question) -> dict[str, Any]:
    """Type, answer key and correct-response patterns in SCORM 2004 / xAPI (`[,]`, `[.]`,
    `[:]`, RTE 4th Ed. §4.2.9.1 and xAPI 1.0.3 Data §2.4.4.1) and in SCORM 1.2 (`,` `.`)."""
    if isinstance(q, ChoiceQuestion | MultipleChoiceQuestion):
        options = [{"id": ids.choice_id(i), "text": c.text} for i, c in enumerate(q.choices)]
        key = [ids.choice_id(i) for i, c in enumerate(q.choices) if c.correct]
        return {"interactionType": "choice", "options": options, "key": key,
                "pattern2004": "[,]".join(key), "pattern12": ",".join(key)}
    if isinstance(q, TrueFalseQuestion):
        value = "true" if q.answer else "false"
        return {"interactionType": "true-false", "key": q.answer,
                "pattern2004": value, "pattern12": "t" if q.answer else "f"}
    if isinstance(q, FillInQuestion):
        # One pattern per accepted answer; matching is case-insensitive, as the runtime does.
        return {"interactionType": "fill-in", "key": q.answer,
                "patterns2004": ["{case_matters=false}" + a for a in q.answer],
                "pattern12": q.answer[0]}
    if isinstance(q, NumericQuestion):
        low, high = (q.answer, q.answer) if isinstance(q.answer, float) else q.answer
        return {"interactionType": "numeric", "key": [low, high],
                "pattern2004": f"{_num(low)}[:]{_num(high)}",
                # SCORM 1.2 numeric patterns are a single number: no way to express a range
                "pattern12": _num(low) if low == high else None}
    if isinstance(q, MatchingQuestion):
        sources = [{"id": str(i + 1), "text": s} for i, (s, _) in enumerate(q.pairs)]
        targets = [{"id": ids.choice_id(i), "text": t} for i, (_, t) in enumerate(q.pairs)]
        order = shuffled(q.id, [t["text"] for t in targets])
        key = [[s["id"], targets[i]["id"]] for i, s in enumerate(sources)]
        return {"interactionType": "matching", "sources": sources,
                "targets": [targets[i] for i in order], "key": key,
                "pattern2004": "[,]".join(f"{s}[.]{t}" for s, t in key),
                "pattern12": ",".join(f"{s}.{t}" for s, t in key)}
    if isinstance(q, SequencingQuestion):
        steps = [{"id": ids.choice_id(i), "text": t} for i, t in enumerate(q.order)]
        order = shuffled(q.id, q.order)
        key = [s["id"] for s in steps]
        return {"interactionType": "sequencing", "steps": [steps[i] for i in order], "key": key,
                "pattern2004": "[,]".join(key), "pattern12": ",".join(key)}
    raise TypeError(f"unknown question {q!r}")  # pragma: no cover - the union is closed


def xapi_settings(cur: Curriculum) -> dict[str, Any]:
    """Build-time LRS settings for the page. A credential is included only when the author
    allowed it explicitly (the build warns): launch-time configuration is the safe way."""
    x = cur.xapi
    settings: dict[str, Any] = {"endpoint": x.endpoint, "actor_home_page": x.actor_home_page}
    if x.auth and x.allow_embedded_credentials:
        settings["auth"] = x.auth
    return settings


def module_data(cur: Curriculum, module: Module, vocabulary: dict[str, Any]) -> dict[str, Any]:
    """Everything the page's runtime reads. `vocabulary` is the module's xAPI vocabulary
    (vocabulary.page_vocabulary), passed in because the vocabulary builds on `interaction`.
    Every id the trackers report is made here from identifiers.py: the runtime builds none."""
    ref = module.ref
    return {
        "xapi": {**vocabulary, "settings": xapi_settings(cur)},
        "course": {"id": cur.course.id, "title": cur.course.title, "version": cur.course.version,
                   "language": cur.course.language},
        "module": {"id": ref.id, "iri": ids.module_iri(cur.course, ref.id), "title": module.title,
                   "masteryScore": cur.mastery(ref), "screens": len(module.screens),
                   "objectiveId": ids.primary_objective_id(ref.id)},
        "goals": [{"id": g.id, "iri": ids.goal_iri(cur.course, g.id), "title": g.title}
                  for g in ref.goals],
        "questions": [
            {"id": p.question.id, "goal": p.question.goal, "type": p.question.type,
             "screen": p.screen, "prompt": p.question.prompt,
             "iri": ids.question_iri(cur.course, ref.id, p.question.id),
             "interactionId": ids.interaction_id(ref.id, p.question.id),
             "feedback": (p.question.feedback.model_dump() if p.question.feedback else
                          {"correct": "Correct.", "incorrect": "Not quite."}),
             **interaction(p.question)}
            for p in module.questions
        ],
    }
