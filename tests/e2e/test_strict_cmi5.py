"""cmi5 launches against the strict test LMS (issue 8): it refuses, as ADL's CATAPULT proxy
does, a second `completed`/`passed` in a registration, statements of another session, and
anything after `terminated` (403); its State API gives no ETag on 204 and answers 412/409
to bad preconditions (standards.md §16, §17). Each test is one behaviour a real cmi5 LMS
showed broken; one small module of the real built course keeps them quick."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from tests.e2e.learner import Learner, screen_titles
from tests.e2e.strict_support import (
    document_refusals,
    refusals,
    session_verbs,
    wait_for_verb,
    wait_until,
)
from tests.e2e.xapi_support import COURSE, launch_cmi5, new_learner, stored, verbs, wait_delivered
from tests.lrs.lms import cmi5_launch

MODULE = "m01"
DELIVERY = 10.0  # seconds: bound for what must reach the LRS without a new launch


def bookmark(lms_state, facts, who) -> dict | None:
    key = lms_state.state_key({"activityId": facts["activityId"], "agent": json.dumps(who),
                               "registration": facts["registration"], "stateId": "cpom-bookmark"})
    with lms_state.lock:
        raw = lms_state.documents.get(key)
    return json.loads(raw) if raw else None


def heading(learner: Learner) -> str:
    return learner.current_screen().locator("h2").first.inner_text()


def test_bookmark_resumes_on_the_right_screen_without_refused_saves(page, browser, base_url, lms_state, lrs) -> None:
    """Several State saves, leave, relaunch: the AU resumes where the learner was, and the
    LMS refused none of its State requests.

    Fails today: after a 204 without ETag the runtime forgets the tag and sends
    `If-None-Match: *` over the existing bookmark: 412 on every later save (it then
    re-reads and retries, but a real LMS has recorded the refusals)."""
    who = new_learner()
    learner, first = launch_cmi5(page, base_url, lms_state, MODULE, who)
    at = 3
    learner.play_screens(at)  # a save on each screen change, and after each answer
    # The learner reads the screen before leaving: its save is answered first. (Leaving within
    # one round trip of a click races the save against `terminated`, two requests the page
    # cannot order once it is gone; test_nothing_the_au_sends_while_leaving_is_refused.)
    learner.sco.wait_for_function("() => { const b = CPOM.runtime.tracker.bookmark;"
                                  " return !b.busy && !b.pending; }", timeout=DELIVERY * 1000)
    page.goto("about:blank")  # the learner leaves
    assert wait_until(lambda: (bookmark(lms_state, first, who) or {}).get("location") == str(at), DELIVERY)
    second = browser.new_context().new_page()
    again, facts = launch_cmi5(second, base_url, lms_state, MODULE, who, registration=first["registration"])
    assert facts["session"] != first["session"]
    assert heading(again) == screen_titles(MODULE)[at]
    assert document_refusals(lms_state, first["registration"]) == []
    second.context.close()


def test_final_save_is_stored_before_the_au_goes_to_the_return_url(page, base_url, lms_state, lrs) -> None:
    """Finish with a returnURL: the AU's final State save is stored (204) before the browser
    asks for the returnURL, and no save comes after it.

    Fails today: the AU leaves once its statements are sent, without waiting for its final
    bookmark save; that save (sent with `If-None-Match: *` after a 204 without ETag) is
    refused 412 and its retry reaches the LMS after the browser asked for the returnURL."""
    who = new_learner()
    back = f"{base_url}/lms.html?returned={who['account']['name']}"
    learner, facts = launch_cmi5(page, base_url, lms_state, MODULE, who, return_url=back)
    learner.play_screens()
    learner.sco.get_by_role("button", name="Finish").click()
    page.wait_for_url(back)
    with lms_state.lock:
        log = list(lms_state.requests)
    parts = urllib.parse.urlsplit(back)
    returned = next(i for i, r in enumerate(log) if r["path"] == f"{parts.path}?{parts.query}")
    reg = urllib.parse.quote(facts["registration"])
    writes = [i for i, r in enumerate(log) if r["method"] in ("PUT", "POST") and "activities/state" in r["path"]
              and reg in r["path"]]
    assert writes, "the AU saved nothing"
    assert max(writes) < returned, "a save was still under way when the AU left for the returnURL"
    assert log[max(writes)]["status"] == 204, "the final save was not stored"


def test_relaunch_of_a_finished_registration_ends_cleanly(page, browser, base_url, lms_state, lrs) -> None:
    """A finished registration relaunched in Normal mode and finished again: the second
    session's `terminated` reaches the LRS within a bounded time, and the AU sent no second
    `completed`/`passed` (the LMS refused none).

    Fails today: the runtime remembers what it reported in the bookmark's final save, which
    the strict LMS refuses (412, then 403 after `terminated`); the relaunch re-sends
    `completed`/`passed`, the LMS answers 403, and the runtime retries that batch forever,
    so `terminated` never arrives."""
    who = new_learner()
    learner, first = launch_cmi5(page, base_url, lms_state, MODULE, who)
    learner.play_screens()
    learner.finish()
    wait_delivered(page)
    page.goto("about:blank")
    second = browser.new_context().new_page()
    again, facts = launch_cmi5(second, base_url, lms_state, MODULE, who, registration=first["registration"])
    again.play_screens()
    again.sco.get_by_role("button", name="Finish").click()
    assert "terminated" in wait_for_verb(lrs, who, facts["session"], "terminated", DELIVERY)
    once = [r for r in refusals(lms_state, first["registration"]) if r["verb"] in ("completed", "passed")]
    assert once == []
    sent = verbs([s for s in stored(lrs, who) if s["object"]["id"] == first["activityId"]])
    assert sent.count("completed") == 1 and sent.count("passed") == 1
    second.context.close()


def test_undelivered_statements_of_an_old_session_never_use_the_new_token(page, base_url, lms_state, lrs, faults) -> None:
    """A session whose statements could not be delivered (the LRS answered 503 for it) is
    left; a new launch of the registration starts: its `initialized` reaches the LRS, and no
    statement of the old session is sent with the new session's token.

    Fails today: the queue is kept per endpoint, so the new session sends the old session's
    statements first with its own token; the LMS refuses them (403 session-mismatch) and the
    runtime retries them forever, ahead of the new `initialized`."""
    who = new_learner()
    learner, first = launch_cmi5(page, base_url, lms_state, MODULE, who)
    faults(path="/xapi/statements", status=503, session=first["session"])
    learner.play_until_answered()
    old = set(page.evaluate("CPOM.runtime.reporter.sender.queue.map(s => s.id)"))
    assert old, "the old session had nothing undelivered"
    page.goto("about:blank")  # the learner leaves with statements undelivered
    _, facts = launch_cmi5(page, base_url, lms_state, MODULE, who, registration=first["registration"])
    assert "initialized" in wait_for_verb(lrs, who, facts["session"], "initialized", DELIVERY)
    with lms_state.lock:
        under_new = [r for r in lms_state.received if r["session"] == facts["session"]]
    ids = {i for r in under_new for i in r["ids"]}
    carried = {sid for r in under_new for sid in r["statement_sessions"]}
    assert old.isdisjoint(ids) and first["session"] not in carried, \
        "the old session's statements were sent with the new session's token"


@pytest.mark.parametrize("mode", ["Review", "Browse"])
def test_review_and_browse_launches_end_with_terminated_and_the_return_url(page, base_url, lms_state, lrs, mode) -> None:
    """Review (and Browse) launches: Finish sends `terminated` and the browser goes to the
    returnURL (cmi5 §10.2.2, standards.md §17).

    Fails today in Review: the runtime treats Review as read-only and its Finish neither
    sends `terminated` nor leaves for the returnURL. (Browse passes today: kept as a guard.)"""
    who = new_learner()
    back = f"{base_url}/lms.html?returned={who['account']['name']}"
    learner, facts = launch_cmi5(page, base_url, lms_state, MODULE, who, mode=mode, return_url=back)
    learner.play_screens()
    learner.sco.get_by_role("button", name="Finish").click()
    page.wait_for_url(back, timeout=DELIVERY * 1000)
    assert session_verbs(lrs, who, facts["session"]) == ["initialized", "terminated"]


def in_a_frame(page, url: str, module_id: str) -> Learner:
    """Launch the AU the way many cmi5 LMSs do: in an iframe of their own page."""
    page.set_content(f'<iframe name="au" id="au" title="Course" src="{url}" style="width:100%;height:90vh"></iframe>')
    learner = Learner(page, module_id, frame_name="au")
    learner.sco.wait_for_selector("html[data-cpom-ready]")
    return learner


@pytest.mark.parametrize("how", ["frame-removed", "page-closed"])
def test_leaving_mid_module_delivers_suspended_and_terminated(browser, base_url, other_origin, lms_state, lrs,
                                                              how) -> None:
    """The learner leaves half-way (the LMS removes the AU's frame, or the page is closed):
    `suspended` and `terminated` reach the LRS within ~3 s, without any new launch. The LMS
    (endpoint and fetch URL) is on another origin than the content, as real ones are.

    Fails today only sometimes: with the frame removed it passed in every run here (the
    pagehide flush with keepalive delivers them); with the page closed, one run of two
    stored `suspended` but never `terminated`."""
    who = new_learner()
    url, facts = cmi5_launch(lms_state, other_origin, "cpom-cmi5", f"{MODULE}/index.html",
                             f"{COURSE}/modules/{MODULE}", who)
    url = url.replace(f"{other_origin}/pkg/", f"{base_url}/pkg/", 1)  # content on the LMS's content origin
    page = browser.new_context().new_page()
    learner = in_a_frame(page, url, MODULE)
    learner.play_screens(2)
    if how == "frame-removed":
        page.evaluate("document.getElementById('au').remove()")
    else:
        page.close()
    got = wait_for_verb(lrs, who, facts["session"], "terminated", 3.0)
    assert got[-2:] == ["suspended", "terminated"], got
    page.context.close()


def test_nothing_the_au_sends_while_leaving_is_refused(page, base_url, lms_state, lrs) -> None:
    """The learner leaves half-way: the LMS refuses nothing the AU sends for that session
    (its last bookmark save included, which must not come after `terminated`).

    Fails today: the save on pagehide goes with `If-None-Match: *` after a 204 without ETag
    (412, and the page is gone before the retry), and may reach the LMS after
    `terminated` (403)."""
    who = new_learner()
    learner, facts = launch_cmi5(page, base_url, lms_state, MODULE, who)
    learner.play_until_answered()
    page.goto("about:blank")
    wait_for_verb(lrs, who, facts["session"], "terminated", 3.0)
    assert refusals(lms_state, facts["registration"]) == []


def fetch_path(url: str) -> str:
    """The path of the launch's one-time fetch URL."""
    fetch = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["fetch"][0]
    return urllib.parse.urlsplit(fetch).path


def test_nothing_is_interactive_before_the_lms_handshake_ends(page, base_url, lms_state, lrs, faults) -> None:
    """The handshake (fetch URL, LaunchData, State) takes 5 s (long enough that a slow, loaded
    machine still loads the page well inside it): meanwhile a visible status
    says "Connecting to your LMS…", clicks on Next or an answer choice do nothing, and
    nothing is answered; after the handshake the module works.

    Fails today: the content is live before the handshake ends (no status is shown, an
    answer choice can be ticked while the AU cannot record it yet)."""
    who = new_learner()
    url, facts = cmi5_launch(lms_state, base_url, "cpom-cmi5", f"{MODULE}/index.html",
                             f"{COURSE}/modules/{MODULE}", who)
    faults(path=fetch_path(url), method="POST", delay=5.0)
    page.goto(url, wait_until="domcontentloaded")
    status = page.get_by_role("status").filter(has_text="Connecting to your LMS…")
    status.wait_for(state="visible", timeout=2000)
    # what a learner could reach on the page while it connects: the first visible answer
    # choice, and Next
    choices = page.locator(".question label.option:visible")
    box = None
    if choices.count():
        qid = choices.first.evaluate("el => el.closest('.question').dataset.questionId")
        box = page.locator(f'.question[data-question-id="{qid}"]')
        choices.first.click(force=True, timeout=1000)
    next_button = page.get_by_role("button", name="Next")
    if next_button.is_visible():
        next_button.click(force=True, timeout=1000)
    assert page.evaluate("document.documentElement.getAttribute('data-cpom-ready')") is None, \
        "the handshake was not delayed"
    learner = Learner(page, MODULE)
    learner.wait_ready()
    assert heading(learner) == screen_titles(MODULE)[0]
    if box is not None:
        assert box.locator("input:checked").count() == 0, "an answer was ticked before the LMS was ready"
    learner.play_screens(2)  # after the handshake the module works
    wait_delivered(page)
    got = session_verbs(lrs, who, facts["session"])
    assert got[0] == "initialized" and got.count("answered") == len(learner.answered)


def test_a_failed_handshake_shows_an_alert_and_records_nothing(page, base_url, lms_state, lrs, faults) -> None:
    """The fetch URL answers an error: the page says so in a role="alert" message, and
    nothing is recorded for the learner.

    Fails today: the runtime carries on "without an LMS" and only says so in a
    role="status" line; no alert is shown."""
    who = new_learner()
    url, facts = cmi5_launch(lms_state, base_url, "cpom-cmi5", f"{MODULE}/index.html",
                             f"{COURSE}/modules/{MODULE}", who)
    faults(path=fetch_path(url), method="POST", status=500)
    page.goto(url)
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=5000)
    assert alert.inner_text().strip()
    assert stored(lrs, who) == []
    with lms_state.lock:  # no State document but the LMS's own LaunchData
        written = [k for k in lms_state.documents if k[0] == "state" and k[3] == facts["registration"]]
    assert [k[4] for k in written] == ["LMS.LaunchData"]


