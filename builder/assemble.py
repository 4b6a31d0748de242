"""Stage 4: assemble the file tree of one package (pages, shared runtime, media)."""

from __future__ import annotations

from pathlib import Path

from builder import identifiers as ids
from builder.model import Module

SHARED_DIR = "shared"
STYLESHEET = "cpom.css"


def package_tree(
    modules: list[Module], pages: dict[str, bytes], runtime: dict[str, bytes]
) -> dict[str, bytes]:
    """Everything but the format's control files: each module's page and media, and the
    runtime under shared/. Paths are relative, lower-case and POSIX."""
    files: dict[str, bytes] = {}
    for module in modules:
        page = ids.module_page(module.ref.id)
        files[page] = pages[page]
        for asset in module.assets:
            files[asset.target] = Path(asset.source).read_bytes()
    for name, data in runtime.items():
        files[f"{SHARED_DIR}/{name}"] = data
    return files
