"""The tests' LMS side for xAPI launches, on one loopback origin with the packages:

- serves the unpacked packages and the test pages (static files);
- cmi5 (cmi5 §8-11): creates registrations and launch URLs, writes `LMS.LaunchData`,
  serves learner preferences, issues one-time fetch tokens, one token per session;
- implements the State and Agent Profile APIs the real LRS lacks, as strictly as ADL's LRS
  (`documents.py`: no ETag on 204, 412 and 409 on bad preconditions);
- checks what a cmi5 session's token sends as strictly as ADL's CATAPULT proxy
  (`cmi5_rules.py`: 403 with the rule it broke), then passes statements through to the real
  LRS unchanged but for the credentials; other xAPI requests (Tin Can and SCORM launches
  that carry the LRS's own credentials, `about`) pass through unchanged;
- records every refusal (`LmsState.rejections`) and every statement batch it received
  (`LmsState.received`) so tests can assert on them; `LmsState.faults` makes it
  misbehave on purpose (`faults.py`).
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.lrs import cmi5_rules
from tests.lrs.cmi5_rules import Refusal, Registration, Session
from tests.lrs.documents import etag_of, merged, precondition
from tests.lrs.faults import Fault
from tests.lrs.server import BASIC

CMI5_SESSION = cmi5_rules.SESSION_EXT


@dataclass
class LmsState:
    lrs_endpoint: str  # the real LRS, e.g. http://127.0.0.1:1234/xAPI/
    documents: dict[tuple[str, ...], bytes] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # fetch id -> {token, used}
    sessions: dict[str, Session] = field(default_factory=dict)  # auth token -> its session
    registrations: dict[str, Registration] = field(default_factory=dict)
    stored_ids: set[str] = field(default_factory=set)  # statements the LRS stored via a session
    # Every refusal: {"status", "requirement", "method", "resource", "session" (of the token),
    # "registration", "verb", "statement_session", "statement_id"}
    rejections: list[dict[str, Any]] = field(default_factory=list)
    # Every statement batch a session's token sent: {"session", "registration", "ids",
    # "statement_sessions" (the session id each statement carries), "status"}
    received: list[dict[str, Any]] = field(default_factory=list)
    # Every request, in the order the LMS answered it (static files: as they arrive):
    # {"method", "path", "status"}; tests read the order of events from it.
    requests: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

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
        # One token per session: what that token may send is checked (cmi5_rules.py). A new
        # launch makes this the registration's current session; the earlier one, if it
        # never terminated, is abandoned (cmi5 §9.3.6).
        token = base64.b64encode(f"cmi5-{session}:{uuid.uuid4().hex}".encode()).decode()
        state.sessions[token] = Session(session, registration, activity_id, learner)
        known = state.registrations.get(registration)
        if known:
            known.current = session
        else:
            state.registrations[registration] = Registration(session, activity_id)
        fetch_id = uuid.uuid4().hex
        state.tokens[fetch_id] = {"token": token, "used": False}
    query = urllib.parse.urlencode({"endpoint": f"{site}/xapi/", "fetch": f"{site}/fetch/{fetch_id}",
                                    "actor": agent, "registration": registration, "activityId": activity_id})
    return (f"{site}/pkg/{package}/{au_url}?{query}",
            {"registration": registration, "activityId": activity_id, "session": session,
             "publisher": publisher_id, "token": token})


class LmsHandler(http.server.SimpleHTTPRequestHandler):
    state: LmsState  # set on a subclass per server

    def log_message(self, format: str, *args: object) -> None:
        pass

    # -- CORS: real LRSs live on another origin than the content (xAPI 1.0.3
    # Communication §1.3 asks them to allow cross-origin requests) --
    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "ETag, Content-Type, X-Experience-API-Version")
        super().end_headers()

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version, "
                                                         "If-Match, If-None-Match")
        self.send_header("Access-Control-Max-Age", "0")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- routing --
    def do_POST(self) -> None:
        if self.path.startswith("/fetch/"):
            return self.fetch_token()
        if self.path.startswith("/xapi/"):
            return self.xapi()
        self.send_error(404)

    def do_PUT(self) -> None:
        return self.xapi() if self.path.startswith("/xapi/") else self.send_error(404)

    def do_DELETE(self) -> None:
        return self.xapi() if self.path.startswith("/xapi/") else self.send_error(404)

    def do_GET(self) -> None:
        if self.path.startswith("/xapi/"):
            return self.xapi()
        with self.state.lock:
            self.state.requests.append({"method": "GET", "path": self.path, "status": None})
        return super().do_GET()

    # -- the request as the rules see it --
    def body(self) -> bytes:
        if not hasattr(self, "_body"):
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(length) if length else b""
        return self._body

    def session(self) -> Session | None:
        """The cmi5 session whose token this request carries (None: not a session token)."""
        auth = self.headers.get("Authorization") or ""
        token = auth[len("Basic "):] if auth.startswith("Basic ") else ""
        with self.state.lock:
            return self.state.sessions.get(token)

    def batch(self) -> list[dict[str, Any]]:
        """The statements of a statements POST/PUT (empty for anything else)."""
        if not self.path.startswith("/xapi/statements") or self.command not in ("POST", "PUT"):
            return []
        try:
            sent = json.loads(self.body() or b"null")
        except ValueError:
            return []
        sent = sent if isinstance(sent, list) else [sent]
        return [s for s in sent if isinstance(s, dict)]

    def faulted(self) -> bool:
        """Apply the first fault the test set for this request; True when it answered."""
        sess = self.session()
        with self.state.lock:
            fault = next((f for f in self.state.faults
                          if f.matches(self.command, self.path, sess.session if sess else None, self.batch())), None)
            if fault:
                fault.hits.append(f"{self.command} {self.path}")
        if fault is None:
            return False
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status is None:
            return False
        self.body()  # read it, so the connection stays usable
        self.reply(fault.status, json.dumps({"error": "fault set by the test"}).encode(), "application/json")
        return True

    def refuse(self, status: int, requirement: str, resource: str, sess: Session | None,
               statement: dict[str, Any] | None = None) -> None:
        with self.state.lock:
            self.state.rejections.append({
                "status": status, "requirement": requirement, "method": self.command, "resource": resource,
                "session": sess.session if sess else None, "registration": sess.registration if sess else None,
                "verb": cmi5_rules.verb_name(statement) if statement else None,
                "statement_session": cmi5_rules.session_of(statement) if statement else None,
                "statement_id": statement.get("id") if statement else None})
        body = json.dumps({"error": requirement}).encode()
        self.reply(status, body, "application/json")

    # -- cmi5 fetch URL (cmi5 §8.2): POST once, then error-code 1 --
    def fetch_token(self) -> None:
        if self.faulted():
            return
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
        if self.faulted():
            return
        parts = urllib.parse.urlsplit(self.path)
        resource = parts.path[len("/xapi/"):]
        query = dict(urllib.parse.parse_qsl(parts.query))
        if resource in ("activities/state", "agents/profile"):
            return self.document(resource, query)
        return self.forward(resource, parts.query)

    def document(self, resource: str, query: dict[str, str]) -> None:
        key = (self.state.state_key(query) if resource == "activities/state"
               else self.state.profile_key(query))
        sess = self.session()
        with self.state.lock:
            current = self.state.documents.get(key)
            if self.command == "GET":
                if current is None:
                    return self.reply(404, b"", "text/plain")
                return self.reply(200, current, "application/json", {"ETag": etag_of(current)})
            body = self.body()
            if sess is not None:
                refusal = cmi5_rules.check_write(sess, self.state.registrations[sess.registration])
                if refusal:
                    return self.refuse(403, refusal.requirement, resource, sess)
            if query.get("stateId") == "LMS.LaunchData":
                # the AU must not modify it (cmi5 §10)
                return self.refuse(403, "LMS.LaunchData is read-only (cmi5 §10)", resource, sess)
            verdict = precondition(self.command, current, self.headers.get("If-Match"),
                                   self.headers.get("If-None-Match"))
            if verdict.status != 204:
                return self.refuse(verdict.status, verdict.requirement, resource, sess)
            if self.command == "DELETE":
                self.state.documents.pop(key, None)
            else:
                self.state.documents[key] = merged(current, body) if self.command == "POST" else body
            # 204 and no ETag, as ADL's LRS answers (standards.md §17)
            return self.reply(204, b"", "text/plain")

    def forward(self, resource: str, query: str) -> None:
        sess = self.session()
        batch = self.batch()
        if sess is not None and self.command in ("POST", "PUT", "DELETE"):
            return self.forward_for_session(sess, resource, query, batch)
        headers = dict(self.headers.items())
        if sess is not None:
            headers["Authorization"] = BASIC  # a session's read, with the LRS's own credentials
        status, body, kind = self.to_lrs(resource, query, headers)
        self.reply(status, body, kind)

    def forward_for_session(self, sess: Session, resource: str, query: str, batch: list[dict[str, Any]]) -> None:
        """A cmi5 session's write: judged by the rules, then stored with the LRS's own
        credentials. One at a time, so two batches of one session cannot both pass as the
        first `completed`."""
        with self.state.lock:
            reg = self.state.registrations[sess.registration]
            refusal: Refusal | None
            if resource != "statements":
                refusal = cmi5_rules.check_write(sess, reg)
            elif all(cmi5_rules.well_formed(s) for s in batch):
                refusal = cmi5_rules.check_statements(sess, reg, batch, self.state.stored_ids)
            else:
                refusal = None  # malformed: the LRS answers 400 and stores nothing
            record = {"session": sess.session, "registration": sess.registration,
                      "ids": [s.get("id") for s in batch],
                      "statement_sessions": [cmi5_rules.session_of(s) for s in batch],
                      "status": 403 if refusal else None}
            self.state.received.append(record)
            if refusal:
                return self.refuse(403, refusal.requirement, resource, sess, refusal.statement)
            headers = {**dict(self.headers.items()), "Authorization": BASIC}
            status, body, kind = self.to_lrs(resource, query, headers)
            record["status"] = status
            if 200 <= status < 300:
                cmi5_rules.commit(sess, reg, batch, self.state.stored_ids)
        self.reply(status, body, kind)

    def to_lrs(self, resource: str, query: str, headers: dict[str, str]) -> tuple[int, bytes, str]:
        body = self.body() or None
        keep = {k: v for k, v in headers.items()
                if k.lower() in ("content-type", "x-experience-api-version", "authorization")}
        url = self.state.lrs_endpoint + resource + (f"?{query}" if query else "")
        req = urllib.request.Request(url, data=body, method=self.command, headers=keep)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read(), resp.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as err:
            return err.code, err.read(), err.headers.get("Content-Type", "application/json")
        except (urllib.error.URLError, ConnectionError):  # the LRS is stopped
            return 502, b'{"error": "LRS unreachable"}', "application/json"

    def reply(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None) -> None:
        with self.state.lock:  # before the answer leaves: the page cannot act on it earlier
            self.state.requests.append({"method": self.command, "path": self.path, "status": status})
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


__all__ = ["Fault", "LmsState", "actor", "basic_auth", "cmi5_launch", "make_handler"]
