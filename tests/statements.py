"""Hand-built xAPI statements in the shape the packages send (tests and `make bench`)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from builder import identifiers as ids
from builder import vocabulary as v
from builder.model import ParsedCourse

HOME = "https://lms.example.org"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Writer:
    """Makes statements for one course, with ever-increasing timestamps."""

    def __init__(self, course: ParsedCourse, seed: int = 1) -> None:
        self.course = course
        self.cur = course.curriculum
        self.clock = START
        self.rng = random.Random(seed)

    def tick(self, seconds: float = 7) -> str:
        self.clock += timedelta(seconds=seconds)
        return self.clock.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def statement(self, learner: str, verb: str, object_id: str, result: dict[str, Any] | None = None,
                  parent: str | None = None, **extra: Any) -> dict[str, Any]:
        s: dict[str, Any] = {
            "id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "timestamp": self.tick(),
            "actor": {"objectType": "Agent", "name": learner.title(), "account": {"homePage": HOME, "name": learner}},
            "verb": {"id": v.VERBS.get(verb, verb), "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": object_id},
            "context": {"contextActivities": {"grouping": [{"id": self.cur.course.id}],
                                               **({"parent": [{"id": parent}]} if parent else {})}},
        }
        if result is not None:
            s["result"] = result
        s.update(extra)
        return s

    def module_session(self, learner: str, module_id: str, answers: dict[str, bool],
                       finish: bool = True, minutes: float = 30) -> list[dict[str, Any]]:
        """One session: initialized, the given answers (with goal results when a goal's
        questions are all answered), then completed/passed/failed or suspended, terminated."""
        module = next(m for m in self.course.modules if m.ref.id == module_id)
        mastery = self.cur.mastery(module.ref)
        miri = ids.module_iri(self.cur.course, module_id)
        out = [self.statement(learner, "initialized", miri)]
        for placed in module.questions:
            q = placed.question
            if q.id not in answers:
                continue
            out.append(self.statement(learner, "answered", ids.question_iri(self.cur.course, module_id, q.id),
                                      {"success": answers[q.id], "response": "a" if answers[q.id] else "b"}, miri))
            goal_qs = [p.question.id for p in module.questions if p.question.goal == q.goal]
            if goal_qs[-1] == q.id and all(g in answers for g in goal_qs):
                scaled = sum(answers[g] for g in goal_qs) / len(goal_qs)
                out.append(self.statement(learner, "passed" if scaled >= mastery else "failed",
                                          ids.goal_iri(self.cur.course, q.goal),
                                          {"success": scaled >= mastery, "score": {"scaled": round(scaled, 4)}}, miri))
        duration = f"PT{int(minutes)}M"
        if finish:
            total = len(module.questions)
            scaled = sum(answers.get(p.question.id, False) for p in module.questions) / total
            out.append(self.statement(learner, "completed", miri, {"completion": True, "duration": duration}))
            out.append(self.statement(learner, "passed" if scaled >= mastery else "failed", miri,
                                      {"success": scaled >= mastery, "score": {"scaled": round(scaled, 4)},
                                       "duration": duration}))
        else:
            out.append(self.statement(learner, "suspended", miri, {"extensions": {v.EXT_PROGRESS: 50}}))
        out.append(self.statement(learner, "terminated", miri, {"duration": duration}))
        return out


def all_answers(course: ParsedCourse, module_id: str, correct: bool) -> dict[str, bool]:
    module = next(m for m in course.modules if m.ref.id == module_id)
    return {p.question.id: correct for p in module.questions}


def generate_export(course: ParsedCourse, path, learners: int, seed: int = 7) -> int:
    """A JSON-lines export of a cohort through the whole course (for `make bench`): most
    learners answer most questions right, some leave a module and come back, a few retake."""
    writer = Writer(course, seed)
    rng = random.Random(seed)
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for n in range(learners):
            name = f"learner-{n:05d}"
            skill = rng.uniform(0.45, 0.98)
            for module in course.modules:
                answers = {p.question.id: rng.random() < skill for p in module.questions}
                keys = list(answers)
                sessions = []
                if rng.random() < 0.5:  # interrupted, then resumed
                    half = keys[: len(keys) // 2]
                    sessions.append(writer.module_session(name, module.ref.id, {k: answers[k] for k in half}, False, 12))
                sessions.append(writer.module_session(name, module.ref.id, answers))
                if rng.random() < 0.25:  # a retake
                    sessions.append(writer.module_session(name, module.ref.id,
                                                          {k: rng.random() < skill + 0.1 for k in keys}))
                for session in sessions:
                    for statement in session:
                        out.write(json.dumps(statement, separators=(",", ":")) + "\n")
                        count += 1
    return count
