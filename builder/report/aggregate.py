"""Stage 2 of a report: fold a stream of statements into per-learner facts, interpreted by
the course's vocabulary (builder.vocabulary): which activity is which module, goal or
question. Memory grows with learners x activities, never with the number of statements.

Rules (also printed in every report):
- a statement counts once: a re-sent duplicate (same id) is skipped;
- voided statements are excluded, and so are the voiding statements;
- statements about activities outside this course are skipped and counted;
- a module is started on `initialized`, completed on `completed`; its score and pass/fail
  are the learner's latest `passed`/`failed` about the module;
- a goal's result is the learner's latest `passed`/`failed` about the goal, from the module
  (a goal result with the exam in its context is exam mastery, counted in the exam tables);
- a question's result is the learner's latest `answered` about it;
- time spent is the sum of `terminated` durations;
- a module counts towards a career path when it is completed and passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import msgspec

import builder.report.exam as ex
from builder import identifiers as ids
from builder import vocabulary as v
from builder.model import ParsedCourse
from builder.report.statement import ACTOR, NEVER, UNREAD, VOIDED, Statement, related

RULES = [line[2:] for line in __doc__.split("Rules (also printed in every report):\n")[1].split("\n")
         if line.startswith("- ")]
# ISO 8601 durations as xAPI uses them (Data §4.6). At most 9 digits a part, so no sum of
# them can overflow to infinity; a duration that does not match counts as none.
_N = r"(\d{1,9}(?:\.\d{1,9})?)"
DURATION = re.compile(rf"^P(?:{_N}D)?(?:T(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?$")

# What a vocabulary IRI names (Aggregator.routes), compared by identity in the hot loop.
_MODULE, _GOAL, _QUESTION = "module", "goal", "question"


def nanoseconds(duration: str | None) -> int:
    """A duration in whole nanoseconds (0 when it does not match). Integers, so that sums
    do not depend on the order they are added in: a file read in parts adds the same
    total as one read (float addition is not associative)."""
    match = DURATION.match(duration or "")
    if not match:
        return 0
    total = 0
    for part, unit in zip(match.groups(), _UNITS, strict=True):
        if part:
            whole, _, fraction = part.partition(".")
            total += (int(whole) * 1_000_000_000 + int(fraction.ljust(9, "0"))) * unit
    return total


_UNITS = (86400, 3600, 60, 1)


def seconds(duration: str | None) -> float:
    return nanoseconds(duration) / 1e9


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

    @staticmethod
    def pick(earlier: Latest | None, later: Latest | None) -> Latest | None:
        """The latest of two, `later` being from statements further on in the stream: it
        wins a tie, as a later statement does in `offer`."""
        if earlier is None:
            return later
        if later is None or later.at < earlier.at:
            return earlier
        return later


class ModuleFacts(msgspec.Struct, gc=False):
    started: bool = False
    completed: bool = False
    result: Latest | None = None
    nanos: int = 0  # time spent (see `nanoseconds`)

    @property
    def seconds(self) -> float:
        return self.nanos / 1e9

    def merge(self, later: ModuleFacts) -> None:
        """Fold in the facts of statements that come after these in the stream."""
        self.started = self.started or later.started
        self.completed = self.completed or later.completed
        self.result = Latest.pick(self.result, later.result)
        self.nanos += later.nanos


class LearnerFacts(msgspec.Struct, gc=False):
    """A learner's facts. A Struct (as the facts in it) so that a second reader's facts
    cross to the first as one msgpack message (builder.report.parallel), far cheaper than
    pickling a million small objects. gc=False: it holds dicts of untracked Structs, never
    a cycle."""

    name: str = ""
    last: datetime = NEVER
    nanos: int = 0  # time spent (see `nanoseconds`)
    modules: dict[str, ModuleFacts] = {}
    goals: dict[str, Latest] = {}
    questions: dict[tuple[str, str], Latest] = {}
    exam: ex.ExamFacts | None = None  # builder.report.exam

    @property
    def seconds(self) -> float:
        return self.nanos / 1e9

    def merge(self, later: LearnerFacts) -> None:
        """Fold in the facts of statements that come after these in the stream: the same
        facts as one pass over both (the latest name, instant and results; sums; flags)."""
        if later.name:
            self.name = later.name
        self.last = max(self.last, later.last)
        self.nanos += later.nanos
        for module_id, facts in later.modules.items():
            mine = self.modules.get(module_id)
            if mine is None:
                self.modules[module_id] = facts
            else:
                mine.merge(facts)
        for goal, latest in later.goals.items():
            self.goals[goal] = Latest.pick(self.goals.get(goal), latest) or latest
        for question, latest in later.questions.items():
            self.questions[question] = Latest.pick(self.questions.get(question), latest) or latest
        if later.exam is not None:
            if self.exam is None:
                self.exam = later.exam
            else:
                self.exam.merge(later.exam)

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
        # The exam's own IRIs (builder.report.exam); none when the course has no exam.
        self.exam = ex.exam_vocabulary(course)
        self.exams = ex.exams_prefix(cur.course)
        if self.exam is not None:
            self.routes.update(self.exam.routes())
            self.verbs[ex.EARNED] = "earned"
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

    def merge(self, learners: dict[str, LearnerFacts], counts: Counts, seen: Iterable[str],
              voided: set[str]) -> None:
        """Fold in what another aggregator read from the statements after this one's, when
        no statement id is in both (the caller checks, see builder.report.parallel): the
        facts are then those of one pass over both. A voiding between the two is left to the
        caller too (run.py: a voided id that was seen means a second fold)."""
        self.seen.update(seen)
        self.voided |= voided
        for key, facts in learners.items():
            mine = self.learners.get(key)
            if mine is None:
                self.learners[key] = facts
            else:
                mine.merge(facts)
        for f in fields(Counts):
            setattr(self.counts, f.name, getattr(self.counts, f.name) + getattr(counts, f.name))

    def add(self, s: Statement) -> None:
        self.add_runs(((s,),))

    def add_all(self, statements: Iterable[Statement]) -> None:
        self.add_runs((statements,))

    def add_runs(self, runs: Iterable[Iterable[Statement]]) -> None:
        """Fold statements that come in runs (a file reader's chunks, an LRS's pages): the
        reader hands over a run at once rather than a statement at a time."""
        # The hot path of a report (once per statement): no allocation unless something new
        # is met, and every name the loop uses bound to a local (a local is one array index;
        # an attribute or a global is a dict lookup). One dict lookup (`routes`) tells what
        # a known object IRI is; only an object outside the vocabulary takes the slow path
        # (course membership, cmi5 context). Counts are kept in locals and stored once.
        counts = self.counts
        seen, voided, verbs, learners = self.seen, self.voided, self.verbs, self.learners
        routes, prefix, course_iri = self.routes, self.prefix, self.course_iri
        question_kind, goal_kind, exam_kind, exam = _QUESTION, _GOAL, ex.EXAM_ROUTE, self.exam
        exams = self.exams
        never, utc, voided_verb, new_latest, new_learner = NEVER, UTC, VOIDED, Latest, LearnerFacts
        new_module = ModuleFacts
        seen_add = seen.add
        last_actor = UNREAD  # no statement's actor: the first one differs
        last_context, exam_context = UNREAD, False  # (no context names no exam)
        decode_actor = ACTOR.decode
        learner = new_learner()  # replaced before use: the first statement's actor differs
        read = used = duplicates = voided_count = other_course = not_in_vocabulary = 0
        try:
            # chain: runs flattened in C, with no generator to resume per statement.
            for s in chain.from_iterable(runs):
                read += 1
                sid = s.id
                if sid:
                    if sid in seen:
                        duplicates += 1
                        continue
                    seen_add(sid)
                verb_id = s.verb.id
                if verb_id == voided_verb or sid in voided:
                    voided_count += 1
                    continue
                oid = s.object.id
                route = routes.get(oid)
                if route is None and not (
                        oid.startswith(prefix) or oid == course_iri
                        or any(r.startswith(prefix) or r == course_iri for r in s.related())):
                    other_course += 1
                    continue
                verb = verbs.get(verb_id)
                if verb is None:
                    not_in_vocabulary += 1
                    continue
                # Statements come in runs by one learner (a session, an export sorted by
                # learner): the same actor text as the statement before is the same learner,
                # found without decoding the actor or building its key (one comparison).
                actor = s.actor
                if actor != last_actor:
                    who = decode_actor(actor)
                    account = who.account
                    key = (f"{account.homePage}|{account.name}" if account is not None
                           else who.mbox or who.mbox_sha1sum or who.openid or "")
                    found = learners.get(key)
                    if found is None:
                        found = learners[key] = new_learner()
                    learner = found
                    if who.name:
                        learner.name = who.name
                    last_actor = actor
                # The statement's instant (see Statement.instant), inlined. Comparisons by
                # `>`/`>=` rather than max(): a builtin call costs more than the compare.
                at = s.timestamp or s.stored
                if at is None:
                    at = never
                elif at.tzinfo is None:
                    at = at.replace(tzinfo=utc)
                if at > learner.last:  # noqa: PLR1730 (max() is a call: slower here)
                    learner.last = at
                result = s.result
                kind = route[0] if route is not None else None
                if kind is question_kind:
                    if verb == "answered" and result is not None:
                        question = route[1]  # type: ignore[index]
                        latest = learner.questions.get(question)
                        if latest is None:
                            latest = learner.questions[question] = new_latest()
                        # Latest.offer, inlined: the latest wins, and so does a tie.
                        # Four stores rather than a tuple assignment (a tuple built and
                        # unpacked); `is True` as bool() for a bool or None, without a call.
                        if at >= latest.at:
                            latest.at = at
                            latest.success = result.success is True
                            latest.scaled = None
                            latest.response = result.response
                    used += 1
                    continue
                if kind is goal_kind:
                    # Whether the context names the exam, worked out once for a run of
                    # statements with the same context text (a module's goals in a row).
                    context = s.context
                    if context != last_context:
                        last_context = context
                        exam_context = any(r.startswith(exams) for r in related(context))
                    if exam_context:
                        # Exam mastery of the goal, never the module's: the exam's tables
                        # count it (an exam the course no longer has: not counted at all).
                        if exam is None:
                            not_in_vocabulary += 1
                            continue
                        self._exam(learner, s, verb, at, ex.GOAL, route[1])  # type: ignore[index]
                        used += 1
                        continue
                    if verb in ("passed", "failed"):
                        latest = learner.goals.get(route[1])  # type: ignore[index]
                        if latest is None:
                            latest = learner.goals[route[1]] = new_latest()  # type: ignore[index]
                        if at >= latest.at:
                            score = result.score if result is not None else None
                            latest.at, latest.success, latest.scaled, latest.response = (
                                at, verb == "passed", score.scaled if score is not None else None, None)
                    used += 1
                    continue
                if kind is exam_kind:
                    what, ident = route[1]  # type: ignore[index]
                    self._exam(learner, s, verb, at, what, ident)
                    used += 1
                    continue
                module_id = route[1] if route is not None else self._module_of(s)
                if module_id is None:
                    if exam is not None and route is None and exam.is_exam_statement(s):
                        # cmi5: the exam's own statements are about the LMS's activityId.
                        self._exam(learner, s, verb, at, ex.EXAM, "")
                        used += 1
                        continue
                    not_in_vocabulary += 1
                    continue
                # LearnerFacts.module, inlined (a method call per module statement).
                facts = learner.modules.get(module_id)
                if facts is None:
                    facts = learner.modules[module_id] = new_module()
                if verb in ("initialized", "resumed"):
                    facts.started = True
                elif verb == "completed":
                    facts.started = facts.completed = True
                elif verb in ("passed", "failed"):
                    facts.started = True
                    latest = facts.result
                    if latest is None:
                        latest = facts.result = new_latest()
                    # Latest.offer, inlined, as for questions.
                    if at >= latest.at:
                        score = result.score if result is not None else None
                        latest.at = at
                        latest.success = verb == "passed"
                        latest.scaled = score.scaled if score is not None else None
                        latest.response = None
                elif verb == "terminated":
                    spent = nanoseconds(result.duration if result else None)
                    facts.nanos += spent
                    learner.nanos += spent
                used += 1
        finally:
            # Also when the source stops the read with an error: the counts so far stand.
            counts.statements += read
            counts.used += used
            counts.duplicates += duplicates
            counts.voided += voided_count
            counts.other_course += other_course
            counts.not_in_vocabulary += not_in_vocabulary

    def _exam(self, learner: LearnerFacts, s: Statement, verb: str, at: datetime, what: str,
              ident: str) -> None:
        """An exam statement (builder.report.exam); its session time counts as the learner's."""
        if learner.exam is None:
            learner.exam = ex.ExamFacts()
        if verb == "terminated":
            learner.nanos += nanoseconds(s.result.duration if s.result else None)
        ex.add(self.exam, learner.exam, s, verb, at, what, ident)  # type: ignore[arg-type]
