"""The certification exam of the real built course through the xAPI launch paths: cmi5 under
the strict test LMS (it refuses what CATAPULT refuses) and Tin Can against the real LRS.
The statements are the contract's (issue 12): one `answered` per drawn item and one result
per goal with the exam as parent, the exam's passed/failed, an `earned` statement whose code
is the one on the certificate and whose StatementRef is the exam's `passed`; every one
carries the attempt number."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest

from builder.cli import main
from tests.conftest import CONTENT
from tests.e2e.exam_support import (
    ATTEMPT,
    BANK,
    CERTIFICATE_IRI,
    CODE,
    EARNED,
    EVALUATION,
    EXAM,
    EXAM_ID,
    EXAM_IRI,
    ExamTaker,
    check_char_ok,
    iso_ms,
)
from tests.e2e.strict_support import refusals, wait_until
from tests.e2e.test_xapi_statements import check_well_formed
from tests.e2e.xapi_support import new_learner, stored, verbs, wait_delivered
from tests.lrs.lms import cmi5_launch

DELIVERY = 10.0
EVALUATION_IRI = f"{EXAM_IRI}/evaluation"


def launch_cmi5_exam(page, base_url: str, lms_state, who: dict[str, Any], correct: bool = True,
                     registration: str | None = None, mode: str = "Normal") -> tuple[ExamTaker, dict[str, Any]]:
    url, facts = cmi5_launch(lms_state, base_url, "cpom-cmi5", f"{EXAM_ID}/index.html", EXAM_IRI, who,
                             registration=registration, mode=mode)
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


def settled(taker: ExamTaker) -> None:
    """Until the exam's State saves are answered (the learner reads before leaving)."""
    taker.sco.wait_for_function("() => { const b = CPOM.runtime.tracker.bookmark; return !b.busy && !b.pending; }",
                                timeout=DELIVERY * 1000)


