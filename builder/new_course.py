"""`cpom-builder new DIR`: a small, valid starter course to begin from: a curriculum, two
modules with one question of every type, a callout and an image with alt text, plus the JSON
Schemas its curriculum's editor modeline points at. It builds and passes `check` at once."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from builder.schema import SCHEMA_DIR, write_schemas

STARTER = "starter"


class TargetNotEmpty(ValueError):
    """The folder for the new course already holds files: never write over an author's work."""


def _copy(node: Traversable, target: Path) -> list[Path]:
    written: list[Path] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name.startswith(("_", ".")):
            continue  # __pycache__ and the like are not part of the course
        if child.is_dir():
            (target / child.name).mkdir(exist_ok=True)
            written += _copy(child, target / child.name)
        else:
            path = target / child.name
            path.write_bytes(child.read_bytes())
            written.append(path)
    return written


def new_course(target: Path) -> list[Path]:
    """Write the starter course into `target`, which must be missing or empty."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TargetNotEmpty(f"{target} already exists and is not empty: "
                             "choose a new folder name (nothing was written)")
    target.mkdir(parents=True, exist_ok=True)
    written = _copy(resources.files("builder").joinpath(STARTER), target)
    written += write_schemas(target / SCHEMA_DIR)
    return written


__all__ = ["TargetNotEmpty", "new_course"]
