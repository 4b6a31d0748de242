"""Where statements come from: an LRS over the xAPI statements API (following `more`), or
an export file (JSON lines, or one JSON array / `{"statements": [...]}` document).

Statements stream one at a time and every read is bounded: a JSON-lines export is read in
chunks and a line over the line limit is skipped and counted without ever being held whole;
a whole-document export or an LRS page has a size limit; every LRS request has a timeout and
the whole LRS read a deadline. Credentials go only to the endpoint's origin: a `more` link
elsewhere (or to a page already read) stops the read with an error, and redirects are never
followed."""

from __future__ import annotations

import base64
import http.client
import io
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO, Protocol, cast

import msgspec

from builder.report.statement import (
    ARRAY,
    PAGE,
    STATEMENT,
    VOIDING_MARK,
    Statement,
    check_run,
    decode_statement,
    problem,
    voided_by,
    what,
)

PAGE_SIZE = 500
CHUNK = 1 << 20
MB = 1_000_000


class SourceError(Exception):
    """Nothing can be read: an unreachable LRS, refused credentials, a missing file, an
    answer or document that breaks a limit or a rule. The message is one line."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what the report reads (the CLI sets the first and the last)."""

    line_bytes: int = 1 * MB          # a longer JSON line is skipped and counted
    document_bytes: int = 256 * MB    # a whole-document export or one LRS answer
    request_timeout: float = 60.0     # one LRS request, seconds
    timeout: float = 600.0            # the whole LRS read, seconds


@dataclass
class ReadStats:
    read: int = 0
    bad: int = 0
    pages: int = 0  # LRS answers fetched (progress)
    bad_examples: list[str] = field(default_factory=list)

    def reject(self, where: str, why: str) -> None:
        self.bad += 1
        if len(self.bad_examples) < 5:
            self.bad_examples.append(f"{where}: {why}")


class _Reader(Protocol):
    def read(self, size: int, /) -> bytes: ...


# A chunk and the lines split from it stay in the core's cache while they are decoded: a
# 64 KB chunk reads a million-statement export in a third of the time 1 MB chunks took.
CHUNK = 1 << 16
# What `line_runs` yields in place of a line over the limit (skipped, never held whole).
TOO_LONG: None = None
# Statements of a whole-document export handed to the fold at a time.
DOCUMENT_RUN = 1024


def _size(line: bytes) -> int:
    """A line's length without its newline."""
    return len(line) - 1 if line.endswith(b"\n") else len(line)


def line_runs(handle: _Reader, limit: int,
              needle: bytes = b"\n") -> Iterator[tuple[int, list[bytes | None], bool]]:
    """(lines before, the lines, whether `needle` is in them) for the whole lines of each
    chunk read, each with its newline (the last line of a file may have none), and TOO_LONG
    in place of every line over `limit` bytes. Each chunk is split once, with no copy of it
    (a line crossing a chunk's end is joined from its pieces), and memory stays within a
    chunk plus `limit` whatever the line lengths. The split is BytesIO's readlines, which
    finds each newline with memchr: half the time of bytes.split, which tests every byte."""
    number = 0
    pieces: list[bytes] = []  # the start of a line that goes on in the next chunk
    held = 0  # bytes in `pieces`
    skipping = False  # in a line over the limit: dropped up to its end
    while chunk := handle.read(CHUNK):
        run = cast("list[bytes | None]", io.BytesIO(chunk).readlines())
        rest = b""
        if not chunk.endswith(b"\n"):
            rest = cast(bytes, run.pop())  # after the chunk's last newline
        if run:
            marked = needle in chunk
            if skipping:
                run[0], skipping = TOO_LONG, False
            elif pieces:
                pieces.append(cast(bytes, run[0]))
                first = b"".join(pieces)
                pieces, held = [], 0
                run[0] = first if _size(first) <= limit else TOO_LONG
                marked = marked or needle in first
            if limit < CHUNK:  # else no line inside one chunk can be over the limit
                run = [line if line is None or _size(line) <= limit else TOO_LONG for line in run]
            yield number, run, marked
            number += len(run)
        if skipping or not rest:
            continue
        if held + len(rest) > limit:
            pieces, held, skipping = [], 0, True
        else:
            pieces.append(rest)
            held += len(rest)
    if skipping:
        yield number, [TOO_LONG], False
    elif pieces:
        last = b"".join(pieces)
        yield number, [last], needle in last


