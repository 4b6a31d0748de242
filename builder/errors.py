"""Diagnostics: the one place user-facing problems are represented and formatted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the sources: where it is, what is wrong and how to fix it."""

    path: str
    line: int
    message: str
    fix: str
    code: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        return f"{where}: {self.severity.value}: {self.message}: {self.fix} [{self.code}]"


class BuildFailed(Exception):
    """Raised by the pipeline when a stage reported errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = sorted(diagnostics)


def display_path(path: Path, root: Path) -> str:
    """A path as users should see it: relative to the working directory when possible."""
    for base in (Path.cwd(), root):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    return f"{errors} error(s), {warnings} warning(s)"
