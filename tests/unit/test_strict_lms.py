"""The strict test LMS's own rules (tests/lrs): what it stores, what it refuses and why.
The browser tests rely on these verdicts, so they are pinned here, case by case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.lrs import cmi5_rules
from tests.lrs.cmi5_rules import Registration, Session
from tests.lrs.documents import etag_of, merged, precondition

DOC = b'{"location": "2"}'
AU = "https://lms.example.org/cmi5/au/1"
LEARNER = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "a"}}
VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.mark.parametrize(("method", "current", "if_match", "if_none_match", "status"), [
    ("PUT", None, None, "*", 204),  # create
    ("PUT", None, None, None, 204),  # create without precondition: allowed
    ("PUT", DOC, etag_of(DOC), None, 204),  # replace what was read
    ("PUT", DOC, None, "*", 412),  # "create" over an existing document
    ("PUT", DOC, '"stale"', None, 412),
    ("PUT", None, etag_of(DOC), None, 412),  # If-Match on nothing
    ("PUT", DOC, None, None, 409),  # blind overwrite (ADL's LRS)
    ("POST", DOC, None, None, 204),  # POST merges
    ("DELETE", DOC, '"stale"', None, 412),
])
def test_document_preconditions(method: str, current: bytes | None, if_match: str | None,
                                if_none_match: str | None, status: int) -> None:
    assert precondition(method, current, if_match, if_none_match).status == status


def test_post_merges_json_objects() -> None:
    assert merged(DOC, b'{"done": true}') == b'{"location": "2", "done": true}'


def statement(verb: str, session: str = "s1", obj: str = AU, sid: str | None = None) -> dict[str, Any]:
    return {"id": sid or f"{verb}-{session}", "actor": LEARNER, "verb": {"id": VERB + verb},
            "object": {"id": obj}, "context": {"extensions": {cmi5_rules.SESSION_EXT: session}}}


def launch() -> tuple[Session, Registration]:
    return Session("s1", "r1", AU, LEARNER), Registration("s1", AU)


def verdict(batch: list[dict[str, Any]], sess: Session | None = None, reg: Registration | None = None,
            stored: set[str] | None = None) -> str | None:
    s, r = launch()
    refusal = cmi5_rules.check_statements(sess or s, reg or r, batch, stored or set())
    return refusal.requirement if refusal else None


def test_a_whole_session_passes() -> None:
    batch = [statement(v) for v in ("initialized", "answered", "completed", "passed", "terminated")]
    assert verdict(batch) is None


def test_second_completed_in_a_registration_is_refused() -> None:
    sess, reg = launch()
    reg.once.add("completed")
    assert verdict([statement("completed")], sess, reg) == "second-completed"


def test_passed_goal_is_not_the_aus_passed() -> None:
    sess, reg = launch()
    reg.once.add("passed")
    assert verdict([statement("passed", obj="https://example.org/goals/g1")], sess, reg) is None


def test_statement_of_another_session_is_refused() -> None:
    assert verdict([statement("answered", session="old")]) == "session-mismatch"


def test_statement_of_another_actor_is_refused() -> None:
    other = statement("answered")
    other["actor"] = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "b"}}
    assert verdict([other]) == "actor-mismatch"


def test_nothing_after_terminated() -> None:
    assert verdict([statement("terminated"), statement("answered")]) == "after-terminated"
    sess, reg = launch()
    sess.terminated = True
    assert verdict([statement("answered")], sess, reg) == "after-terminated"


def test_a_replaced_session_is_refused() -> None:
    sess, reg = launch()
    reg.current = "s2"
    assert verdict([statement("answered")], sess, reg) == "session-not-current"


def test_a_stored_statement_sent_again_is_not_judged_again() -> None:
    sess, reg = launch()
    done = statement("completed")
    cmi5_rules.commit(sess, reg, [done], stored := set())
    assert verdict([done, statement("passed")], sess, reg, stored) is None


def test_a_malformed_statement_is_left_to_the_lrs() -> None:
    bad = statement("answered", session="old")
    assert cmi5_rules.well_formed(bad)
    bad["verb"]["id"] = "not an IRI"
    assert not cmi5_rules.well_formed(bad)
