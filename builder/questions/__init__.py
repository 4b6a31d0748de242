"""The question-type registry: every module of this package except `base` is one question
type (`choice.py`, `likert.py`...) that exports `KIND`, with its template macro
(`<module>.html.j2`) and page handler (`<module>.js`) next to it.

Types are discovered from the package and sorted by name, so adding a type means adding
its files here and nothing else: the question model's tagged union, the schema errors,
the parser's checks, the page data, the xAPI vocabulary, the report tables, the question
template and the runtime's handlers all read `KINDS`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union

from pydantic import Field

from builder.questions.base import Interaction, QuestionKind, QuestionModel

_NOT_TYPES = frozenset({"base"})


def _discover() -> tuple[QuestionKind[Any], ...]:
    found: list[QuestionKind[Any]] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _NOT_TYPES:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, QuestionKind):
            raise TypeError(f"{module.__name__} defines no KIND (a QuestionKind)")
        found.append(kind)
    return tuple(sorted(found, key=lambda k: k.name))


KINDS: tuple[QuestionKind[Any], ...] = _discover()
BY_NAME: Mapping[str, QuestionKind[Any]] = MappingProxyType({k.name: k for k in KINDS})
QUESTION_TYPES: tuple[str, ...] = tuple(BY_NAME)
HANDLERS: tuple[Path, ...] = tuple(k.handler for k in KINDS)
TEMPLATES = Path(__file__).resolve().parent

if TYPE_CHECKING:
    Question: TypeAlias = QuestionModel
else:
    # pydantic's tagged union over every type's model, dispatched on `type:`.
    Question = Annotated[Union[tuple(k.model for k in KINDS)], Field(discriminator="type")]  # noqa: UP007


def kind_of(q: QuestionModel) -> QuestionKind[Any]:
    return BY_NAME[q.type]


def interaction(q: QuestionModel) -> Interaction:
    """The question's typed interaction (SCORM 1.2, SCORM 2004 and xAPI forms)."""
    return BY_NAME[q.type].interaction(q)


__all__ = ["BY_NAME", "HANDLERS", "KINDS", "QUESTION_TYPES", "TEMPLATES", "Interaction",
           "Question", "QuestionKind", "QuestionModel", "interaction", "kind_of"]
