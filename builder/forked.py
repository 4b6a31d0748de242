"""Work split between this process and one forked child, for CPU-bound stages of a build.

Python runs one thread of Python code at a time, so a second core only helps from a second
process. A forked child starts with everything this process has imported and loaded
(nothing is pickled on the way in); only its result comes back, pickled. Where fork is
missing (Windows, macOS's default), other threads run, or the child fails in any way, the work is done here
instead, so the result never depends on whether a second process ran.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    """Whether a child may be forked: the platform has fork, and this process runs no other
    thread (a lock another thread holds at the fork, in the allocator, a logger or a
    stream, stays held forever in the child: the live preview's server threads, a test
    runner's)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _child(conn: Connection, work: Callable[[T], R], share: T) -> None:
    try:
        conn.send(work(share))
    except BaseException:  # any failure: the parent does the work itself
        pass
    finally:
        conn.close()


def split_work(work: Callable[[T], R], here: T, there: T) -> tuple[R, R]:
    """`(work(here), work(there))`, the second computed by a forked child while this
    process computes the first. If the child cannot be started or gives no result (an
    exception, a crash), this process computes it too: a bug then raises here, with its
    traceback, as it would without the child."""
    if not can_fork():
        return work(here), work(there)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, work, there), daemon=True)
    # Unwritten output would otherwise be written twice: by this process and by the child.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    # Frozen objects are left alone by the collector: the child's collections then do not
    # write to (and so copy) every memory page the two processes share after the fork.
    gc.freeze()
    try:
        child.start()
    except OSError:  # no process left to fork (a limit): do it all here
        receive.close()
        return work(here), work(there)
    finally:
        gc.unfreeze()
        send.close()
    try:
        mine = work(here)
        try:
            theirs: R = receive.recv()
        except (EOFError, OSError, pickle.UnpicklingError):  # the child failed or died
            # Do its share here: the same result, or the same exception with its traceback.
            theirs = work(there)
        child.join()
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
            child.join()
    return mine, theirs


__all__ = ["can_fork", "cores", "split_work"]
