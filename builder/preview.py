"""`make preview`: serve the built course on loopback inside a small preview player whose
side panel shows what an LMS would record (a SCORM 2004 API that stores and displays)."""

from __future__ import annotations

import http.server
import io
import zipfile
from functools import partial
from html import escape
from pathlib import Path

from builder.render import TEMPLATES

PREVIEW = TEMPLATES / "preview"
NO_SCRIPT = "default-src 'none'; style-src 'unsafe-inline'"


def _package_files(packages: Path) -> tuple[str, dict[str, bytes]]:
    zips = sorted(packages.glob("*-scorm2004.zip"))
    if not zips:
        raise FileNotFoundError(f"no *-scorm2004.zip in {packages}/: run `make package` first")
    with zipfile.ZipFile(io.BytesIO(zips[0].read_bytes())) as archive:
        return zips[0].name, {n: archive.read(n) for n in archive.namelist()}


def _index(name: str, files: dict[str, bytes]) -> bytes:
    modules = sorted({n.split("/")[0] for n in files if n.endswith("/index.html")})
    items = "\n".join(f'<li><a href="/player.html?sco=/pkg/{m}/index.html">{escape(m)}</a></li>'
                      for m in modules)
    page = (PREVIEW / "index.html").read_text(encoding="utf-8")
    return page.replace("{{package}}", escape(name)).replace("{{modules}}", items).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    def __init__(self, *args: object, files: dict[str, bytes], index: bytes, **kw: object) -> None:
        self.files, self.index = files, index
        super().__init__(*args, **kw)  # type: ignore[arg-type]

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            body, kind = self.index, "text/html"
        elif path in ("/player.html", "/preview-lms.js"):
            body = (PREVIEW / path[1:]).read_bytes()
            kind = "text/html" if path.endswith(".html") else "text/javascript"
        elif path.startswith("/pkg/") and path[5:] in self.files:
            body = self.files[path[5:]]
            kind = {"html": "text/html", "js": "text/javascript", "css": "text/css",
                    "svg": "image/svg+xml", "png": "image/png"}.get(path.rsplit(".", 1)[-1],
                                                                  "application/octet-stream")
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text") else kind)
        self.send_header("X-Content-Type-Options", "nosniff")
        if kind != "text/html":
            # Only the player and the course's own pages may run script. An SVG or other file
            # opened on its own gets a policy that forbids it, even if the build's SVG check
            # were bypassed (a package edited by hand, say).
            self.send_header("Content-Security-Policy", NO_SCRIPT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def make_server(packages: Path, port: int = 8000) -> tuple[str, http.server.ThreadingHTTPServer]:
    """The preview server on loopback (port 0 picks a free port), not yet serving."""
    name, files = _package_files(packages)
    handler = partial(_Handler, files=files, index=_index(name, files))
    return name, http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(packages: Path, port: int = 8000) -> None:
    name, server = make_server(packages, port)
    print(f"previewing {name} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
