"""CPOM course builder: Markdown course modules to SCORM, cmi5 and xAPI packages."""

from builder import pydantic_plugins

__version__ = "0.1.0"

# Before any model is built (see builder/pydantic_plugins.py).
pydantic_plugins.install()