@pytest.mark.parametrize("path", ["cmi5", "tincan"])
def test_interrupted_failed_attempt_then_a_retake_that_passes(path, page, browser, base_url, lms_state, lrs,
                                                              capsys) -> None:
    """Attempt 1 is interrupted half-way and resumed on a new launch with the same draw and
    answers, then submitted and failed (no certificate); a third launch retakes the exam with
    other items and passes: certificate with the actor's name, evaluation, and the contract's
    statements for both attempts, none refused by the strict cmi5 LMS."""
    who = new_learner()
    registration = str(uuid.uuid4())
    contexts: list[Any] = []

    def launch(correct: bool, first: bool = False) -> tuple[ExamTaker, str]:
        p = page if first else browser.new_context().new_page()
        if not first:
            contexts.append(p.context)
        if path == "cmi5":
            taker, facts = launch_cmi5_exam(p, base_url, lms_state, who, correct=correct, registration=registration)
            return taker, facts["activityId"]
        return launch_tincan_exam(p, base_url, who, registration, correct=correct), EXAM_IRI

    taker, exam_object = launch(correct=False, first=True)
    drawn1 = taker.start()
    taker.answer_items(len(drawn1) // 2)
    at = taker.current_item()
    settled(taker)
    taker.page.goto("about:blank")  # the window closes half-way
    wait_for_verb_any(lrs, who, "terminated", count=1)  # before the LMS starts a new session

    taker, _ = launch(correct=False)
    assert taker.drawn() == drawn1
    assert taker.current_item() == at
    taker.answer_items()
    taker.submit()
    assert not taker.certificate_shown()
    assert "attempt" in taker.sco.locator("[data-exam-retake]").inner_text()
    settled(taker)
    taker.sco.get_by_role("button", name="Finish").click()
    wait_for_verb_any(lrs, who, "terminated", count=2)

    taker, _ = launch(correct=True)
    drawn2 = taker.start()
    assert set(drawn2) != set(drawn1), "the retake drew the same items"
    taker.answer_items()
    taker.submit()
    assert taker.certificate_shown()
    cert = taker.certificate()
    assert cert["name"] == who["name"]
    if EVALUATION:
        taker.answer_evaluation()
    wait_delivered(taker.page)

    statements = stored(lrs, who)
    check_well_formed(statements)
    assert "resumed" in verbs(statements)
    check_attempt(statements, drawn1, 1, passed=False, exam_object=exam_object)
    earned = check_attempt(statements, drawn2, 2, passed=True, exam_object=exam_object)
    assert earned is not None and earned["result"]["extensions"][CODE] == cert["code"]
    evaluation = [s for s in statements if parent_ids(s) == [EVALUATION_IRI]]
    assert [s["object"]["id"] for s in evaluation] == [f"{EVALUATION_IRI}/{q['id']}" for q in EVALUATION]
    assert all(verb(s) == "answered" and "success" not in s["result"] and s["result"]["response"]
               for s in evaluation)
    if path == "cmi5":
        assert refusals(lms_state, registration) == []
    # `verify` reads these very statements from the LRS: the certificate's code proves the
    # pass and names the learner; the same code with one character changed proves nothing.
    source = ["--content", str(CONTENT), "--endpoint", lrs.endpoint,
              "--username", "cpom-test", "--password", "cpom-test-secret"]
    capsys.readouterr()
    assert main(["verify", cert["code"], *source]) == 0
    assert who["name"] in capsys.readouterr().out
    first = cert["code"][0]
    edited = ("B" if first != "B" else "C") + cert["code"][1:]
    assert main(["verify", edited, *source]) == 1
    for context in contexts:
        context.close()


def wait_for_verb_any(lrs, who: dict[str, Any], name: str, count: int) -> None:
    """Until the LRS holds `count` statements with that verb for the learner."""
    assert wait_until(lambda: verbs(stored(lrs, who)).count(name) >= count, DELIVERY)


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_a_browse_or_review_launch_cannot_take_the_exam(mode, page, base_url, lms_state, lrs) -> None:
    """Browse and Review launches record nothing (cmi5 §10.2.2), so they offer no attempt:
    a certificate must rest on recorded statements."""
    taker, _ = launch_cmi5_exam(page, base_url, lms_state, new_learner(), mode=mode)
    assert taker.sco.locator("#screen-intro").is_visible()
    assert taker.sco.locator("[data-action=start-exam]").is_hidden()
    assert "cannot be taken" in taker.sco.locator("[data-exam-attempts]").inner_text()


def stored_elapsed(lms_state, who: dict[str, Any], registration: str) -> int | None:
    """The exam time the learner's bookmark holds (ms), None without one (the Tin Can launch's
    endpoint is the test LMS, which keeps the State documents)."""
    key = lms_state.state_key({"activityId": EXAM_IRI, "agent": json.dumps(who),
                               "registration": registration, "stateId": "cpom-bookmark"})
    with lms_state.lock:
        body = lms_state.documents.get(key)
    if body is None:
        return None
    return int(json.loads(json.loads(body)["suspendData"])["cur"]["t"])


def test_closing_the_window_keeps_the_time_spent_on_the_last_screen(page, browser, base_url, lrs, lms_state) -> None:
    """The exam's clock runs while it is open, also when nothing is answered: a learner who
    spends ten minutes on one question and closes the window has used those ten minutes
    (else closing and reopening the exam would give the time back)."""
    if not EXAM.get("time_limit"):
        pytest.skip("the course's exam has no time limit")
    who = new_learner()
    registration = str(uuid.uuid4())
    page.clock.install()
    taker = launch_tincan_exam(page, base_url, who, registration)
    taker.start()
    settled(taker)
    page.clock.fast_forward(10 * 60_000)  # thinking on the first question, no answer given
    taker.page.goto("about:blank")  # the window closes
    wait_for_verb_any(lrs, who, "terminated", count=1)
    assert wait_until(lambda: (stored_elapsed(lms_state, who, registration) or 0) >= 10 * 60_000, DELIVERY), \
        stored_elapsed(lms_state, who, registration)

    again_page = browser.new_context().new_page()
    again = launch_tincan_exam(again_page, base_url, who, registration)
    timer = again.sco.locator("[data-exam-timer]")
    timer.wait_for()
    hours, minutes, seconds = (int(x or 0) for x in
                               re.search(r"(?:(\d+):)?(\d+):(\d\d)$", timer.inner_text()).groups())
    left = ((hours * 60 + minutes) * 60 + seconds) * 1000
    assert left <= iso_ms(EXAM["time_limit"]) - 10 * 60_000, timer.inner_text()
    again_page.context.close()
