"""What the real LRS stores when the built packages are played through each launch path:
cmi5, Tin Can, and SCORM with LRS launch parameters. Each statement must be valid under
xapi-validation, readable by tincan, present once, in order."""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

import pytest
from tincan import Statement

from tests.e2e.learner import CURRICULUM, MODULES, SCORM2004, questions, screen_titles
from tests.e2e.test_scorm_play import MODULE_IDS, flat, launch
from tests.e2e.xapi_support import (
    COURSE,
    HOME,
    launch_cmi5,
    launch_tincan,
    new_learner,
    stored,
    verbs,
    wait_delivered,
    wait_stored,
)
from tests.lrs.server import BASIC, validate

CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
MASTERY = CURRICULUM["course"]["mastery_score"]


def ids_of(activities: list[dict[str, Any]] | None) -> list[str]:
    return [a["id"] for a in activities or []]


def check_well_formed(statements: list[dict[str, Any]]) -> None:
    assert statements, "the LRS stored nothing"
    assert validate(statements) == [[] for _ in statements]
    for s in statements:
        assert Statement.from_json(json.dumps(s)).id is not None
        assert s["timestamp"].endswith("Z") and len(s["timestamp"]) == 24  # UTC, milliseconds
    assert len({s["id"] for s in statements}) == len(statements), "a statement was stored twice"
    stamps = [s["timestamp"] for s in statements]
    assert stamps == sorted(stamps), "statements were stored out of order"


def expected_module_sequence(module_id: str, correct: bool) -> list[tuple[str, str]]:
    """(verb, object kind) of an uninterrupted session, derived from the Markdown: each
    goal's result follows its last question."""
    qs = questions(module_id)
    last = {q["goal"]: i for i, q in enumerate(qs)}
    seq = [("initialized", "module")]
    for i, q in enumerate(qs):
        seq.append(("answered", f"question:{q['id']}"))
        if last[q["goal"]] == i:
            seq.append(("passed" if correct else "failed", f"goal:{q['goal']}"))
    seq += [("completed", "module"), ("passed" if correct else "failed", "module"), ("terminated", "module")]
    return seq


def kind_of(s: dict[str, Any], module_object: str) -> str:
    oid = s["object"]["id"]
    if oid == module_object:
        return "module"
    if "/questions/" in oid:
        return f"question:{oid.rsplit('/', 1)[-1]}"
    if "/goals/" in oid:
        return f"goal:{oid.rsplit('/', 1)[-1]}"
    return oid


