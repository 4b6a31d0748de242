"""Stage 4: assemble the file tree of one package (pages, shared runtime, media)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from builder import identifiers as ids
from builder.model import Asset, Module, ParsedExam

SHARED_DIR = "shared"
STYLESHEET = "cpom.css"


EXAM_RUNTIME = "cpom-exam.js"  # render.EXAM_SCRIPT: only packages with the exam carry it


def package_tree(
    modules: list[Module], pages: dict[str, bytes], runtime: dict[str, bytes],
    exam: ParsedExam | None = None,
) -> dict[str, bytes]:
    """Everything but the format's control files: each module's page and media, the exam's
    when the package has it, and the runtime under shared/. Paths are relative, lower-case
    and POSIX."""
    files: dict[str, bytes] = {}
    parts: list[tuple[str, Iterable[Asset]]] = [(m.ref.id, m.assets) for m in modules]
    if exam is not None:
        parts.append((exam.id, exam.assets))
    for part, assets in parts:
        page = ids.module_page(part)
        files[page] = pages[page]
        for asset in assets:
            files[asset.target] = Path(asset.source).read_bytes()
    for name, data in runtime.items():
        if name != EXAM_RUNTIME or exam is not None:
            files[f"{SHARED_DIR}/{name}"] = data
    return files
