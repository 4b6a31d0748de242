"""Progress on long work (a build over many modules, a report over millions of statements):
one line on the terminal, rewritten in place, and nothing at all when the output is not a
terminal (CI logs, pipes, cron mail) or the user asked for `--quiet`."""

from __future__ import annotations

import sys
import time
from typing import TextIO

MIN_INTERVAL = 0.1  # seconds between redraws: often enough to look alive, cheap to print


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = False) -> None:
        self.stream = stream
        self.enabled = enabled and stream is not None
        self.started = time.perf_counter()
        self.last = 0.0
        self.width = 0

    @classmethod
    def for_terminal(cls, quiet: bool = False, stream: TextIO | None = None) -> Progress:
        out = stream if stream is not None else sys.stderr
        return cls(out, enabled=not quiet and out.isatty())

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def show(self, text: str, force: bool = False) -> None:
        """Redraw the line (at most every MIN_INTERVAL unless `force`)."""
        if not self.enabled or self.stream is None:
            return
        now = time.perf_counter()
        if not force and now - self.last < MIN_INTERVAL:
            return
        self.last = now
        line = f"{text} [{self.elapsed():.1f} s]"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def stage(self, name: str, done: int | None = None, total: int | None = None) -> None:
        count = "" if done is None else f" {done}/{total}" if total else f" {done:,}"
        self.show(f"{name}{count}", force=done is None or done == total)

    def finish(self) -> None:
        """Clear the progress line so the summary that follows starts clean."""
        if self.enabled and self.stream is not None and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


QUIET = Progress()

__all__ = ["QUIET", "Progress"]