def _too_long(limit: int) -> str:
    return (f"line longer than the {limit / MB:g} MB limit, skipped: a statement is a few KB "
            "(raise --max-line-mb if the export really has statements this long)")


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the export ({exc.strerror}): "
                          "check STATEMENTS and the file's permissions") from None


def voided_ids(path: Path, limits: Limits = Limits()) -> set[str]:
    """Statements voided anywhere in an export file, read line by line (runs of lines
    without a voiding are skipped unparsed). A line that does not read here is left to the main read,
    which counts and reports it."""
    found: set[str] = set()
    if not path.is_file():
        return found
    try:
        handle = path.open("rb")
    except OSError:
        return found
    with handle:
        for _, run, marked in line_runs(handle, limits.line_bytes, VOIDING_MARK):
            if marked:
                for line in run:
                    if line is not None and VOIDING_MARK in line and (target := voided_by(line)):
                        found.add(target)
    return found


def from_file(path: Path, stats: ReadStats, limits: Limits = Limits(),
              voidings: set[str] | None = None) -> Iterator[Statement]:
    """The statements of an export, one by one (see `file_runs`)."""
    for run in file_runs(path, stats, limits, voidings):
        yield from run


def file_runs(path: Path, stats: ReadStats, limits: Limits = Limits(),
              voidings: set[str] | None = None) -> Iterator[list[Statement]]:
    """The statements of an export, in runs (a chunk's lines, or a whole document). With
    `voidings`, the ids voided in the file are added to it: as the lines go by for JSON lines
    (so the file is read once), up front for a whole document (a separate line-by-line pass,
    as `voided_ids`)."""
    if not path.is_file():
        raise SourceError(f"{path}: no such file: give STATEMENTS=<export file>")
    with _open(path) as handle:
        head = handle.read(4096)
    first = head.lstrip()[:1]
    if first == b"[" or (first == b"{" and b'"statements"' in head):
        if voidings is not None:
            voidings |= voided_ids(path, limits)
        # In runs of a bounded size: a document's statements are decoded as they are
        # folded, never all held at once.
        items = _document(path, stats, limits)
        while run := list(islice(items, DOCUMENT_RUN)):
            yield run
        return
    yield from line_statements(path, stats, limits, voidings)


class _Range:
    """A binary file read from `start` up to `stop`: `line_runs` sees the range as the file."""

    def __init__(self, handle: BinaryIO, start: int, stop: int | None) -> None:
        handle.seek(start)
        self.handle = handle
        self.left = stop - start if stop is not None else None

    def read(self, size: int) -> bytes:
        if self.left is None:
            return self.handle.read(size)
        data = self.handle.read(min(size, self.left))
        self.left -= len(data)
        return data


def line_start(path: Path, near: int) -> int:
    """The offset of the first line that starts at or after `near` (the file's size when
    none does): where a JSON-lines file can be cut in two without cutting a line."""
    with _open(path) as handle:
        if near <= 0:
            return 0
        handle.seek(near - 1)
        offset = near - 1
        while chunk := handle.read(CHUNK):
            found = chunk.find(b"\n")
            if found >= 0:
                return offset + found + 1
            offset += len(chunk)
        return offset


def line_statements(path: Path, stats: ReadStats, limits: Limits = Limits(),
                    voidings: set[str] | None = None, start: int = 0, stop: int | None = None,
                    lines_before: int = 0) -> Iterator[list[Statement]]:
    """The statements of a JSON-lines export, or of the lines from byte `start` (a line's
    start) to `stop` (the file's end, or a line's start), numbered after `lines_before`: one
    list a chunk read, which the fold takes whole (builder.report.aggregate.add_runs)."""
    # The hot path of a file read. A chunk's lines are decoded in one comprehension and their
    # actors and contexts checked in one pass (check_run); only a chunk where that fails (a
    # bad, blank or too long line), or that holds a voiding to collect, is gone through line
    # by line (decode_statement): so the statements, and the lines rejected, are those of a
    # line-by-line read.
    limit = limits.line_bytes
    decode = STATEMENT.decode
    failures = (msgspec.DecodeError, RecursionError, ValueError, TypeError)
    with _open(path) as handle:
        for before, run, marked in line_runs(_Range(handle, start, stop), limit, VOIDING_MARK):
            if not (marked and voidings is not None):
                try:
                    statements = [decode(line) for line in run]  # type: ignore[arg-type]
                    check_run(statements)
                except failures:
                    pass
                else:
                    stats.read += len(statements)
                    yield statements
                    continue
            yield _line_by_line(path, run, lines_before + before, stats, limit,
                                voidings if marked else None)


