"""The files the builder ships next to its code: page templates, the runtime scripts and the
preview player. They live in the repository's top-level `templates/` folder, which the
package maps to `builder.templates` (setup.py), so an installed wheel and a checkout find
them the same way. Every reader of those files goes through this module: never a path
relative to the repository, which does not exist once the builder is installed."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

from jinja2 import BaseLoader, PackageLoader

TEMPLATES_PACKAGE = "builder.templates"
RUNTIME_DIR = "runtime"
PREVIEW_DIR = "preview"


def templates() -> Traversable:
    """The templates folder as shipped (a directory, or a folder inside a zip)."""
    return resources.files(TEMPLATES_PACKAGE)


def template_loader() -> BaseLoader:
    """Jinja's loader for the page and report templates."""
    return PackageLoader(TEMPLATES_PACKAGE, ".")


def runtime_file(name: str) -> Traversable:
    """One of the runtime files copied into every package (cpom-runtime.js, cpom.css, …)."""
    return templates() / RUNTIME_DIR / name


def runtime_names() -> list[str]:
    """Every runtime file, sorted (for tests and tools that look at all of them)."""
    return sorted(f.name for f in (templates() / RUNTIME_DIR).iterdir() if f.is_file())


def preview_file(name: str) -> Traversable:
    """One of the preview player's own files (player.html, preview-lms.js, index.html)."""
    return templates() / PREVIEW_DIR / name


__all__ = ["preview_file", "runtime_file", "runtime_names", "template_loader", "templates"]
