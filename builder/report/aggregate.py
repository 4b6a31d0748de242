"""Stage 2 of a report: fold a stream of statements into per-learner facts, interpreted by
the course's vocabulary (builder.vocabulary): which activity is which module, goal or
question. Memory grows with learners x activities, never with the number of statements.

Rules (also printed in every report):
- a statement counts once: a re-sent duplicate (same id) is skipped;
- voided statements are excluded, and so are the voiding statements;
- statements about activities outside this course are skipped and counted;
- a module is started on `initialized`, completed on `completed`; its score and pass/fail
  are the learner's latest `passed`/`failed` about the module;
- a goal's result is the learner's latest `passed`/`failed` about the goal;
- a question's result is the learner's latest `answered` about it;
- time spent is the sum of `terminated` durations;
- a module counts towards a career path when it is completed and passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from builder import identifiers as ids
from builder import vocabulary as v
from builder.model import ParsedCourse
from builder.report.statement import NEVER, UTC, VOIDED, Statement

RULES = [line[2:] for line in __doc__.split("Rules (also printed in every report):\n")[1].split("\n")
         if line.startswith("- ")]
# ISO 8601 durations as xAPI uses them (Data §4.6). At most 9 digits a part, so no sum of
# them can overflow to infinity; a duration that does not match counts as none.
_N = r"(\d{1,9}(?:\.\d{1,9})?)"
DURATION = re.compile(rf"^P(?:{_N}D)?(?:T(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?$")

# What a vocabulary IRI names (Aggregator.routes), compared by identity in the hot loop.
_MODULE, _GOAL, _QUESTION = "module", "goal", "question"


def seconds(duration: str | None) -> float:
    match = DURATION.match(duration or "")
    if not match:
        return 0.0
    d, h, m, s = (float(x) if x else 0.0 for x in match.groups())
    return d * 86400 + h * 3600 + m * 60 + s


class Latest(msgspec.Struct, gc=False):
    """The latest result of something, by statement timestamp (an instant, so time zones
    compare right). There is one per learner and question, so up to millions: gc=False
    keeps the garbage collector from rescanning them (they hold no containers, so they
    cannot be part of a reference cycle)."""

    at: datetime = NEVER
    success: bool = False
    scaled: float | None = None
    response: str | None = None

    def offer(self, at: datetime, success: bool, scaled: float | None, response: str | None = None) -> None:
        if at >= self.at:
            self.at, self.success, self.scaled, self.response = at, success, scaled, response


class ModuleFacts(msgspec.Struct, gc=False):
    started: bool = False
    completed: bool = False
    result: Latest | None = None
    seconds: float = 0.0


@dataclass(slots=True)
class LearnerFacts:
    name: str = ""
    last: datetime = NEVER
    seconds: float = 0.0
    modules: dict[str, ModuleFacts] = field(default_factory=dict)
    goals: dict[str, Latest] = field(default_factory=dict)
    questions: dict[tuple[str, str], Latest] = field(default_factory=dict)

    def module(self, module_id: str) -> ModuleFacts:
        facts = self.modules.get(module_id)
        if facts is None:
            facts = self.modules[module_id] = ModuleFacts()
        return facts


@dataclass(slots=True)
class Counts:
    statements: int = 0
    used: int = 0
    duplicates: int = 0
    voided: int = 0
    other_course: int = 0
    not_in_vocabulary: int = 0


class Aggregator:
    def __init__(self, course: ParsedCourse, voided: set[str] | None = None) -> None:
        cur = course.curriculum
        self.course = course
        self.modules = {ids.module_iri(cur.course, m.ref.id): m.ref.id for m in course.modules}
        self.goals = {ids.goal_iri(cur.course, g.id): g.id for m in course.modules for g in m.ref.goals}
        self.questions = {ids.question_iri(cur.course, m.ref.id, p.question.id): (m.ref.id, p.question.id)
                          for m in course.modules for p in m.questions}
        self.course_iri = cur.course.id
        self.prefix = cur.course.id.rstrip("/") + "/"
        # What each vocabulary IRI is, in one dict, for the hot loop. Filled modules first,
        # then goals, then questions, so an IRI that were two things resolves in the order
        # the rules test them (question, goal, module). Every one of them is under the
        # course's IRI (builder.identifiers), so a routed object is in the course.
        self.routes: dict[str, tuple[str, Any]] = {
            **{i: (_MODULE, m) for i, m in self.modules.items()},
            **{i: (_GOAL, g) for i, g in self.goals.items()},
            **{i: (_QUESTION, q) for i, q in self.questions.items()}}
        self.verbs = {iri: name for name, iri in v.VERBS.items()}
        # The caller's set itself (not a copy): a file read adds voidings to it as it goes.
        self.voided = voided if voided is not None else set()
        self.seen: set[str] = set()
        self.learners: dict[str, LearnerFacts] = {}
        self.counts = Counts()

    def _module_of(self, s: Statement) -> str | None:
        """The module a statement is about: its object, or (cmi5, where the object is the
        LMS's activityId) the publisher id in its context."""
        found = self.modules.get(s.object.id)
        if found:
            return found
        for iri in s.related():
            found = self.modules.get(iri)
            if found:
                return found
        return None

    def add(self, s: Statement) -> None:
        self.add_all((s,))

    def add_all(self, statements: Iterable[Statement]) -> None:
        # The hot path of a report (once per statement): no allocation unless something new
        # is met. One dict lookup (`routes`) tells what a known object IRI is; only an object
        # outside the vocabulary takes the slow path (course membership, cmi5 context).
        counts = self.counts
        seen, voided, verbs, learners = self.seen, self.voided, self.verbs, self.learners
        routes, prefix, course_iri = self.routes, self.prefix, self.course_iri
        question_kind, goal_kind = _QUESTION, _GOAL
        for s in statements:
            counts.statements += 1
            sid = s.id
            if sid:
                if sid in seen:
                    counts.duplicates += 1
                    continue
                seen.add(sid)
            verb_id = s.verb.id
            if verb_id == VOIDED or sid in voided:
                counts.voided += 1
                continue
            oid = s.object.id
            route = routes.get(oid)
            if route is None and not (
                    oid.startswith(prefix) or oid == course_iri
                    or any(r.startswith(prefix) or r == course_iri for r in s.related())):
                counts.other_course += 1
                continue
            verb = verbs.get(verb_id)
            if verb is None:
                counts.not_in_vocabulary += 1
                continue
            actor = s.actor
            account = actor.account
            key = (f"{account.homePage}|{account.name}" if account is not None
                   else actor.mbox or actor.mbox_sha1sum or actor.openid or "")
            learner = learners.get(key)
            if learner is None:
                learner = learners[key] = LearnerFacts()
            if actor.name:
                learner.name = actor.name
            # The statement's instant (see Statement.instant), inlined: this runs a million times.
            at = s.timestamp or s.stored
            if at is None:
                at = NEVER
            elif at.tzinfo is None:
                at = at.replace(tzinfo=UTC)
            learner.last = max(learner.last, at)
            result = s.result
            kind = route[0] if route is not None else None
            if kind is question_kind:
                if verb == "answered" and result is not None:
                    question = route[1]
                    latest = learner.questions.get(question)
                    if latest is None:
                        latest = learner.questions[question] = Latest()
                    latest.offer(at, bool(result.success), None, result.response)
                counts.used += 1
                continue
            if kind is goal_kind:
                if verb in ("passed", "failed"):
                    scaled = result.score.scaled if result and result.score else None
                    latest = learner.goals.get(route[1])
                    if latest is None:
                        latest = learner.goals[route[1]] = Latest()
                    latest.offer(at, verb == "passed", scaled)
                counts.used += 1
                continue
            module_id = route[1] if route is not None else self._module_of(s)
            if module_id is None:
                counts.not_in_vocabulary += 1
                continue
            facts = learner.module(module_id)
            if verb in ("initialized", "resumed"):
                facts.started = True
            elif verb == "completed":
                facts.started = facts.completed = True
            elif verb in ("passed", "failed"):
                facts.started = True
                scaled = result.score.scaled if result and result.score else None
                if facts.result is None:
                    facts.result = Latest()
                facts.result.offer(at, verb == "passed", scaled)
            elif verb == "terminated":
                spent = seconds(result.duration if result else None)
                facts.seconds += spent
                learner.seconds += spent
            counts.used += 1
