"""`cpom-builder verify CODE`: whether a certificate's verification code is backed by the
statements (issue 12 contract, sections 5 and 6).

A code is 12 Crockford base32 digits of one 60-bit number N and a check symbol, N mod 37 in
Crockford's 37-symbol check alphabet, shown as XXXX-XXXX-XXXX-C (contract, Deviations, B).
The check symbol catches a mistyped or edited code before any statement is read: changing
one digit changes N by d*32^k, and changing two neighbours by (a-b)*31*32^k, neither ever a
multiple of the prime 37.

A code proves a certificate when, among the statements:
- an `earned` statement (not voided) about the exam's certificate activity carries the code;
- the passed statement it refers to (context.statement) is there and not voided;
- that statement is a `passed` result of the exam (object = exam IRI, or, in cmi5, the
  launch activityId with the exam in the context), by the same actor, with success and a
  scaled score at or above the exam's pass mark.
The code alone proves nothing: it is random, so a forged page can show any code, but only a
code sent in an earned statement under the learner's LRS credentials, resting on a passing
result, is accepted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from builder.report.exam import (
    CERTIFICATE,
    EARNED,
    EXAM,
    EXAM_ROUTE,
    ExamVocabulary,
    attempt_of,
    code_of,
    statement_ref,
)
from builder.report.statement import VOIDED, Statement, utc_text
from builder.vocabulary import VERBS

DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK = DIGITS + "*~$=U"
# Crockford's decoding: lower case reads as upper case, I and L as 1, O as 0.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
PASSED, FAILED = VERBS["passed"], VERBS["failed"]


class NotVerified(Exception):
    """The code proves no certificate; the message (one line) says why."""


def check_symbol(digits: str) -> str:
    remainder = 0
    for d in digits:
        remainder = (remainder * 32 + DIGITS.index(d)) % 37
    return CHECK[remainder]


def normalise(code: str) -> str:
    """The code as XXXX-XXXX-XXXX-C, or NotVerified when it is not one (wrong length,
    a character outside the alphabet, a check symbol that does not match)."""
    text = "".join(code.split()).replace("-", "").upper()
    digits, check = text[:-1].translate(_READ_AS), text[-1:]
    if len(digits) != 12 or any(c not in DIGITS for c in digits) or check not in CHECK:
        raise NotVerified(f"{code!r} is not a verification code: a code is 12 letters and digits "
                          "and a check character, as XXXX-XXXX-XXXX-C; copy it from the certificate")
    if check_symbol(digits) != check:
        raise NotVerified(f"{code!r} has a wrong check character: the code was mistyped or "
                          "edited; copy it again from the certificate")
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}-{check}"


@dataclass(frozen=True)
class Proof:
    code: str
    learner: str        # the actor's identifier (account homePage|name, or mbox)
    name: str
    date: datetime      # of the earned statement
    score: float
    attempt: int
    passed_statement: str
    earned_statement: str


class _Collector:
    """What a statement stream holds that bears on one code: earned statements with the
    code, the exam's results by statement id, and voided ids. Memory grows with the exam's
    results, never with the number of statements."""

    def __init__(self, exam: ExamVocabulary, code: str, voided: set[str]) -> None:
        self.exam = exam
        self.code = code
        self.voided = voided
        self.earned: list[Statement] = []
        self.results: dict[str, Statement] = {}
        self.routes = exam.routes()

    def add(self, s: Statement) -> None:
        verb = s.verb.id
        if verb == VOIDED:
            if s.object.objectType == "StatementRef" and s.object.id:
                self.voided.add(s.object.id)
            return
        route = self.routes.get(s.object.id)
        what = route[1][0] if route is not None and route[0] is EXAM_ROUTE else None
        if verb == EARNED and what == CERTIFICATE:
            if _same_code(code_of(s, self.exam.iris.code_extension), self.code):
                self.earned.append(s)
        elif verb in (PASSED, FAILED) and s.id and (
                what == EXAM or (route is None and self.exam.is_exam_statement(s))):
            self.results.setdefault(s.id, s)


def _same_code(sent: str, code: str) -> bool:
    try:
        return normalise(sent) == code
    except NotVerified:
        return False


def _problem(exam: ExamVocabulary, earned: Statement, results: dict[str, Statement],
             voided: set[str]) -> str:
    ref = statement_ref(earned)
    if not ref:
        return "its earned statement refers to no passed statement (context.statement)"
    if ref in voided:
        return f"the passed statement it rests on ({ref}) was voided"
    passed = results.get(ref)
    if passed is None:
        return (f"the passed statement it rests on ({ref}) is not among the statements "
                "(missing, or voided: an LRS leaves voided statements out)")
    if passed.who().key() != earned.who().key():
        return f"the passed statement it rests on ({ref}) is another learner's"
    scaled = passed.result.score.scaled if passed.result and passed.result.score else None
    if passed.verb.id != PASSED or not (passed.result and passed.result.success):
        return f"the statement it rests on ({ref}) is a failed exam, not a pass"
    if scaled is None or scaled < exam.pass_mark:
        shown = "no score" if scaled is None else f"a score of {scaled:g}"
        return (f"the passed statement it rests on ({ref}) has {shown}, below the pass mark "
                f"{exam.pass_mark:g}")
    return ""


def verify(code: str, statements: Iterable[Statement], exam: ExamVocabulary,
           voided: set[str] | None = None) -> Proof:
    """The certificate a code proves, or NotVerified. `voided` may be filled by the source
    as it reads (an export's voidings); voidings in the stream are added to it."""
    wanted = normalise(code)
    collected = _Collector(exam, wanted, voided if voided is not None else set())
    for s in statements:
        collected.add(s)
    earned = [s for s in collected.earned if not (s.id and s.id in collected.voided)]
    if not earned:
        if collected.earned:
            raise NotVerified(f"certificate {wanted} was withdrawn: its earned statement was voided")
        raise NotVerified(f"no certificate with the code {wanted}: no earned statement carries it "
                          "(check the code, and that these are the course's statements)")
    problems = []
    for s in earned:
        problem = _problem(exam, s, collected.results, collected.voided)
        if not problem:
            passed = collected.results[statement_ref(s)]
            score = passed.result.score.scaled if passed.result and passed.result.score else None
            return Proof(code=wanted, learner=s.who().key(),
                         name=s.who().name or passed.who().name or "", date=s.instant(),
                         score=score or 0.0, attempt=attempt_of(passed, exam.iris.attempt_extension),
                         passed_statement=passed.id, earned_statement=s.id)
        problems.append(problem)
    raise NotVerified(f"certificate {wanted} is not backed by a pass: {problems[0]}")


def describe(proof: Proof, exam: ExamVocabulary, course_title: str) -> list[str]:
    """The certificate a code proves, as lines for a person checking it."""
    course = course_title + (f" (certifies: {', '.join(exam.certifies)})" if exam.certifies else "")
    return [
        f"valid: certificate {proof.code}",
        f"learner: {proof.name or '(no name given)'} ({proof.learner})",
        f"course: {course}",
        f"exam: {exam.title or exam.id}",
        f"date: {utc_text(proof.date)}",
        f"score: {proof.score:.0%} (pass mark {exam.pass_mark:.0%})"
        + (f", attempt {proof.attempt}" if proof.attempt else ""),
        f"evidence: passed statement {proof.passed_statement}, earned statement {proof.earned_statement}",
    ]
