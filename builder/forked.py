"""Work split between this process and one forked child, for CPU-bound stages of a build.

Python runs one thread of Python code at a time, so a second core only helps from a second
process. A forked child starts with everything this process has imported and loaded
(nothing is pickled on the way in); only its result comes back, pickled. Where fork is
missing or unsafe (Windows, macOS), other threads run, or the child fails in any way, the
work is done here instead, so the result never depends on whether a second process ran.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    """Whether a child may be forked: on Linux (macOS has fork, but system libraries there
    may crash in a forked child, which is why Python stopped forking by default there), and
    when this process runs no other thread (a lock another thread holds at the fork, in the
    allocator, a logger or a stream, stays held forever in the child: the live preview's
    server threads, a test runner's)."""
    return (sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


_INDEX = struct.Struct("<I")  # 4 bytes: reads of up to PIPE_BUF (512) bytes are atomic
_MAX_ITEMS = 16_000  # indexes that fit a pipe's buffer (64 KiB on Linux) before any is read


def _take(tickets: int) -> int | None:
    """The next index from the shared pipe, or None when every item is taken. Each read of
    4 bytes is atomic (POSIX: at most PIPE_BUF), so each index goes to exactly one process."""
    data = os.read(tickets, _INDEX.size)
    return _INDEX.unpack(data)[0] if data else None


def _work_through(tickets: int, work: Callable[[T], R], items: list[T]) -> list[tuple[int, R]]:
    done: list[tuple[int, R]] = []
    while (n := _take(tickets)) is not None:
        done.append((n, work(items[n])))
    return done


def _child(conn: Connection, tickets: int, work: Callable[[T], R], items: list[T]) -> None:
    try:
        conn.send(_work_through(tickets, work, items))
    except BaseException:  # any failure: the parent does the items this child took
        pass
    finally:
        conn.close()


def map_in_two(
    work: Callable[[T], R], items: list[T], meanwhile: Callable[[], object] | None = None
) -> list[R]:
    """`[work(item) for item in items]`, the items handed out one at a time, in order, to
    this process and a forked child, whichever is free first: the two finish together
    however fast each runs. This process first calls `meanwhile` (other work of its own,
    done while the child starts on the items; not called when there is no child). Items
    the child took but gave no result for (an exception, a crash) are worked here: a bug
    then raises here, with its traceback, as it would without the child."""
    if not can_fork() or not 2 <= len(items) <= _MAX_ITEMS:
        return [work(item) for item in items]
    context = multiprocessing.get_context("fork")
    tickets, dispenser = os.pipe()
    try:
        os.write(dispenser, b"".join(_INDEX.pack(n) for n in range(len(items))))
    finally:
        os.close(dispenser)  # so a read of the emptied pipe returns nothing instead of waiting
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, tickets, work, items), daemon=True)
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
        os.close(tickets)
        receive.close()
        return [work(item) for item in items]
    finally:
        gc.unfreeze()
        send.close()
    answered = False
    try:
        if meanwhile is not None:
            meanwhile()
        results = dict(_work_through(tickets, work, items))
        try:
            theirs: list[tuple[int, R]] = receive.recv()
            answered = True
        except (EOFError, OSError, pickle.UnpicklingError):  # the child failed or died
            theirs = []
        results.update(theirs)
    finally:
        os.close(tickets)
        receive.close()
        # A child that answered only has to exit: it is not waited for (its address space
        # takes a few ms to tear down); multiprocessing reaps it at the next start or at exit.
        if not answered:
            if child.is_alive():
                child.kill()
            child.join()
    # What the child took and did not give back is done here: the same result, or the same
    # exception with its traceback.
    return [results[n] if n in results else work(item) for n, item in enumerate(items)]


__all__ = ["can_fork", "cores", "map_in_two"]
