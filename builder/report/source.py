"""Where statements come from: an LRS over the xAPI statements API (following `more`), or
an export file (JSON lines, or one JSON array / `{"statements": [...]}` document).
Statements stream one at a time, so memory does not grow with the export."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.report.statement import Statement

PAGE = 500


class SourceError(Exception):
    """Nothing can be read: an unreachable LRS, refused credentials, a missing file."""


@dataclass
class ReadStats:
    read: int = 0
    bad: int = 0
    bad_examples: list[str] = field(default_factory=list)

    def reject(self, where: str, why: str) -> None:
        self.bad += 1
        if len(self.bad_examples) < 5:
            self.bad_examples.append(f"{where}: {why}")


def _short(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc']) or 'statement'}: {err['msg']}"


def from_file(path: Path, stats: ReadStats) -> Iterator[Statement]:
    if not path.is_file():
        raise SourceError(f"{path}: no such file: give STATEMENTS=<export file>")
    with path.open("rb") as handle:
        first = handle.read(1)
        while first in (b" ", b"\n", b"\r", b"\t"):
            first = handle.read(1)
    if first in (b"[", b"{"):
        with path.open("rb") as handle:
            head = handle.read(4096)
        if first == b"[" or b'"statements"' in head:
            yield from _document(path, stats)
            return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            stats.read += 1
            try:
                yield Statement.model_validate_json(line)
            except ValidationError as exc:
                stats.reject(f"{path}:{number}", _short(exc))


def _document(path: Path, stats: ReadStats) -> Iterator[Statement]:
    """A whole-document export (an array, or an LRS page). Loaded at once: for large
    exports prefer JSON lines, which stream."""
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}): export one statement per line") from None
    items = data["statements"] if isinstance(data, dict) else data
    for index, item in enumerate(items):
        stats.read += 1
        try:
            yield Statement.model_validate(item)
        except ValidationError as exc:
            stats.reject(f"{path}: statement {index}", _short(exc))


def from_lrs(endpoint: str, username: str, password: str, activity: str, stats: ReadStats,
             since: str | None = None, until: str | None = None) -> Iterator[Statement]:
    """GET statements about the course (`related_activities` brings in modules, goals and
    questions), oldest first, following `more` to the end (xAPI Communication §2.1.3)."""
    base = endpoint if endpoint.endswith("/") else endpoint + "/"
    params = {"activity": activity, "related_activities": "true", "ascending": "true",
              "limit": str(PAGE)}
    if since:
        params["since"] = since
    if until:
        params["until"] = until
    url: str | None = f"{base}statements?{urllib.parse.urlencode(params)}"
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(base))
    while url:
        body = _get(url, token, base)
        for index, item in enumerate(body.get("statements", [])):
            stats.read += 1
            try:
                yield Statement.model_validate(item)
            except ValidationError as exc:
                stats.reject(f"{url} #{index}", _short(exc))
        more = body.get("more")
        url = urllib.parse.urljoin(origin, more) if more else None


def _get(url: str, token: str, base: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}",
                                                   "X-Experience-API-Version": "1.0.3"})
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        if err.code in (401, 403):
            raise SourceError(f"{base}: the LRS refused the credentials ({err.code}): "
                              "check LRS_USERNAME and LRS_PASSWORD") from None
        raise SourceError(f"{base}: the LRS answered {err.code} {err.reason}: "
                          "check LRS_ENDPOINT (it ends with the xAPI base, e.g. .../xAPI/)") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise SourceError(f"{base}: cannot reach the LRS ({reason}): check LRS_ENDPOINT and "
                          "that the LRS is running") from None
    except json.JSONDecodeError:
        raise SourceError(f"{base}: the answer is not JSON: is LRS_ENDPOINT the xAPI endpoint?") from None
