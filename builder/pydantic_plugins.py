"""The builder runs no pydantic plugins, and does not look for any.

The first time pydantic builds a validator it imports its plugin loader, which imports
`importlib.metadata` (and with it `email`, `zipfile`, `csv`...) and reads the entry points
of every installed distribution to find plugins: about 40 ms of a one-second build, before
any work can start, to find nothing (the builder's models want no plugin). `install` puts a
loader that finds none in its place, unless pydantic already loaded its own or the user set
PYDANTIC_DISABLE_PLUGINS (pydantic's own switch, which then decides as it always does). Any
other name a newer pydantic asks the loader for comes from its real loader.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable

LOADER = "pydantic.plugin._loader"


def _no_plugins() -> Iterable[object]:
    return ()


def _real(name: str) -> object:
    """Any other name: from pydantic's own loader, which then replaces this one. (The
    import system asks modules for dunder names such as __path__: those are missing.)"""
    if name.startswith("__"):
        raise AttributeError(name)
    del sys.modules[LOADER]
    return getattr(importlib.import_module(LOADER), name)


def install() -> None:
    if LOADER in sys.modules or "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        return
    loader = types.ModuleType(LOADER, "pydantic's plugin loader, finding no plugins (builder)")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = _real  # type: ignore[method-assign]  # PEP 562
    sys.modules[LOADER] = loader
