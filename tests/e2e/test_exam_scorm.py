"""The certification exam of the real built course under scorm-again acting as the LMS
(SCORM 1.2 and 2004, the exam SCO of the whole-course package): pass, fail then retake with
other items, interrupted and resumed with the same draw; the certificate only after a pass,
with the LMS's learner name; the draw reproducible per learner and attempt."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import unzip
from tests.e2e.exam_support import (
    BANK,
    CODE_SHAPE,
    EVALUATION,
    EXAM,
    EXAM_ID,
    ExamTaker,
    check_char_ok,
    expected_count,
)
from tests.e2e.learner import MASTERY, SCORM12, SCORM2004, Scorm, lms_config, resume_data
from tests.e2e.test_scorm_play import assert_no_scorm_errors, flat, records

VERSIONS = pytest.mark.parametrize("version", [SCORM12, SCORM2004], ids=["scorm12", "scorm2004"])
PASS_MARK = EXAM.get("pass_mark", MASTERY)


def launch_exam(page, base_url: str, course_packages: dict[str, bytes], version: Scorm, correct: bool = True,
                data: dict | None = None) -> ExamTaker:
    name = f"cpom-{'scorm12' if version.is12 else 'scorm2004'}"
    manifest = unzip(course_packages[f"{name}.zip"])["imsmanifest.xml"]
    config = lms_config(version, f"/pkg/{name}/{EXAM_ID}/index.html", manifest, f"item-{EXAM_ID}", data)
    taker = ExamTaker(page, EXAM_ID, correct=correct)
    taker.launch(base_url, config)
    return taker


def new_page(browser):
    page = browser.new_context().new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


def leave(taker: ExamTaker) -> dict:
    """Close the exam window; what the LMS kept."""
    taker.leave()
    taker.page.wait_for_function("window.lmsLog.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    return taker.lms_state()


def check_exam_recorded(version: Scorm, state: dict[str, str], drawn: list[str], passed: bool) -> None:
    interactions = [i for i in records(state, "cmi.interactions") if not i["id"].startswith(f"{EXAM_ID}-eval-")]
    assert [i["id"] for i in interactions][-len(drawn):] == [f"{EXAM_ID}-{q}" for q in drawn]
    last = interactions[-len(drawn):]
    wrong = "wrong" if version.is12 else "incorrect"
    assert all(i["result"] == ("correct" if passed else wrong) for i in last)
    for i, qid in zip(last, drawn, strict=True):
        assert i["objectives.0.id"] == f"{EXAM_ID}-{BANK[qid]['goal']}"
    objectives = {o["id"]: o for o in records(state, "cmi.objectives")}
    status = "passed" if passed else "failed"
    for goal in {BANK[q]["goal"] for q in drawn}:
        o = objectives[f"{EXAM_ID}-{goal}"]
        assert (o["status"] if version.is12 else o["success_status"]) == status
    assert not set(objectives) & {BANK[q]["goal"] for q in drawn}, "exam wrote the modules' goal objectives"
    if version.is12:
        assert state["cmi.core.lesson_status"] == status
        assert float(state["cmi.core.score.raw"]) == (100.0 if passed else 0.0)
    else:
        assert state["cmi.success_status"] == status
        assert state["cmi.completion_status"] == "completed"
        assert float(state["cmi.score.scaled"]) == (1.0 if passed else 0.0)
        assert objectives[f"{EXAM_ID}-mastery"]["success_status"] == status


@VERSIONS
def test_a_prepared_learner_passes_and_gets_a_certificate_with_the_lms_name(page, base_url, course_packages,
                                                                           version) -> None:
    taker = launch_exam(page, base_url, course_packages, version)
    assert not taker.certificate_shown()
    drawn = taker.start()
    assert len(drawn) == len(set(drawn)) == expected_count()
    if EXAM.get("draw") == {"per_goal": 1}:
        assert len({BANK[q]["goal"] for q in drawn}) == len(drawn)  # one item per goal
    assert not taker.certificate_shown()
    taker.answer_items()
    taker.submit()
    assert taker.certificate_shown()
    cert = taker.certificate()
    # lms_config gives "Learner, Test" (1.2 student_name, Last, First) and "Test Learner" (2004)
    assert cert["name"] == "Test Learner"
    assert CODE_SHAPE.match(cert["code"]) and check_char_ok(cert["code"]), cert["code"]
    assert cert["score"] == "100%"
    if EVALUATION:
        taker.answer_evaluation()
    taker.sco.get_by_role("button", name="Finish").click()
    page.wait_for_function("window.lmsUnloaded === true")
    state = flat(taker.lms_state())
    check_exam_recorded(version, state, drawn, passed=True)
    evals = [i for i in records(state, "cmi.interactions") if i["id"].startswith(f"{EXAM_ID}-eval-")]
    assert len(evals) == len(EVALUATION)
    assert all(i["result"] == "neutral" for i in evals)
    assert (state["cmi.core.exit"] if version.is12 else state["cmi.exit"]) == "suspend"  # keeps the certificate
    assert_no_scorm_errors(taker)


@VERSIONS
def test_a_failed_attempt_is_retaken_on_relaunch_with_other_items(page, browser, base_url, course_packages,
                                                                 version) -> None:
    taker = launch_exam(page, base_url, course_packages, version, correct=False)
    first = taker.start()
    taker.answer_items()
    taker.submit()
    assert not taker.certificate_shown()
    assert "attempt" in taker.sco.locator("[data-exam-retake]").inner_text()
    saved = leave(taker)
    check_exam_recorded(version, flat(saved), first, passed=False)
    assert_no_scorm_errors(taker)

    again_page = new_page(browser)
    again = launch_exam(again_page, base_url, course_packages, version, data=resume_data(version, saved))
    assert not again.certificate_shown()
    second = again.start()
    assert set(second) != set(first), "the retake drew the same items"
    again.answer_items()
    again.submit()
    assert again.certificate_shown()
    state = flat(leave(again))
    check_exam_recorded(version, state, second, passed=True)
    assert len(state["cmi.suspend_data"]) <= (4096 if version.is12 else 64000)
    assert_no_scorm_errors(again)
    again_page.context.close()


@VERSIONS
def test_an_interrupted_exam_resumes_with_the_same_draw_and_answers(page, browser, base_url, course_packages,
                                                                   version) -> None:
    taker = launch_exam(page, base_url, course_packages, version)
    drawn = taker.start()
    half = len(drawn) // 2
    taker.answer_items(half)
    at = taker.current_item()
    saved = leave(taker)
    state = flat(saved)
    assert (state["cmi.core.lesson_status"] if version.is12 else state["cmi.success_status"]) in ("incomplete", "unknown")
    assert len(state["cmi.suspend_data"]) <= (4096 if version.is12 else 64000)

    again_page = new_page(browser)
    again = launch_exam(again_page, base_url, course_packages, version, data=resume_data(version, saved))
    assert again.drawn() == drawn
    assert again.current_item() == at
    # the answers given before are back, unjudged: no feedback during the exam
    first_box = again.sco.locator(f'.question[data-question-id="{drawn[0]}"]')
    assert first_box.get_attribute("data-result") is None
    again.answer_items()
    again.submit()
    assert again.certificate_shown()
    check_exam_recorded(version, flat(leave(again)), drawn, passed=True)
    assert_no_scorm_errors(again)
    again_page.context.close()


def test_the_draw_is_reproducible_per_learner_and_attempt(page, browser, base_url, course_packages) -> None:
    """A fresh launch for the same learner draws the same items in the same order for attempt
    1; another learner gets another draw."""
    first = launch_exam(page, base_url, course_packages, SCORM2004).start()
    same_page = new_page(browser)
    same = launch_exam(same_page, base_url, course_packages, SCORM2004).start()
    assert same == first
    other_page = new_page(browser)
    other = launch_exam(other_page, base_url, course_packages, SCORM2004, data={"learner_id": "learner-2"}).start()
    assert other != first
    same_page.context.close()
    other_page.context.close()


def test_time_runs_out_and_the_exam_is_submitted(page, base_url, course_packages) -> None:
    """With a time limit, the visible clock counts down and at zero the answers given so far
    are submitted (the clock is the browser's, fast-forwarded: no sleep)."""
    if not EXAM.get("time_limit"):
        pytest.skip("the course's exam has no time limit")
    from tests.e2e.exam_support import iso_ms

    page.clock.install()
    taker = launch_exam(page, base_url, course_packages, SCORM12)
    drawn = taker.start()
    taker.answer_items(1)
    timer = taker.sco.locator("[data-exam-timer]")
    assert timer.is_visible()
    limit = iso_ms(EXAM["time_limit"])
    page.clock.fast_forward(limit - 120_000)  # the clock also runs while the robot works
    minutes, seconds = re.search(r"(\d+):(\d\d)$", timer.inner_text()).groups()
    page.clock.fast_forward((int(minutes) * 60 + int(seconds) - 30) * 1000)  # about 30 s left
    assert re.search(r" 0:[0-3]\d$", timer.inner_text()), timer.inner_text()
    assert taker.sco.locator("[data-exam-announce][role=status]").inner_text() == "1 minute left."
    page.clock.fast_forward(60_000)
    taker.sco.locator("#screen-result:not([hidden])").wait_for()
    # said to screen readers by a polite status, not by the ticking clock
    assert "Time is up" in taker.sco.locator("[data-exam-announce][role=status]").inner_text()
    state = flat(taker.lms_state())
    interactions = records(state, "cmi.interactions")
    assert len(interactions) == len(drawn)
    assert interactions[0]["result"] == "correct"
    assert state["cmi.core.lesson_status"] == ("passed" if 1 / len(drawn) >= PASS_MARK else "failed")


def test_saving_the_exam_does_not_speed_up_its_clock(page, base_url, course_packages) -> None:
    """Every save (a screen shown, an answer changed) writes the attempt's elapsed time to the
    suspend data: the clock must show the time really spent, however often the exam saves."""
    if not EXAM.get("time_limit"):
        pytest.skip("the course's exam has no time limit")
    from tests.e2e.exam_support import iso_ms

    page.clock.install()
    taker = launch_exam(page, base_url, course_packages, SCORM2004)
    taker.start()
    timer = taker.sco.locator("[data-exam-timer]")
    page.clock.fast_forward(60_000)
    for _ in range(3):  # each Next and Previous shows a screen, and each shown screen saves
        taker.sco.get_by_role("button", name="Next").click()
        taker.sco.get_by_role("button", name="Previous").click()
    page.clock.fast_forward(1_000)  # the next tick shows the clock
    shown = re.search(r"(?:(\d+):)?(\d+):(\d\d)$", timer.inner_text())
    assert shown, timer.inner_text()
    hours, minutes, seconds = (int(x or 0) for x in shown.groups())
    left = ((hours * 60 + minutes) * 60 + seconds) * 1000
    spent = iso_ms(EXAM["time_limit"]) - left
    # about 61 s were spent (the robot's clicks take real time, and the clock runs meanwhile)
    assert 60_000 <= spent <= 75_000, timer.inner_text()
    saved = taker.lms_state()
    suspend = flat(saved)["cmi.suspend_data"]
    assert json.loads(suspend)["cur"]["t"] <= 75_000


DATA_SCRIPT = re.compile(r'(<script type="application/json" id="cpom-data">)(.*?)(</script>)', re.DOTALL)


def without_item(html: str, gone: str) -> str:
    """The exam page of a rebuilt package whose banks lost item `gone` (an author removed
    it): every later item moves up one place in the page data."""
    match = DATA_SCRIPT.search(html)
    assert match, "no page data"
    data = json.loads(match.group(2))
    data["questions"] = [q for q in data["questions"] if q["id"] != gone]
    for group in data["exam"]["draw"]:
        group["items"] = [i for i in group["items"] if i != gone]
    text = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")
    return html[:match.start(2)] + text + html[match.end(2):]


def test_a_resume_after_the_package_was_updated_keeps_the_drawn_items(page, browser, base_url, course_packages) -> None:
    """An LMS admin replaces the package (an author removed a bank item the learner was not
    given) while a learner is half-way through: the resumed attempt shows the same items with
    the same answers, not the items that moved into their places."""
    taker = launch_exam(page, base_url, course_packages, SCORM2004)
    drawn = taker.start()
    half = len(drawn) // 2
    taker.answer_items(half)
    saved = leave(taker)
    first_page = unzip(course_packages["cpom-scorm2004.zip"])[f"{EXAM_ID}/index.html"].decode("utf-8")
    pool = json.loads(DATA_SCRIPT.search(first_page).group(2))["questions"]
    gone = next(q["id"] for q in pool if q["id"] not in drawn)  # before most drawn items

    again_page = new_page(browser)
    again_page.route(f"**/pkg/cpom-scorm2004/{EXAM_ID}/index.html",
                     lambda route: route.fulfill(response=(r := route.fetch()), body=without_item(r.text(), gone)))
    again = launch_exam(again_page, base_url, course_packages, SCORM2004, data=resume_data(SCORM2004, saved))
    assert again.drawn() == drawn
    again.answer_items()
    again.submit()
    assert again.certificate_shown()
    check_exam_recorded(SCORM2004, flat(leave(again)), drawn, passed=True)
    assert again_page.js_errors == []
    again_page.context.close()
