"""A small in-memory LMS + LRS for the live preview, so cmi5 and Tin Can modules run as they
would in production and the author sees every statement they send.

It speaks just enough xAPI 1.0.3 for the runtime: statements (POST/PUT/GET with the common
filters), the State and Agent Profile documents with ETags and concurrency checks (xAPI
Communication §2.2, §2.3), and cmi5's launch (a one-time token behind the fetch URL,
LMS.LaunchData; cmi5 §8, §10). It is a preview aid, never a store: everything is lost on
exit, and "reset learner" empties it. It listens on loopback only (the preview server's).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
PREVIEW_HOME = "https://preview.invalid"
# A fixed, meaningless credential: the preview LRS only answers on loopback.
PREVIEW_AUTH = "Basic " + base64.b64encode(b"preview:preview").decode()


@dataclass
class Reply:
    status: int
    body: bytes = b""
    kind: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, doc: Any) -> Reply:
    return Reply(status, json.dumps(doc).encode())


def learner() -> dict[str, Any]:
    return {"objectType": "Agent", "name": "Preview Learner",
            "account": {"homePage": PREVIEW_HOME, "name": "preview-learner"}}


class PreviewLrs:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statements: list[dict[str, Any]] = []
        self.documents: dict[tuple[str, ...], bytes] = {}
        self.tokens: dict[str, bool] = {}  # fetch id -> already used
        self.registrations: dict[str, str] = {}  # format/module -> registration

    def reset(self) -> None:
        with self.lock:
            self.statements.clear()
            self.documents.clear()
            self.tokens.clear()
            self.registrations.clear()

    # --- launching ---------------------------------------------------------------------

    def _registration(self, key: str) -> str:
        # One registration per module and format, kept until reset: relaunching (a reload
        # after a save) resumes the same attempt, as returning to an LMS would.
        return self.registrations.setdefault(key, str(uuid.uuid4()))

    def launch_query(self, fmt: str, activity_id: str, base: str, module: str,
                     mastery: float, move_on: str = "CompletedAndPassed") -> str:
        """The query string an LMS would add to the module's URL for this format."""
        agent = json.dumps(learner())
        with self.lock:
            registration = self._registration(f"{fmt}/{module}")
        if fmt == "xapi":
            return urllib.parse.urlencode({"endpoint": f"{base}/lrs/", "auth": PREVIEW_AUTH,
                                           "actor": agent, "registration": registration,
                                           "activity_id": activity_id})
        session = str(uuid.uuid4())
        launch = {"contextTemplate": {"extensions": {CMI5_SESSION: session}},
                  "launchMode": "Normal", "moveOn": move_on,
                  "masteryScore": mastery, "returnURL": f"{base}/"}
        fetch_id = uuid.uuid4().hex
        with self.lock:
            self.documents[self._state_key({"activityId": activity_id, "agent": agent,
                                            "registration": registration,
                                            "stateId": "LMS.LaunchData"})] = json.dumps(launch).encode()
            self.documents[self._key("agents/profile", {"agent": agent,
                                                        "profileId": "cmi5LearnerPreferences"})] = \
                json.dumps({"languagePreference": "en-US", "audioPreference": "off"}).encode()
            self.tokens[fetch_id] = False
        return urllib.parse.urlencode({"endpoint": f"{base}/lrs/", "fetch": f"{base}/fetch/{fetch_id}",
                                       "actor": agent, "registration": registration,
                                       "activityId": activity_id})

    def fetch(self, fetch_id: str) -> Reply:
        """cmi5 §8.2: the token is handed out once."""
        with self.lock:
            used = self.tokens.get(fetch_id)
            if used is None or used:
                return _json(200, {"error-code": "1", "error-text": "already used or unknown"})
            self.tokens[fetch_id] = True
        return _json(200, {"auth-token": PREVIEW_AUTH.split(" ", 1)[1]})

    # --- xAPI --------------------------------------------------------------------------

    def handle(self, method: str, resource: str, query: dict[str, str], body: bytes,
               headers: dict[str, str]) -> Reply:
        if headers.get("authorization") != PREVIEW_AUTH:
            return _json(401, {"error": "unauthorized"})
        if resource == "statements":
            return self._statements(method, query, body)
        if resource in ("activities/state", "agents/profile", "activities/profile"):
            return self._document(method, resource, query, body, headers)
        if resource == "about":
            return _json(200, {"version": ["1.0.3"]})
        return _json(404, {"error": f"no resource {resource}"})

    def _statements(self, method: str, query: dict[str, str], body: bytes) -> Reply:
        if method == "GET":
            with self.lock:
                found = [s for s in self.statements if _matches(s, query)]
            return _json(200, {"statements": found, "more": ""})
        try:
            doc = json.loads(body or b"null")
        except (ValueError, RecursionError):  # RecursionError: hostile nesting
            return _json(400, {"error": "body is not JSON"})
        batch = doc if isinstance(doc, list) else [doc]
        if not all(isinstance(s, dict) for s in batch):
            return _json(400, {"error": "statements must be objects"})
        if method == "PUT" and "statementId" in query:
            batch = [{**batch[0], "id": query["statementId"]}]
        with self.lock:
            known = {s.get("id") for s in self.statements}
            for s in batch:
                s.setdefault("id", str(uuid.uuid4()))
                if s["id"] not in known:  # idempotent re-sends (xAPI §2.1.3)
                    self.statements.append(s)
        if method == "PUT":
            return Reply(204)
        return _json(200, [s["id"] for s in batch])

    @staticmethod
    def _state_key(query: dict[str, str]) -> tuple[str, ...]:
        agent = query.get("agent", "")
        return ("state", query.get("activityId", ""), hashlib.sha256(agent.encode()).hexdigest(),
                query.get("registration", ""), query.get("stateId", ""))

    def _key(self, resource: str, query: dict[str, str]) -> tuple[str, ...]:
        if resource == "activities/state":
            return self._state_key(query)
        return (resource, query.get("activityId", ""), query.get("agent", ""),
                query.get("profileId", ""))

    def _document(self, method: str, resource: str, query: dict[str, str], body: bytes,
                  headers: dict[str, str]) -> Reply:
        key = self._key(resource, query)
        with self.lock:
            current = self.documents.get(key)
            etag = f'"{hashlib.sha1(current).hexdigest()}"' if current is not None else None
            if method == "GET":
                if current is None:
                    return Reply(404)
                return Reply(200, current, headers={"ETag": etag or ""})
            if method == "DELETE":
                self.documents.pop(key, None)
                return Reply(204)
            if_match, if_none = headers.get("if-match"), headers.get("if-none-match")
            if (if_match and if_match != etag) or (if_none == "*" and current is not None):
                return Reply(412)
            self.documents[key] = body
            return Reply(204, headers={"ETag": f'"{hashlib.sha1(body).hexdigest()}"'})

    def recorded(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.statements)


def _matches(statement: dict[str, Any], query: dict[str, str]) -> bool:
    verb = query.get("verb")
    if verb and statement.get("verb", {}).get("id") != verb:
        return False
    registration = query.get("registration")
    if registration and statement.get("context", {}).get("registration") != registration:
        return False
    activity = query.get("activity")
    return not activity or statement.get("object", {}).get("id") == activity


__all__ = ["PREVIEW_AUTH", "PreviewLrs", "Reply", "learner"]
