"""The certification exam of the real built course through the xAPI launch paths: cmi5 under
the strict test LMS (it refuses what CATAPULT refuses) and Tin Can against the real LRS.
The statements are the contract's (issue 12): one `answered` per drawn item and one result
per goal with the exam as parent, the exam's passed/failed, an `earned` statement whose code
is the one on the certificate and whose StatementRef is the exam's `passed`; every one
carries the attempt number."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e.exam_support import (
    ATTEMPT,
    BANK,
    CERTIFICATE_IRI,
    CODE,
    EARNED,
    EVALUATION,
    EXAM_ID,
    EXAM_IRI,
    ExamTaker,
    check_char_ok,
)
from tests.e2e.strict_support import refusals, wait_for_verb
from tests.e2e.test_xapi_statements import check_well_formed
from tests.e2e.xapi_support import new_learner, stored, verbs, wait_delivered
from tests.lrs.lms import cmi5_launch

DELIVERY = 10.0
EVALUATION_IRI = f"{EXAM_IRI}/evaluation"


def launch_cmi5_exam(page, base_url: str, lms_state, who: dict[str, Any], correct: bool = True,
                     registration: str | None = None) -> tuple[ExamTaker, dict[str, Any]]:
    url, facts = cmi5_launch(lms_state, base_url, "cpom-cmi5", f"{EXAM_ID}/index.html", EXAM_IRI, who,
                             registration=registration)
    taker = ExamTaker(page, EXAM_ID, correct=correct)
    taker.open(url)
    return taker, facts


def launch_tincan_exam(page, base_url: str, who: dict[str, Any], registration: str, correct: bool = True) -> ExamTaker:
    from tests.e2e.xapi_support import launch_tincan

    learner = launch_tincan(page, base_url, EXAM_ID, who, registration, correct=correct)
    taker = ExamTaker(page, EXAM_ID, correct=correct)
    taker.frame_name = learner.frame_name
    return taker


def parent_ids(s: dict[str, Any]) -> list[str]:
    return [a["id"] for a in (s.get("context") or {}).get("contextActivities", {}).get("parent", [])]


def verb(s: dict[str, Any]) -> str:
    return str(s["verb"]["id"].rsplit("/", 1)[-1])


def check_attempt(statements: list[dict[str, Any]], drawn: list[str], attempt: int, passed: bool,
                  exam_object: str) -> dict[str, Any] | None:
    """The statements of one attempt; returns its exam `passed` statement, if any."""
    mine = [s for s in statements if s["context"].get("extensions", {}).get(ATTEMPT) == attempt]
    answered = [s for s in mine if verb(s) == "answered" and parent_ids(s) == [EXAM_IRI]]
    assert [s["object"]["id"] for s in answered] == [f"{EXAM_IRI}/items/{q}" for q in drawn]
    assert all(s["result"]["success"] is passed for s in answered)
    goals = [s for s in mine if verb(s) in ("passed", "failed") and EXAM_IRI in parent_ids(s)]
    assert len(goals) == len({BANK[q]["goal"] for q in drawn})
    assert {verb(s) for s in goals} == {"passed" if passed else "failed"}
    exam = [s for s in mine if verb(s) in ("passed", "failed") and s["object"]["id"] == exam_object]
    assert [verb(s) for s in exam] == ["passed" if passed else "failed"]
    assert exam[0]["result"]["score"]["scaled"] == (1.0 if passed else 0.0)
    earned = [s for s in mine if s["verb"]["id"] == EARNED]
    if not passed:
        assert earned == []
        return None
    assert len(earned) == 1
    e = earned[0]
    assert e["object"]["id"] == CERTIFICATE_IRI
    assert e["context"]["statement"] == {"objectType": "StatementRef", "id": exam[0]["id"]}
    assert EXAM_IRI in parent_ids(e)
    assert check_char_ok(e["result"]["extensions"][CODE])
    return e


def test_cmi5_fail_then_retake_on_a_new_launch_passes_without_refusals(page, browser, base_url, lms_state, lrs) -> None:
    who = new_learner()
    taker, first = launch_cmi5_exam(page, base_url, lms_state, who, correct=False)
    drawn1 = taker.start()
    taker.answer_items()
    taker.submit()
    assert not taker.certificate_shown()
    taker.sco.get_by_role("button", name="Finish").click()
    assert "terminated" in wait_for_verb(lrs, who, first["session"], "terminated", DELIVERY)

    second_page = browser.new_context().new_page()
    again, facts = launch_cmi5_exam(second_page, base_url, lms_state, who, registration=first["registration"])
    drawn2 = again.start()
    assert set(drawn2) != set(drawn1)
    again.answer_items()
    again.submit()
    assert again.certificate_shown()
    code = again.certificate()["code"]
    assert again.certificate()["name"] == who["name"]
    wait_delivered(second_page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    check_attempt(statements, drawn1, 1, passed=False, exam_object=first["activityId"])
    earned = check_attempt(statements, drawn2, 2, passed=True, exam_object=facts["activityId"])
    assert earned is not None and earned["result"]["extensions"][CODE] == code
    assert refusals(lms_state, first["registration"]) == []
    second_page.context.close()


def test_tincan_exam_resumes_with_the_same_draw_then_passes(page, browser, base_url, lrs) -> None:
    who = new_learner()
    registration = str(uuid.uuid4())
    taker = launch_tincan_exam(page, base_url, who, registration)
    drawn = taker.start()
    taker.answer_items(len(drawn) // 2)
    at = taker.current_item()
    taker.sco.wait_for_function("() => { const b = CPOM.runtime.tracker.bookmark; return !b.busy && !b.pending; }")
    page.goto("about:blank")

    second_page = browser.new_context().new_page()
    again = launch_tincan_exam(second_page, base_url, who, registration)
    assert again.drawn() == drawn
    assert again.current_item() == at
    again.answer_items()
    again.submit()
    assert again.certificate_shown()
    assert again.certificate()["name"] == who["name"]
    if EVALUATION:
        again.answer_evaluation()
    wait_delivered(second_page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    check_attempt(statements, drawn, 1, passed=True, exam_object=EXAM_IRI)
    assert "resumed" in verbs(statements)
    evaluation = [s for s in statements if parent_ids(s) == [EVALUATION_IRI]]
    assert [s["object"]["id"] for s in evaluation] == [f"{EVALUATION_IRI}/{q['id']}" for q in EVALUATION]
    assert all(verb(s) == "answered" and "success" not in s["result"] and s["result"]["response"]
               for s in evaluation)
    second_page.context.close()
