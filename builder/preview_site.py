"""The course as the live preview serves it: every module page for every format, kept in
memory and brought up to date after each save.

A saved module is re-parsed alone, converting only the screens whose text changed
(builder/preview_parse.py), and its pages are rendered again when the player asks for them
(the common case while writing). Any other change (the curriculum, an image, a new file)
reloads the whole course, which is still well under a second. Diagnostics replace the pages'
content in the player until they are fixed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from builder import identifiers as ids
from builder.errors import BuildFailed, Diagnostic, Severity
from builder.formats import PackageFormat, formats
from builder.model import Module, ParsedCourse
from builder.pipeline import load_course
from builder.preview_parse import ScreenCache
from builder.render import PageRenderer

SHARED = "shared"


@dataclass
class Snapshot:
    """What the site shows at one version: the parsed course, or the problems instead."""

    version: int
    course: ParsedCourse | None
    # (format, page path) -> rendered page; filled on first request, so a save costs one
    # parse and one render (the format on screen) before the player can reload.
    pages: dict[tuple[str, str], bytes] = field(default_factory=dict)
    media: dict[str, Path] = field(default_factory=dict)  # package path -> source file
    problems: list[Diagnostic] = field(default_factory=list)
    # True when only saved modules were parsed again (the curriculum, media and every other
    # page are as before): an open page may be updated in place rather than reloaded.
    swappable: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity is Severity.ERROR]


class PreviewSite:
    """Thread-safe holder of the current snapshot; `changed` notifies waiting players."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.renderer = PageRenderer()
        self.formats: dict[str, PackageFormat] = formats()
        self.runtime = {name: {f"{SHARED}/{n}": data for n, data in fmt.runtime().items()}
                        for name, fmt in self.formats.items()}
        # Entity tags of the runtime files (fixed while the preview runs): their content's hash.
        self.runtime_tags = {(name, path): f'"{hashlib.sha256(data).hexdigest()[:20]}"'
                             for name, files in self.runtime.items() for path, data in files.items()}
        self.changed = threading.Condition()
        self.render_lock = threading.Lock()
        # Re-parses reuse one Markdown set-up and the unchanged screens of the last parse;
        # the watcher's thread and the warm-up threads take turns (`parse_lock`).
        self.screens = ScreenCache()
        self.parse_lock = threading.Lock()
        self.warmed: set[Path] = set()  # module files whose screens `screens` holds
        self.snapshot = Snapshot(0, None)
        self.rebuild()

    # --- reading ---------------------------------------------------------------------

    def file(self, fmt: str, path: str) -> bytes | None:
        snap = self.snapshot
        if fmt not in self.formats:
            return None
        if path in self.runtime[fmt]:
            return self.runtime[fmt][path]
        if path in snap.media:
            try:
                return snap.media[path].read_bytes()
            except OSError:
                return None
        return self._page(snap, fmt, path)

    def runtime_tag(self, fmt: str, path: str) -> str | None:
        """The entity tag of a runtime file, None for anything else."""
        return self.runtime_tags.get((fmt, path))

    def _page(self, snap: Snapshot, fmt: str, path: str) -> bytes | None:
        if (fmt, path) in snap.pages:
            return snap.pages[(fmt, path)]
        course = snap.course
        if course is None:
            return None
        exam = course.exam
        module = next((m for m in course.modules if ids.module_page(m.ref.id) == path), None)
        if module is None and not (exam is not None and path == ids.module_page(exam.id)):
            return None
        with self.render_lock:  # one Jinja environment, shared by the server's threads
            if (fmt, path) in snap.pages:  # rendered while this thread waited
                pass
            elif module is not None:
                snap.pages[(fmt, path)] = self.renderer.render(course.curriculum, module)
            elif exam is not None:
                # The exam page, as packages have it: its data comes from the curriculum and
                # the banks, so saving a module leaves it as it is.
                snap.pages[(fmt, path)] = self.renderer.render_exam(course.curriculum, exam)
        if module is not None:
            self._warm(module)
        return snap.pages[(fmt, path)]

    def _warm(self, module: Module) -> None:
        """Once a module is open in the player, parse it into the screen cache in the
        background, so that the author's first save converts one screen, not all of them."""
        source = (self.content / module.ref.source).resolve()
        with self.parse_lock:
            if source in self.warmed:
                return
            self.warmed.add(source)

        def parse() -> None:
            with self.parse_lock:
                if source in self.warmed:  # not forgotten by a rebuild meanwhile
                    self.screens.parse(module.ref, source, self.content)

        threading.Thread(target=parse, daemon=True).start()

    def wait(self, version: int, timeout: float) -> Snapshot:
        """Block until the snapshot is newer than `version` (or the timeout passes)."""
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot.version > version, timeout)
            return self.snapshot

    # --- updating --------------------------------------------------------------------

    def _publish(self, snap: Snapshot) -> None:
        with self.changed:
            self.snapshot = snap
            self.changed.notify_all()

    def rebuild(self) -> Snapshot:
        """Load, parse and render everything."""
        version = self.snapshot.version + 1
        with self.parse_lock:
            self.screens.forget()
            self.warmed.clear()
        try:
            course, problems = load_course(self.content)
        except BuildFailed as failed:
            snap = Snapshot(version, None, problems=failed.diagnostics)
        else:
            snap = Snapshot(version, course, {}, self._media(course.modules), problems)
        self._publish(snap)
        return snap

    def update(self, paths: set[Path]) -> Snapshot:
        """Bring the site up to date after `paths` changed on disk."""
        snap = self.snapshot
        course = snap.course
        if course is None:
            return self.rebuild()
        by_source = {(self.content / m.ref.source).resolve(): m for m in course.modules}
        resolved = {p.resolve() for p in paths}
        if not resolved or not resolved <= set(by_source):
            return self.rebuild()
        # Errors in the saved modules are re-judged by re-parsing them; errors anywhere else
        # (another module, the curriculum) need the whole course.
        saved = {by_source[p].source for p in resolved}
        if any(d.path not in saved for d in snap.errors):
            return self.rebuild()
        modules = list(course.modules)
        problems: list[Diagnostic] = []
        with self.parse_lock:
            for path in sorted(resolved):
                old = by_source[path]
                module, found = self.screens.parse(old.ref, path, self.content)
                self.warmed.add(path)
                problems += found
                if module is not None:
                    modules[modules.index(old)] = module
        if any(d.severity is Severity.ERROR for d in problems):
            new = Snapshot(snap.version + 1, course, snap.pages, snap.media, problems)
            self._publish(new)
            return new
        fresh = dataclasses.replace(course, modules=modules)  # the exam, if any, stays
        stale = {ids.module_page(by_source[p].ref.id) for p in resolved}
        pages = {key: page for key, page in dict(snap.pages).items() if key[1] not in stale}
        new = Snapshot(snap.version + 1, fresh, pages, self._media(modules), problems,
                       swappable=True)
        self._publish(new)
        # Render again the saved pages a player had open while the browser hears of the
        # change and reloads: the page is ready (or under way) when it asks for it.
        for fmt, page in sorted(key for key in snap.pages if key[1] in stale):
            self._page(new, fmt, page)
        return new

    @staticmethod
    def _media(modules: list[Module]) -> dict[str, Path]:
        return {a.target: Path(a.source) for m in modules for a in m.assets}


__all__ = ["PreviewSite", "Snapshot"]
