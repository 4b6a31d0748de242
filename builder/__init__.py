"""CPOM course builder: Markdown course modules to SCORM, cmi5 and xAPI packages."""

__version__ = "0.1.0"
