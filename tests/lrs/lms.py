"""The tests' LMS side for xAPI launches, on one loopback origin with the packages:

- serves the unpacked packages and the test pages (static files);
- cmi5 (cmi5 §8-11): creates registrations and launch URLs, writes `LMS.LaunchData`,
  serves learner preferences, issues one-time fetch tokens;
- implements the State and Agent Profile APIs the real LRS lacks (with ETags);
- passes every other xAPI request (statements, about) through to the real LRS unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.lrs.server import BASIC

CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


@dataclass
class LmsState:
    lrs_endpoint: str  # the real LRS, e.g. http://127.0.0.1:1234/xAPI/
    documents: dict[tuple[str, ...], bytes] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # fetch id -> {token, used}
    lock: threading.Lock = field(default_factory=threading.Lock)

    def state_key(self, q: dict[str, str]) -> tuple[str, ...]:
        agent = json.dumps(json.loads(q.get("agent", "{}")), sort_keys=True)
        return ("state", q.get("activityId", ""), agent, q.get("registration", ""), q.get("stateId", ""))

    def profile_key(self, q: dict[str, str]) -> tuple[str, ...]:
        agent = json.dumps(json.loads(q.get("agent", "{}")), sort_keys=True)
        return ("profile", agent, q.get("profileId", ""))


def actor(name: str, home: str = "https://lms.example.org") -> dict[str, Any]:
    return {"objectType": "Agent", "name": name, "account": {"homePage": home, "name": name}}


def cmi5_launch(state: LmsState, site: str, package: str, au_url: str, publisher_id: str,
                learner: dict[str, Any], registration: str | None = None, mode: str = "Normal",
                mastery: float | None = 0.8, return_url: str | None = None,
                launch_parameters: str | None = None) -> tuple[str, dict[str, Any]]:
    """What a cmi5 LMS does before launching an AU: registration, LaunchData, a one-time
    token. Returns the launch URL and the launch facts."""
    registration = registration or str(uuid.uuid4())
    activity_id = f"https://lms.example.org/cmi5/au/{hashlib.sha256((registration + publisher_id).encode()).hexdigest()[:16]}"
    session = str(uuid.uuid4())
    launch_data: dict[str, Any] = {
        "contextTemplate": {"contextActivities": {"grouping": [{"objectType": "Activity", "id": publisher_id}]},
                            "extensions": {CMI5_SESSION: session}},
        "launchMode": mode, "moveOn": "CompletedAndPassed",
    }
    if mastery is not None:
        launch_data["masteryScore"] = mastery
    if return_url:
        launch_data["returnURL"] = return_url
    if launch_parameters:
        launch_data["launchParameters"] = launch_parameters
    agent = json.dumps(learner)
    with state.lock:
        state.documents[state.state_key({"activityId": activity_id, "agent": agent,
                                         "registration": registration, "stateId": "LMS.LaunchData"})] = \
            json.dumps(launch_data).encode()
        state.documents[state.profile_key({"agent": agent, "profileId": "cmi5LearnerPreferences"})] = \
            json.dumps({"languagePreference": "en-US", "audioPreference": "off"}).encode()
        fetch_id = uuid.uuid4().hex
        state.tokens[fetch_id] = {"token": BASIC.split(" ", 1)[1], "used": False}
    query = urllib.parse.urlencode({"endpoint": f"{site}/xapi/", "fetch": f"{site}/fetch/{fetch_id}",
                                    "actor": agent, "registration": registration, "activityId": activity_id})
    return (f"{site}/pkg/{package}/{au_url}?{query}",
            {"registration": registration, "activityId": activity_id, "session": session,
             "publisher": publisher_id})


class LmsHandler(http.server.SimpleHTTPRequestHandler):
    state: LmsState  # set on a subclass per server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    # -- routing --
    def do_POST(self) -> None:  # noqa: N802
        if self.path.startswith("/fetch/"):
            return self.fetch_token()
        if self.path.startswith("/xapi/"):
            return self.xapi()
        self.send_error(404)

    def do_PUT(self) -> None:  # noqa: N802
        return self.xapi() if self.path.startswith("/xapi/") else self.send_error(404)

    def do_DELETE(self) -> None:  # noqa: N802
        return self.xapi() if self.path.startswith("/xapi/") else self.send_error(404)

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/xapi/"):
            return self.xapi()
        return super().do_GET()

    # -- cmi5 fetch URL (cmi5 §8.2): POST once, then error-code 1 --
    def fetch_token(self) -> None:
        fetch_id = self.path.rsplit("/", 1)[-1]
        with self.state.lock:
            entry = self.state.tokens.get(fetch_id)
            if entry and not entry["used"]:
                entry["used"] = True
                body: dict[str, Any] = {"auth-token": entry["token"]}
            else:
                body = {"error-code": "1", "error-text": "token already used or unknown"}
        self.reply(200, json.dumps(body).encode(), "application/json")

    # -- xAPI --
    def xapi(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        resource = parts.path[len("/xapi/"):]
        query = dict(urllib.parse.parse_qsl(parts.query))
        if resource in ("activities/state", "agents/profile"):
            return self.document(resource, query)
        return self.forward(resource, parts.query)

    def document(self, resource: str, query: dict[str, str]) -> None:
        key = (self.state.state_key(query) if resource == "activities/state"
               else self.state.profile_key(query))
        with self.state.lock:
            current = self.state.documents.get(key)
            etag = f'"{hashlib.sha1(current).hexdigest()}"' if current is not None else None
            if self.command == "GET":
                if current is None:
                    return self.reply(404, b"", "text/plain")
                return self.reply(200, current, "application/json", {"ETag": etag or ""})
            if self.command == "DELETE":
                self.state.documents.pop(key, None)
                return self.reply(204, b"", "text/plain")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.headers.get("If-None-Match") == "*" and current is not None:
                return self.reply(412, b"", "text/plain")
            if self.headers.get("If-Match") and self.headers.get("If-Match") != etag:
                return self.reply(412, b"", "text/plain")
            if query.get("stateId") == "LMS.LaunchData":
                return self.reply(403, b"", "text/plain")  # the AU must not modify it (cmi5 §10)
            self.state.documents[key] = body
            new = f'"{hashlib.sha1(body).hexdigest()}"'
            return self.reply(204, b"", "text/plain", {"ETag": new})

    def forward(self, resource: str, query: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() in ("content-type", "x-experience-api-version", "authorization")}
        url = self.state.lrs_endpoint + resource + (f"?{query}" if query else "")
        req = urllib.request.Request(url, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                self.reply(resp.status, resp.read(), resp.headers.get("Content-Type", "application/json"))
        except urllib.error.HTTPError as err:
            self.reply(err.code, err.read(), err.headers.get("Content-Type", "application/json"))
        except (urllib.error.URLError, ConnectionError):  # the LRS is stopped
            self.reply(502, b'{"error": "LRS unreachable"}', "application/json")

    def reply(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None) -> None:
        try:
            self._reply(status, body, kind, extra)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away (a learner leaving mid-request)

    def _reply(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            if v:
                self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)


def make_handler(state: LmsState, directory: Path) -> type[LmsHandler]:
    def init(self: LmsHandler, *args: Any, **kw: Any) -> None:
        http.server.SimpleHTTPRequestHandler.__init__(self, *args, directory=str(directory), **kw)

    return type("BoundLmsHandler", (LmsHandler,), {"state": state, "__init__": init})


def basic_auth() -> str:
    return BASIC


__all__ = ["LmsState", "actor", "cmi5_launch", "make_handler", "basic_auth", "base64"]
