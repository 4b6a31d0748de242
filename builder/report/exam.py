"""The certification exam in a report: what its statements are about (the exam's vocabulary)
and the per-learner facts they leave (attempts, item answers, exam goal results,
certificates, evaluation answers).

Which statement is about the exam (issue 12 contract, sections 2 and 5):
- the exam itself: object = the exam IRI (in cmi5 the LMS's launch activityId, with the
  exam IRI in contextActivities.grouping);
- a bank item's `answered`: object = the item IRI;
- an exam goal's `passed`/`failed`: object = the goal IRI, with the exam IRI in the context
  (as parent). The same goal IRI is a module's goal too: these statements are exam mastery
  and never count as module mastery;
- `earned`: object = the certificate activity, the verification code in result.extensions,
  context.statement = the passed statement it rests on;
- an evaluation item's `answered`: object = the evaluation item IRI.
The attempt is context.extensions[exam-attempt]; a statement without a positive integer
there goes into attempt 0 ("unnumbered").

Only exam statements are looked at here, so the per-statement cost of a report without an
exam is one dict lookup (builder.report.aggregate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import msgspec

from builder import identifiers as ids
from builder.model import Course, ParsedCourse
from builder.questions import QuestionModel
from builder.report.statement import NEVER, Statement
from builder.vocabulary import VERB_EARNED

EARNED = VERB_EARNED
# What an exam route names (the second element of Aggregator.routes' value).
EXAM_ROUTE = "exam"
EXAM, ITEM, GOAL, CERTIFICATE, EVALUATION = "exam", "item", "goal", "certificate", "evaluation"
MAX_ATTEMPT = 1_000_000


# --- identifiers (contract section 2, builder.identifiers) ------------------------------


@dataclass(frozen=True)
class ExamIris:
    course: Course
    exam_id: str

    @cached_property
    def exam(self) -> str:
        return ids.exam_iri(self.course, self.exam_id)

    @cached_property
    def certificate(self) -> str:
        return ids.certificate_iri(self.course, self.exam_id)

    @cached_property
    def evaluation(self) -> str:
        return ids.evaluation_iri(self.course, self.exam_id)

    @cached_property
    def attempt_extension(self) -> str:
        return ids.extension_iri(self.course, ids.EXT_EXAM_ATTEMPT)

    @cached_property
    def code_extension(self) -> str:
        return ids.extension_iri(self.course, ids.EXT_VERIFICATION_CODE)

    def item(self, item_id: str) -> str:
        return ids.exam_item_iri(self.course, self.exam_id, item_id)

    def evaluation_item(self, item_id: str) -> str:
        return ids.evaluation_item_iri(self.course, self.exam_id, item_id)


def exams_prefix(course: Course) -> str:
    """What every exam IRI of the course starts with (whatever the exam's id)."""
    return ids.exam_iri(course, "")


# --- the exam's vocabulary ------------------------------------------------------------


@dataclass(frozen=True)
class ExamItem:
    id: str
    goal: str
    question: QuestionModel


@dataclass(frozen=True)
class EvaluationItem:
    id: str
    type: str
    prompt: str
    scale: tuple[str, ...] = ()  # likert labels, lowest first (responses are "1".."n")


@dataclass(frozen=True)
class ExamGoal:
    id: str
    title: str
    module: str


@dataclass(frozen=True)
class ExamVocabulary:
    """What the report needs to know of the course's exam."""

    id: str
    title: str
    pass_mark: float
    iris: ExamIris
    goals: tuple[ExamGoal, ...]
    items: tuple[ExamItem, ...]
    evaluation: tuple[EvaluationItem, ...] = ()
    certifies: tuple[str, ...] = ()  # titles of the career paths the certificate names

    def routes(self) -> dict[str, tuple[str, tuple[str, str]]]:
        """The exam's IRIs for the aggregator's routing dict. Goal IRIs are not here: they
        are the modules' goal IRIs too (see `is_exam_statement`)."""
        found: dict[str, tuple[str, tuple[str, str]]] = {
            self.iris.exam: (EXAM_ROUTE, (EXAM, "")),
            self.iris.certificate: (EXAM_ROUTE, (CERTIFICATE, "")),
        }
        for item in self.items:
            found[self.iris.item(item.id)] = (EXAM_ROUTE, (ITEM, item.id))
        for e in self.evaluation:
            found[self.iris.evaluation_item(e.id)] = (EXAM_ROUTE, (EVALUATION, e.id))
        return found

    def is_exam_statement(self, s: Statement) -> bool:
        """Whether a statement names the exam in its context (parent, grouping or other)."""
        return self.iris.exam in s.related()


def _evaluation_item(question: QuestionModel) -> EvaluationItem:
    scale = tuple(str(label) for label in getattr(question, "scale", ()) or ())
    return EvaluationItem(id=question.id, type=question.type, prompt=question.prompt, scale=scale)


def exam_vocabulary(course: ParsedCourse) -> ExamVocabulary | None:
    """The course's exam (builder.model.ParsedExam) as the report reads it, or None."""
    exam = course.exam
    if exam is None:
        return None
    cur = course.curriculum
    owner = {g.id: m.id for m in exam.covers for g in m.goals}
    paths = {p.id: p.title for p in cur.paths}
    return ExamVocabulary(
        id=exam.id, title=exam.settings.title, pass_mark=exam.pass_mark,
        iris=ExamIris(cur.course, exam.id),
        goals=tuple(ExamGoal(g.id, g.title, owner[g.id]) for g in exam.goals),
        items=tuple(ExamItem(b.id, b.placed.question.goal, b.placed.question) for b in exam.items),
        evaluation=tuple(_evaluation_item(b.placed.question) for b in exam.evaluation),
        certifies=tuple(paths.get(p, p) for p in exam.settings.certifies))


# --- facts ------------------------------------------------------------------------------


class Answer(msgspec.Struct, gc=False):
    """The latest of something within an attempt (by instant; a later statement wins a tie,
    as in builder.report.aggregate.Latest)."""

    at: datetime = NEVER
    success: bool = False
    scaled: float | None = None
    response: str | None = None
    statement: str = ""  # the statement's id (an exam result's, for certificates)

    def offer(self, at: datetime, success: bool, scaled: float | None, response: str | None,
              statement: str) -> None:
        if at >= self.at:
            self.at, self.success, self.scaled, self.response, self.statement = (
                at, success, scaled, response, statement)

    @staticmethod
    def pick(earlier: Answer | None, later: Answer) -> Answer:
        return later if earlier is None or later.at >= earlier.at else earlier


def _pick_all(mine: dict[Any, Answer], later: dict[Any, Answer]) -> None:
    for key, answer in later.items():
        mine[key] = Answer.pick(mine.get(key), answer)


class Attempt(msgspec.Struct, gc=False):
    result: Answer | None = None          # the exam's passed/failed
    items: dict[str, Answer] = {}         # bank item -> answered
    goals: dict[str, Answer] = {}         # goal -> passed/failed (exam mastery)

    def merge(self, later: Attempt) -> None:
        if later.result is not None:
            self.result = Answer.pick(self.result, later.result)
        _pick_all(self.items, later.items)
        _pick_all(self.goals, later.goals)


class Certificate(msgspec.Struct, gc=False):
    code: str
    at: datetime
    scaled: float | None
    attempt: int
    passed_statement: str   # context.statement's id
    statement: str          # the earned statement's own id


class ExamFacts(msgspec.Struct, gc=False):
    """A learner's exam facts (on builder.report.aggregate.LearnerFacts.exam)."""

    attempts: dict[int, Attempt] = {}
    certificates: list[Certificate] = []
    evaluation: dict[str, Answer] = {}

    def merge(self, later: ExamFacts) -> None:
        """Fold in the facts of statements further on in the stream."""
        for number, attempt in later.attempts.items():
            mine = self.attempts.get(number)
            if mine is None:
                self.attempts[number] = attempt
            else:
                mine.merge(attempt)
        self.certificates += later.certificates
        _pick_all(self.evaluation, later.evaluation)

    def attempt(self, number: int) -> Attempt:
        found = self.attempts.get(number)
        if found is None:
            found = self.attempts[number] = Attempt()
        return found


# --- reading exam statements ------------------------------------------------------------

_EXTENSIONS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_INT = msgspec.json.Decoder(int)
_TEXT = msgspec.json.Decoder(str)


class _StatementRef(msgspec.Struct):
    id: str = ""
    objectType: str = ""


_REF = msgspec.json.Decoder(_StatementRef)
_FAILURES = (msgspec.DecodeError, RecursionError, ValueError)


def extension(raw: msgspec.Raw, key: str) -> msgspec.Raw | None:
    """One extension's raw value from a raw `extensions` object (None when absent or when
    the object does not read)."""
    if not raw:
        return None
    try:
        return _EXTENSIONS.decode(raw).get(key)
    except _FAILURES:
        return None


def attempt_of(s: Statement, key: str) -> int:
    """The exam-attempt extension: a positive integer, else 0 (unnumbered)."""
    ctx = s.ctx()
    raw = extension(ctx.extensions, key) if ctx is not None else None
    if raw is None:
        return 0
    try:
        value = _INT.decode(raw)
    except _FAILURES:
        return 0
    return value if 0 < value <= MAX_ATTEMPT else 0


def code_of(s: Statement, key: str) -> str:
    """The verification-code extension of an earned statement ("" when there is none)."""
    raw = extension(s.result.extensions, key) if s.result is not None else None
    if raw is None:
        return ""
    try:
        return _TEXT.decode(raw)
    except _FAILURES:
        return ""


def statement_ref(s: Statement) -> str:
    """The id of context.statement when it is a StatementRef ("" otherwise)."""
    ctx = s.ctx()
    raw = ctx.statement if ctx is not None else None
    if not raw:
        return ""
    try:
        ref = _REF.decode(raw)
    except _FAILURES:
        return ""
    return ref.id if ref.objectType == "StatementRef" else ""


def _scaled(s: Statement) -> float | None:
    score = s.result.score if s.result is not None else None
    return score.scaled if score is not None else None


def add(exam: ExamVocabulary, facts: ExamFacts, s: Statement, verb: str, at: datetime,
        what: str, ident: str) -> None:
    """Fold one exam statement into a learner's exam facts. `what` and `ident` come from the
    route (EXAM for the exam itself, also a cmi5 launch activityId; GOAL with a goal id)."""
    result = s.result
    if what == ITEM:
        if verb == "answered" and result is not None:
            facts.attempt(attempt_of(s, exam.iris.attempt_extension)).items.setdefault(
                ident, Answer()).offer(at, bool(result.success), None, result.response, s.id)
    elif what in (EXAM, GOAL):
        if verb in ("passed", "failed"):
            attempt = facts.attempt(attempt_of(s, exam.iris.attempt_extension))
            answer = attempt.goals.setdefault(ident, Answer()) if what == GOAL else (
                attempt.result if attempt.result is not None else Answer())
            if what == EXAM:
                attempt.result = answer
            answer.offer(at, verb == "passed", _scaled(s), None, s.id)
    elif what == CERTIFICATE:
        if verb == "earned":
            facts.certificates.append(Certificate(
                code=code_of(s, exam.iris.code_extension), at=at, scaled=_scaled(s),
                attempt=attempt_of(s, exam.iris.attempt_extension),
                passed_statement=statement_ref(s), statement=s.id))
    elif what == EVALUATION and verb == "answered" and result is not None:
        facts.evaluation.setdefault(ident, Answer()).offer(at, False, None, result.response, s.id)
