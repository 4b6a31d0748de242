"""The document APIs (State, Agent Profile) of the tests' LMS, as strict as ADL's LRS
(standards.md §16, §17):

- GET answers the document with its ETag;
- PUT/POST answer 204 WITHOUT an ETag (an AU must GET again, or keep the tag it had);
- If-Match that is not the current ETag, or If-None-Match: * over an existing document,
  answers 412 (xAPI 1.0.3 Communication §3.1, RFC 7232);
- PUT over an existing document without any precondition header answers 409.

The store is plain data guarded by the LMS lock; the handler decides what to answer from
`write()`'s verdict."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha1(body).hexdigest()}"'


@dataclass(frozen=True)
class Verdict:
    status: int  # 204 stored; 412/409 refused
    requirement: str = ""  # why it was refused ("" when stored)


def precondition(method: str, current: bytes | None, if_match: str | None, if_none_match: str | None) -> Verdict:
    """The concurrency rule for a write over `current` (None: no document yet)."""
    if if_none_match is not None and if_none_match.strip() == "*" and current is not None:
        return Verdict(412, "If-None-Match: * but the document exists (xAPI 1.0.3 Communication §3.1)")
    if if_match is not None:
        tags = [t.strip() for t in if_match.split(",")]
        if current is None or ("*" not in tags and etag_of(current) not in tags):
            return Verdict(412, "If-Match does not match the current ETag (xAPI 1.0.3 Communication §3.1)")
    if method == "PUT" and current is not None and if_match is None and if_none_match is None:
        return Verdict(409, "PUT over an existing document without If-Match (standards.md §16)")
    return Verdict(204)


def merged(current: bytes | None, body: bytes) -> bytes:
    """POST merges JSON objects key by key (xAPI 1.0.3 Communication §1.3); anything else
    replaces."""
    if current is None:
        return body
    try:
        old, new = json.loads(current), json.loads(body)
    except ValueError:
        return body
    if isinstance(old, dict) and isinstance(new, dict):
        return json.dumps({**old, **new}).encode()
    return body
