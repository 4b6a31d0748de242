"""No statement lost: the LRS is stopped for part of a session, the learner goes on, and
once it is back every statement arrives exactly once, in order. A statement the LRS
refuses as invalid is dropped (and logged) without blocking the ones behind it."""

from __future__ import annotations

import time
import uuid

from tests.e2e.test_xapi_statements import (
    check_well_formed,
    expected_module_sequence,
    kind_of,
    verbs,
)
from tests.e2e.xapi_support import launch_cmi5, launch_tincan, new_learner, stored, wait_delivered


def test_statements_survive_an_lrs_outage(page, base_url, lms_state, lrs) -> None:
    module_id = "m04"
    who = new_learner()
    learner, facts = launch_cmi5(page, base_url, lms_state, module_id, who)
    total = learner.screen_count()
    learner.play_screens(2)
    wait_delivered(page)
    before = stored(lrs, who)
    lrs.stop()  # the real LRS process goes away; its in-memory store with it
    try:
        learner.play_screens(total - 3)
        queued = page.evaluate("CPOM.runtime.reporter.sender.queue.length")
        assert queued > 0, "nothing was waiting while the LRS was down"
        assert any("deferred" in line for line in page.evaluate("CPOM.logs"))
    finally:
        lrs.start()  # same port, empty store
    learner.play_screens(1)
    learner.finish()
    wait_delivered(page)
    after = stored(lrs, who)
    assert not {s["id"] for s in before} & {s["id"] for s in after}, "a delivered statement was sent again"
    statements = before + after
    check_well_formed(statements)
    assert [(verbs([s])[0], kind_of(s, facts["activityId"])) for s in statements] == \
        expected_module_sequence(module_id, True)


def test_statements_left_in_the_queue_are_sent_on_the_next_launch(page, base_url, lrs) -> None:
    """Tin Can has no sessions: what one launch could not deliver belongs to the same
    endpoint, credential, learner and registration as the next launch, which sends it first.
    (cmi5 is different: an ended session's statements are never sent under a new session's
    token; test_strict_cmi5.py covers that.)"""
    module_id = "m09"
    who = new_learner()
    registration = str(uuid.uuid4())
    learner = launch_tincan(page, base_url, module_id, who, registration)
    wait_delivered(page)
    before = stored(lrs, who)
    lrs.stop()
    try:
        learner.play_screens(2)
        page.goto("about:blank")  # leaves while the LRS is down: the queue stays in localStorage
        time.sleep(0.5)
    finally:
        lrs.start()
    again = launch_tincan(page, base_url, module_id, who, registration)
    again.play_screens()
    again.finish()
    wait_delivered(page)
    statements = before + stored(lrs, who)
    check_well_formed(statements)
    sequence = verbs(statements)
    second_launch = sequence.index("initialized", 1)
    first = sequence[:second_launch]
    assert first[0] == "initialized" and first[-1] == "terminated", first
    assert "answered" in first, "the answers given while the LRS was down arrive, first"
    assert sequence[-1] == "terminated" and sequence.count("initialized") == 2


def test_an_invalid_statement_is_dropped_and_logged(page, base_url, lms_state, lrs) -> None:
    who = new_learner()
    learner, _facts = launch_cmi5(page, base_url, lms_state, "m01", who)
    wait_delivered(page)
    page.evaluate("""() => {
        const s = CPOM.runtime.reporter.sender;
        s.queue.push({id: CPOM.xapi.uuid(), actor: CPOM.runtime.reporter.cfg.actor,
                      verb: {id: "not an IRI"}, object: {id: "https://example.org/x"}});
        s.persist();
    }""")
    learner.play_until_answered()
    wait_delivered(page)
    statements = stored(lrs, who)
    check_well_formed(statements)
    assert all(s["verb"]["id"].startswith("http") for s in statements)
    assert verbs(statements)[:2] == ["initialized", "answered"]
    assert any("refused by the LRS (400): dropped" in line for line in page.evaluate("CPOM.logs"))
