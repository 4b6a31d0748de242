"""Stage 1: read and validate `curriculum.yaml` (shape, then cross-references)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from builder import yamlsource
from builder.assemble import SHARED_DIR
from builder.errors import Diagnostic, Severity, display_path
from builder.markdown_ext.references import MEDIA_DIR
from builder.model import Curriculum, ModuleRef
from builder.schema_errors import translate
from builder.yamlsource import Loc, line_of, shorten

CURRICULUM_FILE = "curriculum.yaml"
MAX_BYTES = 2_000_000  # the 20-module CPOM curriculum is 20 kB


def load_curriculum(content: Path) -> tuple[Curriculum | None, list[Diagnostic]]:
    """Load `<content>/curriculum.yaml`.

    Returns the curriculum whenever its shape is valid, even if cross-references are wrong,
    so that later stages can still report the problems of every module in the same run.
    """
    path = content / CURRICULUM_FILE
    shown = display_path(path, content)
    if not path.is_file():
        return None, [
            Diagnostic(shown, 0, "curriculum file not found", "create it (see README: Authoring)",
                       "curriculum.missing-file")
        ]
    if path.stat().st_size > MAX_BYTES:
        return None, [Diagnostic(shown, 1, f"the file is larger than {MAX_BYTES // 1_000_000} MB",
                                 "a curriculum is a short list of ids and titles: remove what "
                                 "does not belong in it", "curriculum.too-large")]
    try:
        # utf-8-sig: a byte-order mark, as some Windows editors write, is not content.
        data, lines = yamlsource.load(path.read_text(encoding="utf-8-sig"))
    except yamlsource.YamlSyntaxError as exc:
        what = {"yaml-syntax": "malformed YAML: ", "bad-value": ""}.get(exc.code, "YAML not accepted: ")
        return None, [Diagnostic(shown, exc.line, f"{what}{exc.problem}",
                                 exc.fix or yamlsource.SYNTAX_FIX, f"curriculum.{exc.code}")]
    except UnicodeDecodeError:
        return None, [Diagnostic(shown, 0, "file is not UTF-8", "save it as UTF-8",
                                 "curriculum.encoding")]
    try:
        curriculum = Curriculum.model_validate(data)
    except ValidationError as exc:
        problems = translate(exc, path=shown, lines=lines, model=Curriculum, area="curriculum")
        return _salvage(data), problems
    return curriculum, list(_cross_check(curriculum, content, shown, lines))


def _salvage(data: object) -> Curriculum | None:
    """The part of an invalid curriculum that is valid on its own (course, domains and the
    modules that pass), so module files can still be checked in the same run."""
    if not isinstance(data, dict) or not isinstance(data.get("modules"), list):
        return None
    good = []
    for entry in data["modules"]:
        try:
            good.append(ModuleRef.model_validate(entry))
        except ValidationError as exc:
            # Drop bad optional keys (a malformed duration, say) and try once more.
            optional = {k for k, f in ModuleRef.model_fields.items() if not f.is_required()}
            bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
            if isinstance(entry, dict) and bad <= optional | {k for k in entry if k not in ModuleRef.model_fields}:
                try:
                    good.append(ModuleRef.model_validate({k: v for k, v in entry.items() if k not in bad}))
                except ValidationError:
                    continue
    # A bad `exam:` is reported by the first validation; without it the modules are
    # still checked.
    for salvaged in ({**data, "modules": good, "paths": []},
                     {**data, "modules": good, "paths": [], "exam": None}):
        try:
            return Curriculum.model_validate(salvaged)
        except ValidationError:
            continue
    return None


# A module id names the module's folder in every package (identifiers.module_dir).
BUILDER_FOLDERS = (SHARED_DIR, MEDIA_DIR)
# Names Windows will not create as files or folders, with any extension (Win32 "Naming
# Files, Paths, and Namespaces"): a package unzipped there would lose the module.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})


def reserved_id(module_id: str) -> str:
    if module_id in BUILDER_FOLDERS:
        return f"is reserved: packages keep the builder's own files in '{module_id}/'"
    if module_id in WINDOWS_DEVICES:
        return "is a device name on Windows, which cannot be a folder name there"
    return ""


def _duplicates(ids: Iterable[tuple[str, Loc]]) -> Iterable[tuple[str, Loc]]:
    seen: set[str] = set()
    for ident, loc in ids:
        if ident in seen:
            yield ident, loc
        seen.add(ident)


def _cross_check(
    cur: Curriculum, content: Path, shown: str, lines: dict[Loc, int]
) -> Iterable[Diagnostic]:
    def at(loc: Loc) -> int:
        return line_of(lines, loc)

    groups: list[tuple[str, list[tuple[str, Loc]]]] = [
        ("domain", [(d.id, ("domains", i, "id")) for i, d in enumerate(cur.domains)]),
        ("module", [(m.id, ("modules", i, "id")) for i, m in enumerate(cur.modules)]),
        ("path", [(p.id, ("paths", i, "id")) for i, p in enumerate(cur.paths)]),
        # goal ids are course-wide: they become global objective ids (SCORM 2004 SN §3.10)
        ("goal", [(g.id, ("modules", i, "goals", j, "id"))
                  for i, m in enumerate(cur.modules) for j, g in enumerate(m.goals)]),
    ]
    for kind, ids in groups:
        for ident, loc in _duplicates(ids):
            yield Diagnostic(shown, at(loc), f"duplicate {kind} id '{ident}'",
                             f"give every {kind} a unique id", "curriculum.duplicate-id")
    for i, mod in enumerate(cur.modules):
        problem = reserved_id(mod.id)
        if problem:
            yield Diagnostic(shown, at(("modules", i, "id")), f"module id '{mod.id}' {problem}",
                             "choose another id", "curriculum.reserved-id")
    domains = {d.id for d in cur.domains}
    modules = {m.id for m in cur.modules}
    sources: dict[Path, str] = {}
    for i, mod in enumerate(cur.modules):
        if mod.domain not in domains:
            yield Diagnostic(shown, at(("modules", i, "domain")),
                             f"module '{mod.id}' names unknown domain '{mod.domain}'",
                             f"use one of: {', '.join(sorted(domains))}", "curriculum.unknown-ref")
        loc = ("modules", i, "source")
        try:
            source = (content / mod.source).resolve()
            source.is_file()
        except (OSError, ValueError):  # a name too long for the file system, say
            yield Diagnostic(shown, at(loc), f"module file '{shorten(mod.source)}' cannot be opened",
                             "use a short path relative to content/", "curriculum.missing-file")
            continue
        if not source.is_relative_to(content.resolve()):
            yield Diagnostic(shown, at(loc), f"source '{mod.source}' is outside the content folder",
                             "keep module files under content/", "curriculum.outside-content")
        elif not source.is_file():
            yield Diagnostic(shown, at(loc), f"module file '{mod.source}' not found",
                             "create it or correct the path (relative to content/)",
                             "curriculum.missing-file")
        elif source.suffix != ".md":
            yield Diagnostic(shown, at(loc), f"module file '{mod.source}' is not Markdown",
                             "use a .md file", "curriculum.bad-source")
        elif source in sources:
            yield Diagnostic(shown, at(loc), f"module '{mod.id}' reuses the file of '{sources[source]}'",
                             "give each module its own file", "curriculum.duplicate-source")
        sources.setdefault(source, mod.id)
    if cur.xapi.auth and not cur.xapi.allow_embedded_credentials:
        yield Diagnostic(shown, at(("xapi", "auth")),
                         "xapi.auth would bake an LRS credential into every package",
                         "pass 'auth' as a launch parameter or use a forwarding endpoint; to embed it "
                         "anyway set 'allow_embedded_credentials: true'", "xapi.embedded-credentials")
    elif cur.xapi.auth:
        yield Diagnostic(shown, at(("xapi", "auth")),
                         "xapi.auth is baked into every package: anyone with a package can post "
                         "statements as this client", "prefer launch parameters or a forwarding endpoint",
                         "xapi.embedded-credentials", Severity.WARNING)
    for i, path in enumerate(cur.paths):
        for j, ref in enumerate(path.modules):
            if ref not in modules:
                yield Diagnostic(shown, at(("paths", i, "modules", j)),
                                 f"path '{path.id}' names unknown module '{ref}'",
                                 "use a module id from 'modules'", "curriculum.unknown-ref")
        for ref, _ in _duplicates((m, ()) for m in path.modules):
            yield Diagnostic(shown, at(("paths", i, "modules")),
                             f"path '{path.id}' lists module '{ref}' twice", "list it once",
                             "curriculum.duplicate-id")
