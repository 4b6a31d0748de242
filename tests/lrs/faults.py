"""Misbehaviour a test asks of the LMS for some requests: a delay (a slow LMS), an error
status instead of an answer (an LRS down for one learner, a fetch URL that fails, an LRS
that refuses one statement)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fault:
    path: str  # request path prefix: "/fetch/", "/xapi/statements", "/xapi/activities/state"
    method: str | None = None  # None: any method
    status: int | None = None  # answer this status instead of handling; None: only delay
    delay: float = 0.0  # seconds to wait first
    session: str | None = None  # only requests made with this launch's token
    # Only statement batches holding the FIRST statement this picks (then every batch that
    # holds that same statement again): "the LRS refuses one statement".
    statement: Callable[[dict[str, Any]], bool] | None = None
    pinned: str | None = None  # the id of that statement, once seen
    hits: list[str] = field(default_factory=list)  # the paths it answered or delayed

    def matches(self, method: str, path: str, session: str | None, batch: list[dict[str, Any]]) -> bool:
        if not path.startswith(self.path) or (self.method and self.method != method):
            return False
        if self.session is not None and self.session != session:
            return False
        if self.statement is None:
            return True
        ids = [s.get("id") for s in batch]
        if self.pinned is None:
            picked = [s for s in batch if self.statement(s)]
            if not picked:
                return False
            self.pinned = picked[0].get("id")
        return self.pinned in ids