def _line_by_line(path: Path, run: list[bytes | None], number: int, stats: ReadStats,
                  limit: int, voidings: set[str] | None) -> list[Statement]:
    """A run's statements, each line on its own: a bad line is rejected with its number,
    blank lines are skipped, and voidings are collected into `voidings` when given."""
    decode = decode_statement
    statements = []
    for line in run:
        number += 1
        if line is None:
            stats.read += 1
            stats.reject(f"{path}:{number}", _too_long(limit))
            continue
        if voidings is not None and VOIDING_MARK in line and (target := voided_by(line)):
            voidings.add(target)
        # A blank line (bytes.isspace: the same ASCII whitespace strip removes), tested
        # without strip's copy of every line.
        if not line or line.isspace():
            continue
        stats.read += 1
        try:
            statements.append(decode(line))
        except (msgspec.DecodeError, RecursionError, ValueError) as exc:
            stats.reject(f"{path}:{number}", problem(exc))
    return statements


def _line_at(data: bytes, message: str) -> int:
    """The line of a decoding error whose message names a byte offset."""
    found = re.search(r"\(byte (\d+)\)", message)
    return data.count(b"\n", 0, int(found.group(1))) + 1 if found else 1


def _document(path: Path, stats: ReadStats, limits: Limits) -> Iterator[Statement]:
    """A whole-document export (an array, or an LRS page), read whole up to a size limit;
    each statement in it is decoded, and rejected, on its own."""
    size = path.stat().st_size
    if size > limits.document_bytes:
        raise SourceError(f"{path}:1: a {size / MB:.0f} MB JSON document is over the "
                          f"{limits.document_bytes / MB:g} MB limit for whole-document exports: "
                          "export JSON lines (one statement per line), which stream")
    with _open(path) as handle:
        data = handle.read()
    first = data.lstrip()[:1]
    try:
        items = ARRAY.decode(data) if first == b"[" else PAGE.decode(data).statements
    except (msgspec.DecodeError, RecursionError, ValueError) as exc:
        raise SourceError(f"{path}:{_line_at(data, str(exc))}: not a statement export ({what(exc)}): "
                          "give a JSON array of statements, a {\"statements\": [...]} document, "
                          "or JSON lines") from None
    decode = decode_statement
    position, line = 0, 1
    for item in items:
        stats.read += 1
        try:
            yield decode(item)
        except (msgspec.DecodeError, RecursionError, ValueError) as exc:
            raw = bytes(memoryview(item))
            start = data.find(raw, position)
            if start >= 0:
                line += data.count(b"\n", position, start)
                position = start
            stats.reject(f"{path}:{line}", problem(exc))


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: what may receive the credentials (RFC 6454 §4)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def from_lrs(endpoint: str, username: str, password: str, activity: str, stats: ReadStats,
             since: str | None = None, until: str | None = None,
             limits: Limits = Limits()) -> Iterator[Statement]:
    """GET statements about the course (`related_activities` brings in modules, goals and
    questions), oldest first, following `more` to the end (xAPI Communication §2.1.3)."""
    base = endpoint if endpoint.endswith("/") else endpoint + "/"
    home = origin(base)
    if home[0] not in ("http", "https") or not home[1] or home[2] == -1:
        raise SourceError(f"{endpoint}: not an http(s) address: set LRS_ENDPOINT to the LRS's "
                          "xAPI endpoint, e.g. https://lrs.example.org/xapi/")
    params = {"activity": activity, "related_activities": "true", "ascending": "true",
              "limit": str(PAGE_SIZE)}
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    url = f"{base}statements?{urllib.parse.urlencode(params)}"
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    root = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(base))
    deadline = time.monotonic() + limits.timeout
    seen: set[str] = set()
    decode = decode_statement
    while True:
        seen.add(url)
        body = _get(url, token, base, deadline, limits)
        stats.pages += 1
        try:
            page = PAGE.decode(body)
        except (msgspec.DecodeError, RecursionError, ValueError) as exc:
            raise SourceError(f"{base}: the LRS's answer is not a statement result ({what(exc)}): "
                              "is LRS_ENDPOINT the xAPI endpoint?") from None
        for index, item in enumerate(page.statements):
            stats.read += 1
            try:
                yield decode(item)
            except (msgspec.DecodeError, RecursionError, ValueError) as exc:
                stats.reject(f"{url} #{index}", problem(exc))
        if not page.more:
            return
        # `more` is relative to the LRS's root; wherever it resolves, it must stay on the
        # endpoint's origin, or the credentials would go to whoever it names.
        following = urllib.parse.urljoin(root, page.more)
        if origin(following) != home:
            raise SourceError(f"{base}: the LRS's `more` link {page.more!r} leaves {root}; "
                              "credentials go only to LRS_ENDPOINT's origin: fix the LRS's "
                              "public address setting, or set LRS_ENDPOINT to where it points")
        if following in seen:
            raise SourceError(f"{base}: the LRS's `more` link {page.more!r} names a page already "
                              "read, so following it would never end: report the loop to the "
                              "LRS's administrator")
        url = following


