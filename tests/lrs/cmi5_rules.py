"""The cmi5 session rules the tests' LMS enforces on what an AU sends, like the LRS proxy
of ADL's CATAPULT player (standards.md §17). A refusal is a 403 carrying the rule it broke:

- `second-completed` / `second-passed`: an AU sends `completed` and `passed` at most once
  per registration (cmi5 §9.3.3, §9.3.4);
- `session-mismatch`: every AU statement carries the session id of the launch whose token
  sends it (cmi5 §9.6.3.1; a token belongs to one session);
- `actor-mismatch`: the actor is the launch's learner (cmi5 §9.2);
- `session-not-current`: a later launch of the registration replaced that session (the
  LMS recorded it as abandoned, cmi5 §9.3.6);
- `after-terminated`: nothing after the session's `terminated` (cmi5 §9.3.8).

The checks are pure: they return the refusal, if any; `commit()` records what the real LRS
stored. A batch holding a statement that is not even well-formed xAPI goes to the LRS
unjudged, so its 400 reaches the AU as from any LRS."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
ONCE = {"http://adlnet.gov/expapi/verbs/completed": "completed",
        "http://adlnet.gov/expapi/verbs/passed": "passed"}
TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"


@dataclass
class Session:
    """One launch: its one-time token's session."""

    session: str
    registration: str
    activity_id: str
    actor: dict[str, Any]
    terminated: bool = False


@dataclass
class Registration:
    current: str  # the session of the latest launch
    activity_id: str
    once: set[str] = field(default_factory=set)  # "completed" / "passed" already stored


@dataclass(frozen=True)
class Refusal:
    requirement: str
    statement: dict[str, Any] | None = None


def verb_name(statement: dict[str, Any]) -> str:
    return str(statement.get("verb", {}).get("id", "")).rsplit("/", 1)[-1]


def session_of(statement: dict[str, Any]) -> str | None:
    ext = (statement.get("context") or {}).get("extensions") or {}
    return ext.get(SESSION_EXT)


def same_actor(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def key(x: dict[str, Any]) -> str:
        ident = {k: x[k] for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in x}
        return json.dumps(ident, sort_keys=True)

    return key(a) == key(b)


def well_formed(statement: dict[str, Any]) -> bool:
    """Enough of an xAPI statement to judge it by the cmi5 rules: an actor, and absolute
    IRIs for verb and object. Anything less is left to the LRS, whose 400 says what is
    wrong with it (xAPI 1.0.3 Data §2.2)."""
    def iri(value: object) -> bool:
        return isinstance(value, str) and bool(urlsplit(value).scheme) and " " not in value

    return (isinstance(statement.get("actor"), dict) and iri((statement.get("verb") or {}).get("id"))
            and iri((statement.get("object") or {}).get("id")))


def check_write(sess: Session, reg: Registration) -> Refusal | None:
    """Any write (statements, State documents) made with a session's token."""
    if sess.terminated:
        return Refusal("after-terminated")
    if reg.current != sess.session:
        return Refusal("session-not-current")
    return None


def check_statements(sess: Session, reg: Registration, batch: list[dict[str, Any]],
                     stored_ids: set[str]) -> Refusal | None:
    """The first rule the batch breaks, in order, or None. Statements already stored (same
    id, an idempotent re-send) are not judged again."""
    refusal = check_write(sess, reg)
    if refusal:
        return Refusal(refusal.requirement, batch[0] if batch else None)
    once = set(reg.once)
    terminated = False
    for s in batch:
        if s.get("id") in stored_ids:
            continue
        if terminated:
            return Refusal("after-terminated", s)
        if session_of(s) != sess.session:
            return Refusal("session-mismatch", s)
        if not same_actor(s.get("actor") or {}, sess.actor):
            return Refusal("actor-mismatch", s)
        verb = s.get("verb", {}).get("id")
        kind = ONCE.get(verb or "")
        if kind and (s.get("object") or {}).get("id") == reg.activity_id:
            if kind in once:
                return Refusal(f"second-{kind}", s)
            once.add(kind)
        if verb == TERMINATED:
            terminated = True
    return None


def commit(sess: Session, reg: Registration, batch: list[dict[str, Any]], stored_ids: set[str]) -> None:
    """What the LMS remembers once the LRS stored the batch."""
    for s in batch:
        if s.get("id") in stored_ids:
            continue
        if s.get("id"):
            stored_ids.add(str(s["id"]))
        kind = ONCE.get(s.get("verb", {}).get("id") or "")
        if kind and (s.get("object") or {}).get("id") == reg.activity_id:
            reg.once.add(kind)
        if s.get("verb", {}).get("id") == TERMINATED:
            sess.terminated = True