def test_a_second_learner_never_sends_the_first_learners_statements(page, base_url, lms_state, lrs, faults) -> None:
    """Two learners on one browser (one localStorage): A's statements stay queued (the LRS
    answers 503 for A), A leaves; B launches (own token and actor, same endpoint): no
    statement of A is ever sent with B's credentials, and B's own statements arrive.

    Fails today: the queue is kept per endpoint, so B's page sends A's statements with B's
    token (the LMS refuses them: 403) and retries them forever, ahead of B's own."""
    a, b = new_learner(), new_learner()
    learner_a, first = launch_cmi5(page, base_url, lms_state, MODULE, a)
    faults(path="/xapi/statements", status=503, session=first["session"])
    learner_a.play_until_answered()
    assert page.evaluate("CPOM.runtime.reporter.sender.queue.length") > 0
    page.goto("about:blank")
    _, second = launch_cmi5(page, base_url, lms_state, MODULE, b)  # same page, same storage
    assert "initialized" in wait_for_verb(lrs, b, second["session"], "initialized", DELIVERY)
    with lms_state.lock:
        under_b = [r for r in lms_state.received if r["session"] == second["session"]]
    carried = {sid for r in under_b for sid in r["statement_sessions"]}
    assert first["session"] not in carried, "A's statements were sent with B's credentials"
    assert [r for r in lms_state.rejections if r["session"] == second["session"]] == []


def test_a_statement_the_lrs_forbids_is_dropped_and_later_ones_arrive(page, base_url, lms_state, lrs, faults) -> None:
    """The LRS answers 403 to one statement (the first `answered`): the runtime gives it up
    (it is not retried forever) and the statements after it, `terminated` included, arrive.

    Fails today: the runtime treats 403 as a temporary error and retries the batch with
    backoff forever; nothing after it is ever delivered."""
    who = new_learner()
    learner, facts = launch_cmi5(page, base_url, lms_state, MODULE, who)
    wait_delivered(page)
    refused = faults(path="/xapi/statements", status=403, session=facts["session"],
                     statement=lambda s: s.get("verb", {}).get("id", "").endswith("/answered"))
    learner.play_screens()
    learner.sco.get_by_role("button", name="Finish").click()
    got = wait_for_verb(lrs, who, facts["session"], "terminated", DELIVERY)
    assert got and got[-1] == "terminated", got
    assert refused.pinned is not None and refused.pinned not in {s["id"] for s in stored(lrs, who)}
    tries = len(refused.hits)
    wait_until(lambda: False, 3.0)
    assert len(refused.hits) == tries, "the forbidden statement is still being retried"
