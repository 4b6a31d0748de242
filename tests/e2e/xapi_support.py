"""Helpers for the xAPI browser tests: launching through each path and reading back what
the real LRS stored."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from typing import Any

from tests.e2e.learner import Learner
from tests.lrs.lms import LmsState, actor, cmi5_launch
from tests.lrs.server import BASIC, Lrs

COURSE = "https://example.org/xapi/courses/cpom"
HOME = "https://lms.example.org"


def new_learner() -> dict[str, Any]:
    return actor(f"learner-{uuid.uuid4().hex[:10]}", HOME)


def launch_cmi5(page, base_url: str, state: LmsState, module_id: str, who: dict[str, Any],
                correct: bool = True, registration: str | None = None, **kw: Any) -> tuple[Learner, dict[str, Any]]:
    url, facts = cmi5_launch(state, base_url, "cpom-cmi5", f"{module_id}/index.html",
                             f"{COURSE}/modules/{module_id}", who, registration=registration, **kw)
    learner = Learner(page, module_id, correct=correct)
    learner.open(url)
    return learner, facts


def launch_tincan(page, base_url: str, module_id: str, who: dict[str, Any], registration: str,
                  correct: bool = True) -> Learner:
    query = urllib.parse.urlencode({"endpoint": f"{base_url}/xapi/", "auth": BASIC,
                                    "actor": json.dumps(who), "registration": registration})
    page.goto(f"{base_url}/pkg/cpom-xapi/index.html?{query}")
    page.locator(f'a[href^="{module_id}/index.html"]').click()
    learner = Learner(page, module_id, correct=correct)
    learner.wait_ready()
    return learner


def stored(lrs: Lrs, who: dict[str, Any]) -> list[dict[str, Any]]:
    return lrs.statements(agent=json.dumps({"account": who["account"]}))


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def wait_delivered(page, frame=None) -> None:
    """Until the page's xAPI queue is empty (everything confirmed by the LRS)."""
    target = frame or page.main_frame
    target.wait_for_function("() => { const r = window.CPOM && CPOM.runtime && CPOM.runtime.reporter;"
                             " return r && r.sender.queue.length === 0 && !r.sender.busy; }", timeout=60000)


def wait_stored(lrs: Lrs, who: dict[str, Any], verb: str, timeout: float = 10.0) -> list[dict[str, Any]]:
    """What the LRS stored for `who`, once it holds a `verb` statement (or `timeout` seconds
    passed): for pages that are gone, whose queue cannot be watched."""
    deadline = time.monotonic() + timeout
    while True:
        statements = stored(lrs, who)
        if verb in verbs(statements) or time.monotonic() > deadline:
            return statements
        time.sleep(0.2)
