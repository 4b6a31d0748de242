"""The serial stages of a report (loading the course, the tables, the files) split between
this process and a forked child (builder.forked.map_in_two), unless the report is kept to
one process: CPOM_REPORT_WORKERS=1, or a single core (builder.report.parallel.worker_count),
where a child would only compete for the same core."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from builder.forked import map_in_two
from builder.report.parallel import worker_count

T = TypeVar("T")
R = TypeVar("R")


def in_two(work: Callable[[T], R], items: list[T],
           meanwhile: Callable[[], object] | None = None) -> list[R]:
    """`[work(item) for item in items]`, as map_in_two does it (`meanwhile` is called only
    when a child works too)."""
    if worker_count() < 2:
        return [work(item) for item in items]
    return map_in_two(work, items, meanwhile)