def check_results(statements: list[dict[str, Any]], module_id: str, module_object: str, correct: bool) -> None:
    by_q = {q["id"]: q for q in questions(module_id)}
    for s in statements:
        kind = kind_of(s, module_object)
        if kind.startswith("question:"):
            q = by_q[kind.split(":")[1]]
            assert s["result"]["success"] is correct
            assert s["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
            assert s["object"]["definition"]["interactionType"] == {"multiple-choice": "choice"}.get(q["type"], q["type"])
            assert f"{COURSE}/goals/{q['goal']}" in ids_of(s["context"]["contextActivities"].get("other"))
        elif kind.startswith("goal:"):
            assert s["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/objective"
            assert s["result"]["success"] is correct
            assert s["result"]["score"]["scaled"] == (1 if correct else 0)
        assert COURSE in ids_of(s["context"]["contextActivities"].get("grouping"))
    module_results = [s for s in statements if kind_of(s, module_object) == "module" and "score" in s.get("result", {})]
    assert [s["result"]["score"]["scaled"] for s in module_results] == [1 if correct else 0]
    assert all("duration" in s["result"] for s in statements if verbs([s]) == ["terminated"])


def check_cmi5_rules(statements: list[dict[str, Any]], facts: dict[str, Any]) -> None:
    """cmi5 §9: cmi5-defined statements are about the launch activityId and carry the cmi5
    category; moveOn only with success/completion; goals and questions are cmi5-allowed."""
    defined = ("initialized", "completed", "passed", "failed", "terminated")
    for s in statements:
        ctx = s["context"]
        assert ctx["registration"] == facts["registration"]
        assert facts["publisher"] in ids_of(ctx["contextActivities"].get("grouping"))
        categories = ids_of(ctx["contextActivities"].get("category"))
        is_module = s["object"]["id"] == facts["activityId"]
        if is_module and verbs([s])[0] in defined:
            assert CMI5 in categories
            assert (MOVEON in categories) == bool({"success", "completion"} & set(s.get("result", {})))
        else:
            assert CMI5 not in categories and MOVEON not in categories
            if not is_module:
                assert facts["activityId"] in ids_of(ctx["contextActivities"].get("parent"))
    assert verbs(statements)[0] == "initialized" and verbs(statements)[-1] == "terminated"


@pytest.mark.parametrize("module_id", MODULE_IDS)
@pytest.mark.parametrize("correct", [True, False], ids=["diligent", "struggling"])
def test_cmi5_learner_statements(page, base_url, lms_state, lrs, module_id, correct) -> None:
    who = new_learner()
    learner, facts = launch_cmi5(page, base_url, lms_state, module_id, who, correct=correct)
    learner.play_screens()
    learner.finish()
    wait_delivered(page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    assert [(verbs([s])[0], kind_of(s, facts["activityId"])) for s in statements] == \
        expected_module_sequence(module_id, correct)
    check_results(statements, module_id, facts["activityId"], correct)
    check_cmi5_rules(statements, facts)
    assert {s["context"]["extensions"][SESSION] for s in statements} == {facts["session"]}
    (passed,) = [s for s in statements if s["object"]["id"] == facts["activityId"] and "score" in s.get("result", {})]
    assert passed["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == MASTERY
    assert page.js_errors == []


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_cmi5_interrupted_learner_resumes_without_duplicates(page, browser, base_url, lms_state, lrs, module_id) -> None:
    who = new_learner()
    learner, first = launch_cmi5(page, base_url, lms_state, module_id, who)
    total = learner.screen_count()
    learner.play_screens(total // 2)
    wait_delivered(page)
    page.goto("about:blank")  # the learner closes the window: pagehide suspends
    second = browser.new_context().new_page()
    second.js_errors = []
    again, facts = launch_cmi5(second, base_url, lms_state, module_id, who, registration=first["registration"])
    assert facts["activityId"] == first["activityId"] and facts["session"] != first["session"]
    assert again.current_screen().locator("h2").first.inner_text() == screen_titles(module_id)[total // 2]
    again.play_screens(total - total // 2)
    again.finish()
    wait_delivered(second)
    statements = stored(lrs, who)
    check_well_formed(statements)
    sessions = [s["context"]["extensions"][SESSION] for s in statements]
    one = [s for s, sid in zip(statements, sessions, strict=False) if sid == first["session"]]
    two = [s for s, sid in zip(statements, sessions, strict=False) if sid == facts["session"]]
    assert len(one) + len(two) == len(statements)
    assert verbs(one)[0] == "initialized" and verbs(one)[-2:] == ["suspended", "terminated"]
    viewed = total // 2 + 1  # the screens played, and the one the learner moved on to
    assert one[-2]["result"]["extensions"][PROGRESS] == math.floor(100 * viewed / total + 0.5)
    assert verbs(two)[:2] == ["initialized", "resumed"] and verbs(two)[-3:] == ["completed", "passed", "terminated"]
    # every question answered exactly once across both sessions; every goal judged once
    answered = [s["object"]["id"].rsplit("/", 1)[-1] for s in statements if verbs([s]) == ["answered"]]
    assert sorted(answered) == sorted(q["id"] for q in questions(module_id))
    goals = [s["object"]["id"].rsplit("/", 1)[-1] for s in statements if "/goals/" in s["object"]["id"]]
    assert sorted(goals) == sorted(g["id"] for g in MODULES[module_id]["goals"])
    check_results(statements, module_id, first["activityId"], True)
    check_cmi5_rules(one, first)
    check_cmi5_rules(two, facts)
    second.context.close()


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_tincan_launch_reports_to_the_lrs(page, base_url, lrs, module_id) -> None:
    who = new_learner()
    registration = str(uuid.uuid4())
    learner = launch_tincan(page, base_url, module_id, who, registration)
    learner.play_screens()
    learner.finish()
    wait_delivered(page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    module_iri = f"{COURSE}/modules/{module_id}"
    assert [(verbs([s])[0], kind_of(s, module_iri)) for s in statements] == expected_module_sequence(module_id, True)
    check_results(statements, module_id, module_iri, True)
    assert {s["context"]["registration"] for s in statements} == {registration}
    assert all(CMI5 not in ids_of(s["context"]["contextActivities"].get("category")) for s in statements)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_scorm_package_with_lrs_launch_parameters(page, base_url, course_packages, lrs, module_id) -> None:
    learner_id = f"scorm-{uuid.uuid4().hex[:8]}"
    params = {"endpoint": f"{base_url}/xapi/", "auth": BASIC, "actor_home_page": HOME}
    learner = launch(page, base_url, course_packages, SCORM2004, "single", module_id,
                     resume={"learner_id": learner_id}, query=params)
    learner.play_screens()
    learner.finish()  # the LMS unloads the SCO once it terminated: its queue cannot be watched
    statements = wait_stored(lrs, {"account": {"homePage": HOME, "name": learner_id}}, "terminated")
    check_well_formed(statements)
    module_iri = f"{COURSE}/modules/{module_id}"
    assert [(verbs([s])[0], kind_of(s, module_iri)) for s in statements] == expected_module_sequence(module_id, True)
    check_results(statements, module_id, module_iri, True)
    # and the LMS recorded the same result
    state = flat(learner.lms_state())
    assert state["cmi.success_status"] == "passed" and state["cmi.completion_status"] == "completed"


def test_cmi5_browse_mode_sends_only_initialized_and_terminated(page, base_url, lms_state, lrs) -> None:
    who = new_learner()
    learner, facts = launch_cmi5(page, base_url, lms_state, "m03", who, mode="Browse")
    learner.play_screens()
    learner.finish()
    wait_delivered(page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    assert verbs(statements) == ["initialized", "terminated"]
    check_cmi5_rules(statements, facts)


def test_cmi5_returns_the_learner_to_the_return_url(page, base_url, lms_state, lrs) -> None:
    who = new_learner()
    back = f"{base_url}/lms.html?returned=1"
    learner, _ = launch_cmi5(page, base_url, lms_state, "m03", who, return_url=back)
    learner.play_screens()
    learner.sco.get_by_role("button", name="Finish").click()
    page.wait_for_url(back)
    # the redirect waits for delivery: everything up to terminated is stored
    assert verbs(stored(lrs, who))[-1] == "terminated"


def test_cmi5_mastery_score_from_launch_data_overrides_the_package(page, base_url, lms_state, lrs) -> None:
    """LMS.LaunchData masteryScore wins over cmi5.xml (cmi5 §10.2.3): with 0.0, even a
    learner who answers everything wrongly passes, and the statement says which score."""
    who = new_learner()
    learner, facts = launch_cmi5(page, base_url, lms_state, "m03", who, correct=False, mastery=0.0)
    learner.play_screens()
    learner.finish()
    wait_delivered(page)
    statements = stored(lrs, who)
    (result,) = [s for s in statements if s["object"]["id"] == facts["activityId"] and "score" in s.get("result", {})]
    assert verbs([result]) == ["passed"] and result["result"]["score"]["scaled"] == 0
    assert result["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.0


def test_a_career_path_package_adds_the_path_to_every_grouping(page, base_url, lms_state, lrs, course_packages) -> None:
    from lxml import etree

    from tests.conftest import unzip
    from tests.lrs.lms import cmi5_launch

    # as an LMS does: the AU's launchParameters from the package's cmi5.xml go to LaunchData
    doc = etree.fromstring(unzip(course_packages["paths/cpom-new-manager-cmi5.zip"])["cmi5.xml"])
    params = doc.xpath("string(//*[local-name()='au'][@id=$id]/*[local-name()='launchParameters'])",
                       id=f"{COURSE}/modules/m12")
    who = new_learner()
    url, _facts = cmi5_launch(lms_state, base_url, "cpom-new-manager-cmi5", "m12/index.html",
                             f"{COURSE}/modules/m12", who, launch_parameters=params)
    from tests.e2e.learner import Learner

    learner = Learner(page, "m12")
    learner.open(url)
    learner.play_screens()
    learner.finish()
    wait_delivered(page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    for s in statements:
        grouping = ids_of(s["context"]["contextActivities"].get("grouping"))
        assert COURSE in grouping and f"{COURSE}/paths/new-manager" in grouping
