"""Hand-built exam statements in the shapes of the issue 12 contract (sections 2 and 5) for
the `exam` test course (tests/cases/exam: the minimal course with a certification exam),
for the report and `verify` tests. Every IRI below is spelled out from the contract's text,
not computed by the code under test."""

from __future__ import annotations

from typing import Any

from builder.model import ParsedCourse
from builder.pipeline import load_course
from builder.report.exam import ExamVocabulary, exam_vocabulary
from tests.conftest import CASES
from tests.statements import Writer

EXAM_COURSE, _ = load_course(CASES / "exam")
COURSE_IRI = "https://example.org/xapi/courses/demo"
EXAM_IRI = f"{COURSE_IRI}/exams/exam"
PROFILE = f"{COURSE_IRI}/xapi/profile"
ATTEMPT = f"{PROFILE}/extensions/exam-attempt"
CODE = f"{PROFILE}/extensions/verification-code"
CERTIFICATE_IRI = f"{EXAM_IRI}/certificate"
EVALUATION_IRI = f"{EXAM_IRI}/evaluation"
EARNED = "http://id.tincanapi.com/verb/earned"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
CMI5_ACTIVITY = "https://lms.example.org/launch/au/8812"  # an LMS's own activityId
PASS_MARK = 0.6  # tests/cases/exam/curriculum.yaml
# bank item -> goal, as in tests/cases/exam/exam/*-bank.md
BANK = {"s1": "m1-g1", "s2": "m1-g1", "s3": "m1-g1", "s4": "m1-g2", "s5": "m1-g2", "s6": "m1-g2",
        "c1": "m2-g1", "c2": "m2-g1", "c3": "m2-g1"}


def item_iri(item: str) -> str:
    return f"{EXAM_IRI}/items/{item}"


def vocabulary() -> ExamVocabulary:
    found = exam_vocabulary(EXAM_COURSE)
    assert found is not None
    return found


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def code_for(digits: str) -> str:
    """A code with its check symbol, computed as Crockford defines it (the 60-bit value
    mod 37, as one Python integer: not the verifier's digit-by-digit loop)."""
    value = int("".join(f"{CROCKFORD.index(c):05b}" for c in digits), 2)
    check = (CROCKFORD + "*~$=U")[value % 37]
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}-{check}"


class ExamWriter(Writer):
    """Exam statements for the minimal course, as the exam page sends them."""

    def __init__(self, course: ParsedCourse, seed: int = 3) -> None:
        super().__init__(course, seed)

    def exam_statement(self, learner: str, verb: str, object_id: str, attempt: int | None,
                       result: dict[str, Any] | None = None, parent: str | None = EXAM_IRI) -> dict[str, Any]:
        s = self.statement(learner, verb, object_id, result, parent)
        if attempt is not None:
            s["context"]["extensions"] = {ATTEMPT: attempt}
        return s

    def sitting(self, learner: str, attempt: int, answers: dict[str, bool], cmi5: bool = False,
                scaled: float | None = None) -> list[dict[str, Any]]:
        """One submitted attempt: an `answered` per drawn item, a goal result per goal
        drawn, the exam's passed/failed (in cmi5 about the LMS's activityId, the exam IRI
        in the grouping). The result statement is last."""
        out = [self.exam_statement(learner, "answered", item_iri(item), attempt,
                                   {"success": ok, "response": "a" if ok else "b"})
               for item, ok in answers.items()]
        for item, ok in answers.items():
            out.append(self.exam_statement(learner, "passed" if ok else "failed",
                                           f"{COURSE_IRI}/goals/{BANK[item]}", attempt,
                                           {"success": ok, "score": {"scaled": 1.0 if ok else 0.0}}))
        if scaled is None:
            scaled = round(sum(answers.values()) / len(answers), 4)
        ok = scaled >= PASS_MARK
        result = self.exam_statement(learner, "passed" if ok else "failed",
                                     CMI5_ACTIVITY if cmi5 else EXAM_IRI, attempt,
                                     {"success": ok, "score": {"scaled": scaled}}, parent=None)
        if cmi5:
            result["context"]["contextActivities"]["grouping"].append({"id": EXAM_IRI})
        out.append(result)
        return out

    def earned(self, learner: str, code: str, passed: dict[str, Any], attempt: int = 1,
               scaled: float = 1.0) -> dict[str, Any]:
        s = self.exam_statement(learner, EARNED, CERTIFICATE_IRI, attempt,
                                {"score": {"scaled": scaled}, "extensions": {CODE: code}})
        s["context"]["statement"] = {"objectType": "StatementRef", "id": passed["id"]}
        return s

    def evaluation(self, learner: str, item: str, response: str) -> dict[str, Any]:
        return self.exam_statement(learner, "answered", f"{EVALUATION_IRI}/{item}", None,
                                   {"response": response}, parent=EVALUATION_IRI)

    def void(self, learner: str, target: dict[str, Any]) -> dict[str, Any]:
        s = self.statement(learner, VOIDED, target["id"])
        s["object"] = {"objectType": "StatementRef", "id": target["id"]}
        return s


ANN_CODE = code_for("7K2M9QXA40RT")
BOB_CODE = code_for("A1B2C3D4E5F6")
DAN_CODE = code_for("ZZZZ00001111")
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


def cohort(course: ParsedCourse = EXAM_COURSE) -> list[dict[str, Any]]:
    """ann passes at once (certificate); bob fails, then passes a retake with other items
    (certificate, from a cmi5 launch); cat fails once; dan passes but his pass is voided (his
    certificate then rests on nothing). ann's written evaluation answer starts with "=".
    Item analysis by hand (a sitting's rest score leaves the item out):
      s1: ann right (rest 1), bob wrong (rest 0.5), cat wrong (rest 0.5): difficulty 0.3333,
          point-biserial 1.0
      c1: ann right (rest 1), bob right (rest 0), cat wrong (rest 0.5): 0.6667, 0.0
      s2: bob and dan right: 1.0, no discrimination (no spread)."""
    w = ExamWriter(course)
    out: list[dict[str, Any]] = []
    ann = w.sitting("ann", 1, {"s1": True, "s4": True, "c1": True})
    out += ann
    out.append(w.earned("ann", ANN_CODE, ann[-1]))
    out.append(w.evaluation("ann", "useful", "3"))
    out.append(w.evaluation("ann", "change", FORMULA))
    out += w.sitting("bob", 1, {"s1": False, "s4": False, "c1": True})
    bob = w.sitting("bob", 2, {"s2": True, "s5": True, "c2": True}, cmi5=True)
    out += bob
    out.append(w.earned("bob", BOB_CODE, bob[-1], attempt=2))
    out.append(w.evaluation("bob", "useful", "2"))
    out += w.sitting("cat", 1, {"s1": False, "s4": True, "c1": False})
    out.append(w.evaluation("cat", "useful", "3"))
    out.append(w.evaluation("cat", "change", "Log the fridge twice a day"))
    dan = w.sitting("dan", 1, {"s2": True, "s5": True, "c2": True})
    out += dan
    out.append(w.earned("dan", DAN_CODE, dan[-1]))
    out.append(w.void("dan", dan[-1]))
    return out
