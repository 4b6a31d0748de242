"""Honest seat time: estimate how long a module takes and warn when its declared `duration`
is far from it.

Declared durations end up in every manifest (cmi5 `duration`, the xAPI profile) and, when a
course is used for continuing education, in the contact hours on a certificate, so they must
be defensible. The estimate is deliberately simple and stated in the README:

- teaching text at READING_WPM words per minute (reading to learn is slower than the ~240
  words per minute adults reach for leisure non-fiction: learners stop at worked examples
  and tables);
- plus a fixed time per question by type (each type's `minutes`, builder/questions/): reading the item, working it
  out (numeric items are calculations) and reading the feedback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

from builder import yamlsource
from builder.errors import Diagnostic, Severity, display_path
from builder.model import Curriculum, Module
from builder.questions import kind_of

READING_WPM = 200
TOLERANCE = 0.25  # warn when the declared time is off by more than this share of the estimate

_ISO = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def declared_minutes(duration: str) -> float:
    """Minutes in an ISO 8601 duration as the curriculum allows it (days, hours, minutes,
    seconds; the model has already checked the shape)."""
    match = _ISO.match(duration)
    if match is None:
        return 0.0
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return days * 1440 + hours * 60 + minutes + seconds / 60


def estimated_minutes(module: Module) -> float:
    reading = module.words / READING_WPM
    answering = sum(kind_of(p.question).minutes for p in module.questions)
    return reading + answering


def suggested_duration(minutes: float) -> str:
    """The estimate rounded up to the next 5 minutes, as an ISO 8601 duration."""
    total = max(5, 5 * math.ceil(minutes / 5))
    hours, rest = divmod(total, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def check_durations(cur: Curriculum, modules: Iterable[Module], content: Path) -> list[Diagnostic]:
    """A warning for every module whose declared duration is more than TOLERANCE away from
    its estimate, pointing at the curriculum line that declares it."""
    path = content / "curriculum.yaml"
    shown = display_path(path, content)
    try:
        _, lines = yamlsource.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yamlsource.YamlSyntaxError):
        lines = {}  # the loader has already reported this file; point at its top
    index = {ref.id: i for i, ref in enumerate(cur.modules)}
    problems: list[Diagnostic] = []
    for module in modules:
        estimate = estimated_minutes(module)
        declared = declared_minutes(module.ref.duration)
        if estimate <= 0 or abs(declared - estimate) <= TOLERANCE * estimate:
            continue
        i = index[module.ref.id]
        # A module without `duration` gets the default; point at the module then.
        line = yamlsource.line_of(lines, ("modules", i, "duration"))
        problems.append(Diagnostic(
            shown, line,
            f"module '{module.ref.id}' declares {module.ref.duration} ({declared:.0f} min) but "
            f"takes about {estimate:.0f} min ({module.words} words at {READING_WPM} per minute "
            f"and {len(module.questions)} questions)",
            f"set 'duration: {suggested_duration(estimate)}' or change the module",
            "curriculum.duration-estimate", Severity.WARNING))
    return problems


__all__ = [
    "READING_WPM",
    "check_durations",
    "declared_minutes",
    "estimated_minutes",
    "suggested_duration",
]
