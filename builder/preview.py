"""`cpom-builder preview`: the author's loop. Serves the course from its sources on loopback,
watches the content folder, rebuilds what changed, and tells the open player, which puts the
module's new page in place on the screen the author was on (templates/preview/
preview-swap.js), reloads it when more than the module changed, or shows the problems, with
path:line, until they are fixed.

The player (templates/preview/) runs a module as each format would: SCORM 1.2 and SCORM 2004
against a recording LMS API in the page, cmi5 and Tin Can against an in-memory LMS/LRS
(builder/preview_lrs.py). Its side panel lists what the LMS or LRS would record, and "Reset
learner" starts over.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any, cast

from builder import identifiers as ids
from builder.packaged import preview_file
from builder.preview_lrs import PreviewLrs, Reply
from builder.preview_site import PreviewSite, Snapshot

STATIC = {"/player.html": "text/html", "/preview-lms.js": "text/javascript",
          "/preview-swap.js": "text/javascript"}
KINDS = {"html": "text/html", "js": "text/javascript", "css": "text/css", "svg": "image/svg+xml",
         "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
         "webp": "image/webp", "json": "application/json", "csv": "text/csv",
         "pdf": "application/pdf"}
# Anything that is not one of the course's own pages is served so that script in it cannot
# run: an SVG opened from a link would otherwise run with the preview's origin.
INERT = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


def _status(snap: Snapshot) -> dict[str, Any]:
    return {
        "version": snap.version,
        # Only the saved modules changed: the player may put the new page in place.
        "swap": snap.swappable,
        "errors": [d.format() for d in snap.errors],
        "warnings": [d.format() for d in snap.problems if d not in snap.errors],
        "modules": _launchable(snap),
    }


def _launchable(snap: Snapshot) -> list[dict[str, str]]:
    """What the player can launch: each module, then the exam (when the course has one)."""
    course = snap.course
    if course is None:
        return []
    found = [{"id": m.ref.id, "title": m.title} for m in course.modules]
    if course.exam is not None:
        found.append({"id": course.exam.id, "title": course.exam.settings.title})
    return found


def _index(site: PreviewSite) -> bytes:
    snap = site.snapshot
    rows = []
    for item in _launchable(snap):
        links = " · ".join(
            f'<a href="/player.html?format={escape(name)}&amp;module={escape(item["id"])}">'
            f"{escape(fmt.title)}</a>" for name, fmt in site.formats.items())
        rows.append(f"<li>{escape(item['title'])}<br><small>{links}</small></li>")
    problems = "".join(f"<li><code>{escape(e)}</code></li>" for e in _status(snap)["errors"])
    body = preview_file("index.html").read_text(encoding="utf-8")
    return (body.replace("{{content}}", escape(str(site.content)))
            .replace("{{modules}}", "\n".join(rows))
            .replace("{{problems}}", f'<ul role="alert">{problems}</ul>' if problems else "")
            .encode("utf-8"))


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    site: PreviewSite
    lrs: PreviewLrs
    stopping: threading.Event

    def log_message(self, format: str, *args: object) -> None:
        pass

    # --- plumbing ----------------------------------------------------------------------

    def _send(self, reply: Reply, csp: str | None = None) -> None:
        self.send_response(reply.status)
        if reply.body or reply.status == 200:
            kind = reply.kind
            charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else ""
            self.send_header("Content-Type", kind + charset)
        if reply.status != 304:  # a 304 has no body, and its length would be the 200's
            self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", reply.headers.pop("Cache-Control", "no-store"))
        self.send_header("X-Content-Type-Options", "nosniff")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 8 * 1024 * 1024)) if length > 0 else b""

    def _route(self) -> tuple[str, dict[str, str]]:
        parts = urllib.parse.urlsplit(self.path)
        return parts.path, dict(urllib.parse.parse_qsl(parts.query))

    def _base(self) -> str:
        host, port = cast(tuple[str, int], self.server.server_address)[:2]  # an IPv4 socket
        return f"http://{host}:{port}"

    # --- methods -----------------------------------------------------------------------

    def do_GET(self) -> None:
        path, query = self._route()
        if path in ("/", "/index.html"):
            self._send(Reply(200, _index(self.site), "text/html"))
        elif path in STATIC:
            self._send(Reply(200, preview_file(path[1:]).read_bytes(), STATIC[path]))
        elif path == "/favicon.ico":
            self._send(Reply(204))
        elif path == "/events":
            self._events(int(query.get("since", "0") or 0), query.get("format", ""),
                         query.get("module", ""))
        elif path == "/api/status":
            self._send(Reply(200, json.dumps(_status(self.site.snapshot)).encode()))
        elif path == "/api/launch":
            self._launch(query)
        elif path == "/api/statements":
            self._send(Reply(200, json.dumps(self.lrs.recorded()).encode()))
        elif path.startswith("/live/"):
            self._live(path)
        elif path.startswith("/lrs/"):
            self._xapi(path, query)
        else:
            self._send(Reply(404, b"not found", "text/plain"))

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        path, query = self._route()
        if path == "/api/reset":
            self.lrs.reset()
            self._send(Reply(204))
        elif path.startswith("/fetch/"):
            self._send(self.lrs.fetch(path[len("/fetch/"):]))
        elif path.startswith("/lrs/"):
            self._xapi(path, query)
        else:
            self._send(Reply(404, b"not found", "text/plain"))

    def do_PUT(self) -> None:
        path, query = self._route()
        self._xapi(path, query) if path.startswith("/lrs/") else self._send(Reply(404))

    def do_DELETE(self) -> None:
        self.do_PUT()

    # --- routes ------------------------------------------------------------------------

    def _live(self, path: str) -> None:
        _, _, fmt, rest = path.split("/", 3) if path.count("/") >= 3 else ("", "", "", "")
        tag = self.site.runtime_tag(fmt, rest)
        if tag is not None:
            self._runtime(fmt, rest, tag)
            return
        data = self.site.file(fmt, rest)
        if data is None:
            self._send(Reply(404, b"not found", "text/plain"))
            return
        kind = KINDS.get(rest.rsplit(".", 1)[-1].lower(), "application/octet-stream")
        page = rest.endswith("/index.html")
        self._send(Reply(200, data, kind), None if page or kind in ("text/javascript", "text/css")
                   else INERT)

    def _runtime(self, fmt: str, path: str, tag: str) -> None:
        """A runtime file: the same for as long as the preview runs, so a module loaded again
        (after a curriculum save, a format change) revalidates it and the browser keeps
        what it has, compiled scripts included, rather than fetching it again (RFC 9111
        §5.2.2.4 no-cache, RFC 9110 §13.1.2 If-None-Match). Everything else is no-store."""
        headers = {"ETag": tag, "Cache-Control": "no-cache"}
        if tag in (t.strip() for t in self.headers.get("If-None-Match", "").split(",")):
            self._send(Reply(304, headers=headers))
            return
        kind = KINDS.get(path.rsplit(".", 1)[-1], "application/octet-stream")
        self._send(Reply(200, self.site.runtime[fmt][path], kind, headers))

    def _launch(self, query: dict[str, str]) -> None:
        info = self._launch_info(self.site.snapshot, query.get("format", ""), query.get("module", ""))
        if info is None:
            self._send(Reply(404, json.dumps({"error": "unknown format or module"}).encode()))
            return
        self._send(Reply(200, json.dumps(info).encode()))

    def _launch_info(self, snap: Snapshot, fmt: str, module_id: str) -> dict[str, str] | None:
        """Where the player loads the module: its page, and for cmi5 and Tin Can a fresh
        launch (registration, fetch URL) on the preview LRS; `page` alone is what the
        player fetches to put the new page in place."""
        course = snap.course
        if fmt not in self.site.formats or course is None:
            return None
        cur = course.curriculum
        module = next((m for m in course.modules if m.ref.id == module_id), None)
        exam = course.exam
        if module is not None:
            title, iri = module.title, ids.module_iri(cur.course, module_id)
            mastery, move_on = cur.mastery(module.ref), "CompletedAndPassed"
        elif exam is not None and exam.id == module_id:
            # As the cmi5 course structure has it: the exam's block moves on when Passed.
            title, iri = exam.settings.title, ids.exam_iri(cur.course, exam.id)
            mastery, move_on = exam.pass_mark, "Passed"
        else:
            return None
        page = url = f"/live/{fmt}/{ids.module_page(module_id)}"
        if fmt in ("cmi5", "xapi"):
            url += "?" + self.lrs.launch_query(fmt, iri, self._base(), module_id, mastery, move_on)
        return {"url": url, "page": page, "title": title}

    def _xapi(self, path: str, query: dict[str, str]) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.lrs.handle(self.command, path[len("/lrs/"):].strip("/"), query, self._body(),
                                headers)
        reply.headers.setdefault("X-Experience-API-Version", "1.0.3")
        self._send(reply)

    def _events(self, since: int, fmt: str = "", module_id: str = "") -> None:
        """Server-sent events: one `update` per new version of the site. A player that names
        its format and module gets the launch in the event too, and reloads without asking."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = since
        try:
            while not self.stopping.is_set():
                snap = self.site.wait(version, timeout=5.0)
                if snap.version > version:
                    version = snap.version
                    status = _status(snap)
                    if module_id and not status["errors"]:
                        status["launch"] = self._launch_info(snap, fmt, module_id)
                    payload = json.dumps(status)
                    self.wfile.write(f"event: update\ndata: {payload}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def watch_changes(content: Path, stop: threading.Event) -> Iterator[set[Path]]:
    """Sets of changed files under `content`, as the editor saves them (watchfiles, which
    uses the OS's native notifications).

    watchfiles yields once a check `step` ms after a change finds nothing new: a change waits
    one to two steps. 10 ms keeps that a small part of the time from a save to the changed
    screen while still grouping what one save does (an editor's write, or its temporary
    file and rename, lands within a millisecond or two); `debounce` caps a longer burst
    (a checkout, a folder copied in)."""
    from watchfiles import watch

    for changes in watch(content, stop_event=stop, debounce=400, step=10, rust_timeout=500,
                         yield_on_timeout=False, raise_interrupt=False):
        paths = {Path(p) for _, p in changes}
        relevant = {p for p in paths if not p.name.startswith(".")
                    and not p.name.endswith(IGNORED_SUFFIXES)}
        if relevant:
            yield relevant


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A page that reloads aborts its open requests (the event stream, a keepalive POST):
        # that is the preview working, not a problem to print.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class PreviewServer:
    """The preview on a loopback port, with its watcher; `start()` returns at once."""

    def __init__(self, content: Path, port: int = 8000, watch: bool = True) -> None:
        self.site = PreviewSite(content)
        self.lrs = PreviewLrs()
        self.stopping = threading.Event()
        handler = type("Handler", (PreviewHandler,),
                       {"site": self.site, "lrs": self.lrs, "stopping": self.stopping})
        self.httpd = _Server(("127.0.0.1", port), handler)
        self.watch = watch
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = cast(tuple[str, int], self.httpd.server_address)[:2]  # an IPv4 socket
        return f"http://{host}:{port}"

    def _watch(self, on_change: Callable[[Snapshot], None] | None) -> None:
        for paths in watch_changes(self.site.content, self.stopping):
            snap = self.site.update(paths)
            if on_change:
                on_change(snap)

    def start(self, on_change: Callable[[Snapshot], None] | None = None) -> PreviewServer:
        serve = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        serve.start()
        self.threads.append(serve)
        if self.watch:
            watcher = threading.Thread(target=self._watch, args=(on_change,), daemon=True)
            watcher.start()
            self.threads.append(watcher)
        return self

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self.threads:
            thread.join(timeout=2)


def serve(content: Path, port: int = 8000) -> None:
    """Run until Ctrl+C, printing each rebuild's problems as the terminal's record."""

    def report(snap: Snapshot) -> None:
        status = _status(snap)
        for line in status["errors"] + status["warnings"]:
            print(line)
        print(f"rebuilt (version {snap.version}): "
              f"{'problems shown in the page' if status['errors'] else 'reloading the page'}")

    server = PreviewServer(content, port)
    for line in _status(server.site.snapshot)["errors"]:
        print(line)
    print(f"previewing {content}/ on {server.url}/ (watching for changes; Ctrl+C stops)")
    server.start(report)
    try:
        while not server.stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


__all__ = ["PreviewServer", "serve", "watch_changes"]