def _get(url: str, token: str, base: str, deadline: float, limits: Limits) -> bytes:
    """One GET, within the request timeout and the overall deadline, never following a
    redirect (it would carry the credentials), the body capped at the document limit."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise SourceError(f"{base}: the LRS read took longer than --timeout "
                          f"{limits.timeout:g} s: raise --timeout, or narrow with --since/--until")
    budget = min(limits.request_timeout, left)
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    conn: http.client.HTTPConnection = (
        http.client.HTTPSConnection(host, timeout=budget, context=ssl.create_default_context())
        if parts.scheme == "https" else http.client.HTTPConnection(host, timeout=budget))
    # A socket timeout bounds each wait, not a whole answer that trickles in byte by byte:
    # this timer cuts the connection when the request's time is up.
    expired = threading.Event()
    timer = threading.Timer(budget, _cut, (conn, expired))
    timer.daemon = True
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        timer.start()
        conn.request("GET", target, headers={"Authorization": f"Basic {token}",
                                             "X-Experience-API-Version": "1.0.3"})
        resp = conn.getresponse()
        if 300 <= resp.status < 400:
            raise SourceError(f"{base}: the LRS redirects ({resp.status}) to "
                              f"{resp.getheader('Location', '?')}; redirects are not followed "
                              "with credentials: set LRS_ENDPOINT to the final address")
        if resp.status in (401, 403):
            raise SourceError(f"{base}: the LRS refused the credentials ({resp.status}): "
                              "check LRS_USERNAME and LRS_PASSWORD")
        if resp.status != 200:
            raise SourceError(f"{base}: the LRS answered {resp.status} {resp.reason}: "
                              "check LRS_ENDPOINT (it ends with the xAPI base, e.g. .../xAPI/)")
        body = bytearray()
        while piece := resp.read1(CHUNK):
            body += piece
            if len(body) > limits.document_bytes:
                raise SourceError(f"{base}: an LRS answer is over {limits.document_bytes / MB:g} MB: "
                                  "is LRS_ENDPOINT the xAPI endpoint?")
        if expired.is_set():
            raise OSError("cut")
        return bytes(body)
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set():
            limit = ("--timeout" if budget < limits.request_timeout else "the request timeout")
            raise SourceError(f"{base}: the LRS did not answer within {budget:g} s ({limit}): "
                              "check that the LRS is healthy, or raise --timeout") from None
        reason = getattr(err, "reason", None) or err
        raise SourceError(f"{base}: cannot reach the LRS ({reason}): check LRS_ENDPOINT and "
                          "that the LRS is running") from None
    finally:
        timer.cancel()
        conn.close()


def _cut(conn: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: the request finished as time ran out
