"""A learner who leaves half-way: incomplete and suspended, then resumed where they left,
answers restored and nothing counted twice; finishing gives an uninterrupted run's result."""

from __future__ import annotations

import pytest

from tests.e2e.learner import SCORM12, resume_data, screen_titles
from tests.e2e.test_scorm_play import (
    KINDS,
    MODULE_IDS,
    VERSIONS,
    assert_no_scorm_errors,
    check_finished,
    flat,
    launch,
    records,
)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("version", VERSIONS, ids=["scorm12", "scorm2004"])
@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_interrupted_learner_resumes_where_they_left(page, browser, base_url, course_packages,
                                                     version, kind, module_id) -> None:
    learner = launch(page, base_url, course_packages, version, kind, module_id)
    total = learner.screen_count()
    half = total // 2
    learner.play_screens(half)
    answered_before = list(learner.answered)
    learner.leave()
    page.wait_for_function("window.lmsLog.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    saved = learner.lms_state()
    state = flat(saved)
    assert_no_scorm_errors(learner)
    if version is SCORM12:
        assert state["cmi.core.lesson_status"] == "incomplete"
        assert state["cmi.core.exit"] == "suspend"
        assert state["cmi.core.score.raw"] == ""  # no score before finish (Moodle rule)
        assert len(state["cmi.suspend_data"]) <= 4096
        assert state["cmi.core.lesson_location"] == str(half)
    else:
        assert state["cmi.completion_status"] == "incomplete"
        assert state["cmi.exit"] == "suspend"
        assert state["cmi.success_status"] == "unknown"
        assert state["cmi.location"] == str(half)
    assert len(records(state, "cmi.interactions")) == len(answered_before)

    second = browser.new_context().new_page()
    second.js_errors = []
    second.on("pageerror", lambda exc: second.js_errors.append(str(exc)))
    again = launch(second, base_url, course_packages, version, kind, module_id,
                   resume=resume_data(version, saved))
    heading = again.current_screen().locator("h2").first.inner_text()
    assert heading == screen_titles(module_id)[half]
    for qid in answered_before:
        box = again.sco.locator(f'.question[data-question-id="{qid}"]')
        assert box.get_attribute("data-result") == "correct"
    again.play_screens(total - half)
    again.finish()
    check_finished(version, module_id, flat(again.lms_state()), correct=True)
    assert_no_scorm_errors(again)
    second.context.close()
