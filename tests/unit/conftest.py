"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.unit.fake_lrs import Respond, Server


@pytest.fixture
def serve() -> Iterator[Callable[[Respond], Server]]:
    """Start fake LRSs (tests.unit.fake_lrs) for one test; all are stopped after it."""
    started: list[Server] = []

    def start(respond: Respond) -> Server:
        started.append(Server(respond))
        return started[-1]

    yield start
    for server in started:
        server.close()
