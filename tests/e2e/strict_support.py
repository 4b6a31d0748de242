"""Helpers for the tests against the strict test LMS (issue 8): what it refused, what it
received, bounded waits. (The `faults` fixture is in conftest.py.)"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from tests.e2e.xapi_support import stored, verbs
from tests.lrs.cmi5_rules import SESSION_EXT as SESSION
from tests.lrs.lms import LmsState
from tests.lrs.server import Lrs

T = TypeVar("T")


def refusals(state: LmsState, registration: str) -> list[dict[str, Any]]:
    """Every refusal the LMS recorded for requests about this registration (made with one of
    its sessions' tokens, or carrying a statement of one of its sessions)."""
    with state.lock:
        sessions = {s.session for s in state.sessions.values() if s.registration == registration}
        return [r for r in state.rejections
                if r["registration"] == registration or r["statement_session"] in sessions]


def document_refusals(state: LmsState, registration: str) -> list[dict[str, Any]]:
    return [r for r in refusals(state, registration) if r["resource"] != "statements"]


def wait_until(probe: Callable[[], T], timeout: float, every: float = 0.2) -> T:
    """`probe()` until it is truthy or `timeout` seconds passed; its last value either way."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def of_session(statements: list[dict[str, Any]], session: str) -> list[dict[str, Any]]:
    return [s for s in statements if (s.get("context") or {}).get("extensions", {}).get(SESSION) == session]


def session_verbs(lrs: Lrs, who: dict[str, Any], session: str) -> list[str]:
    return verbs(of_session(stored(lrs, who), session))


def wait_for_verb(lrs: Lrs, who: dict[str, Any], session: str, verb: str, timeout: float) -> list[str]:
    """The verbs the LRS holds for that session, once `verb` is among them or after `timeout`."""
    wait_until(lambda: verb in session_verbs(lrs, who, session), timeout)
    return session_verbs(lrs, who, session)
