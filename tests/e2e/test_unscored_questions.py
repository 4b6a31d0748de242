"""The unscored question types (likert, long-fill-in) played in Chromium from a small course
of their own (tests/cases/new-types): what scorm-again records as the LMS, in SCORM 1.2 and
2004, and the `answered` statement the real LRS stores. Expectations come from the standards
(standards.md §2.7, RTE 1.2 §3.4.2, xAPI 1.0.3 Data §2.4.4.1), not from the builder."""

from __future__ import annotations

import http.server
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.pipeline import build_packages
from tests.conftest import CASES, ROOT, unzip
from tests.e2e.learner import SCORM12, SCORM2004, Learner, Scorm, _merge, lms_config, resume_data
from tests.e2e.test_scorm_play import assert_no_scorm_errors, flat, records
from tests.e2e.xapi_support import HOME, verbs, wait_stored
from tests.lrs.lms import LmsState, make_handler
from tests.lrs.server import BASIC, Lrs, validate

COURSE = "https://example.org/xapi/courses/reflect"
CMI_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SCALE = ["Not at all", "Slightly", "Moderately", "Very", "Completely"]
VERSIONS = [SCORM12, SCORM2004]


@pytest.fixture(scope="module")
def reflect_site(tmp_path_factory: pytest.TempPathFactory, lms_state: LmsState) -> Iterator[tuple[str, dict[str, bytes]]]:
    """The new-types course's packages behind the test LMS, on one loopback origin."""
    result = build_packages(CASES / "new-types")
    root = tmp_path_factory.mktemp("reflect-site")
    shutil.copy(Path(__file__).parent / "lms.html", root / "lms.html")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    for name, data in result.packages.items():
        if name.endswith(".zip"):
            for rel, content in unzip(data).items():
                path = root / "pkg" / Path(name).stem / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(lms_state, root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", result.packages
    server.shutdown()
    server.server_close()


def launch(page, site: tuple[str, dict[str, bytes]], version: Scorm, learner_id: str,
           resume: dict[str, Any] | None = None) -> Learner:
    """The single-module package under scorm-again, with LRS launch parameters."""
    base_url, packages = site
    fmt = "scorm12" if version.is12 else "scorm2004"
    manifest = unzip(packages[f"modules/reflect-r1-{fmt}.zip"])["imsmanifest.xml"]
    query = f"endpoint={base_url}/xapi/&auth={BASIC}&actor_home_page={HOME}"
    sco = f"/pkg/reflect-r1-{fmt}/r1/index.html?{query}"
    who: dict[str, Any] = {"core": {"student_id": learner_id}} if version.is12 else {"learner_id": learner_id}
    learner = Learner(page, "r1")
    learner.launch(base_url, lms_config(version, sco, manifest, "item-r1", _merge(who, resume or {})))
    return learner


def rate(learner: Learner, rating: str) -> None:
    """Answer the true-false question right and rate, on the first two screens."""
    frame = learner.sco
    frame.get_by_label("True", exact=True).check()
    frame.get_by_role("button", name="Check answer").click()
    frame.get_by_role("button", name="Next").click()
    box = frame.locator('.question[data-question-id="rate"]')
    box.get_by_label(rating, exact=True).check()
    box.get_by_role("button", name="Save answer").click()
    assert box.get_attribute("data-result") == "neutral"


def play(page, site: tuple[str, dict[str, bytes]], version: Scorm, learner_id: str,
         rating: str, reflection: str) -> Learner:
    """Answer the true-false question right, rate, write the reflection, finish."""
    learner = launch(page, site, version, learner_id)
    rate(learner, rating)
    frame = learner.sco
    frame.get_by_role("button", name="Next").click()
    box = frame.locator('.question[data-question-id="reflect"]')
    box.get_by_label("Your answer").fill(reflection)
    box.get_by_role("button", name="Save answer").click()
    assert box.get_attribute("data-result") == "neutral"
    learner.finish()
    return learner


def interaction(state: dict[str, str], question: str) -> dict[str, str]:
    found = [i for i in records(state, "cmi.interactions") if i["id"] == f"r1-{question}"]
    assert len(found) == 1, records(state, "cmi.interactions")
    return found[0]


def check_score_ignores_unscored(version: Scorm, state: dict[str, str]) -> None:
    """Only the true-false question counts: one of one right, mastery 1 reached."""
    if version.is12:
        assert state["cmi.core.lesson_status"] == "passed"
        assert float(state["cmi.core.score.raw"]) == 100.0
    else:
        assert state["cmi.success_status"] == "passed"
        assert float(state["cmi.score.scaled"]) == 1.0
        assert float(state["cmi.score.max"]) == 1.0  # one scored question


def answered(lrs: Lrs, learner_id: str, question: str) -> dict[str, Any]:
    statements = wait_stored(lrs, {"account": {"homePage": HOME, "name": learner_id}}, "terminated")
    assert validate(statements) == [[] for _ in statements]
    found = [s for s in statements
             if s["object"]["id"] == f"{COURSE}/modules/r1/questions/{question}"]
    assert verbs(found) == ["answered"]
    return found[0]


@pytest.mark.parametrize("version", VERSIONS, ids=["scorm12", "scorm2004"])
def test_likert_is_recorded_as_a_neutral_rating(page, reflect_site, lrs, version: Scorm) -> None:
    learner_id = f"likert-{uuid.uuid4().hex[:8]}"
    learner = play(page, reflect_site, version, learner_id, rating="Very", reflection="Check dates.")
    state = flat(learner.lms_state())
    rate = interaction(state, "rate")
    # SCORM 1.2 and 2004 both have the likert type; the response is the point's id (4th of 5)
    assert rate["type"] == "likert"
    assert rate["student_response" if version.is12 else "learner_response"] == "4"
    assert rate["result"] == "neutral"
    assert not any(k.startswith("correct_responses.") for k in rate)
    check_score_ignores_unscored(version, state)
    assert_no_scorm_errors(learner)

    statement = answered(lrs, learner_id, "rate")
    assert statement["result"]["response"] == "4"
    assert "success" not in statement["result"] and "score" not in statement["result"]
    definition = statement["object"]["definition"]
    assert definition["type"] == CMI_INTERACTION
    assert definition["interactionType"] == "likert"
    assert [p["description"]["en-US"] for p in definition["scale"]] == SCALE
    assert "correctResponsesPattern" not in definition


@pytest.mark.parametrize("version", VERSIONS, ids=["scorm12", "scorm2004"])
def test_long_fill_in_is_recorded_as_a_neutral_reflection(page, reflect_site, lrs, version: Scorm) -> None:
    learner_id = f"reflect-{uuid.uuid4().hex[:8]}"
    text = "I will check the expiry dates first, then count. " * 8  # 400 characters
    learner = play(page, reflect_site, version, learner_id, rating="Slightly", reflection=text)
    state = flat(learner.lms_state())
    reflect = interaction(state, "reflect")
    written = text.strip()
    if version.is12:
        # 1.2 has no long-fill-in; fill-in's student_response is a CMIFeedback of 255 characters
        assert reflect["type"] == "fill-in"
        assert reflect["student_response"] == written[:255]
    else:
        assert reflect["type"] == "long-fill-in"
        assert reflect["learner_response"] == written
    assert reflect["result"] == "neutral"
    assert not any(k.startswith("correct_responses.") for k in reflect)
    check_score_ignores_unscored(version, state)
    assert_no_scorm_errors(learner)

    statement = answered(lrs, learner_id, "reflect")
    assert statement["result"]["response"] == written
    assert "success" not in statement["result"] and "score" not in statement["result"]
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "long-fill-in"
    assert "correctResponsesPattern" not in definition


@pytest.mark.parametrize("version", VERSIONS, ids=["scorm12", "scorm2004"])
def test_a_rating_comes_back_after_a_suspend_still_unscored(page, browser, reflect_site,
                                                             version: Scorm) -> None:
    """Suspend data keeps the rating; on resume it is shown, locked and neutral, and the
    module score still counts only the scored question."""
    learner_id = f"resume-{uuid.uuid4().hex[:8]}"
    learner = launch(page, reflect_site, version, learner_id)
    rate(learner, "Moderately")
    learner.leave()
    page.wait_for_function("window.lmsLog.some(c => c.method === 'Terminate' || c.method === 'LMSFinish')")
    saved = learner.lms_state()

    second = browser.new_context().new_page()
    second.js_errors = []
    second.on("pageerror", lambda exc: second.js_errors.append(str(exc)))
    again = launch(second, reflect_site, version, learner_id, resume=resume_data(version, saved))
    box = again.sco.locator('.question[data-question-id="rate"]')
    assert box.get_attribute("data-result") == "neutral"
    assert box.get_by_label("Moderately", exact=True).is_checked()
    assert box.get_by_label("Moderately", exact=True).is_disabled()
    again.sco.get_by_role("button", name="Next").click()
    again.sco.get_by_label("Your answer").fill("Dates first.")
    again.sco.get_by_role("button", name="Save answer").click()
    again.finish()
    state = flat(again.lms_state())
    check_score_ignores_unscored(version, state)
    assert_no_scorm_errors(again)
    second.context.close()
