"""What every question type is made of: the fields all question blocks share, the typed
`Interaction` a type hands the tracking standards, and the `QuestionKind` a type module
exports as `KIND` for the registry (`builder/questions/__init__.py`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel

from builder.identifiers import choice_id
from builder.model import Slug, Strict, Text

__all__ = ["choice_id"]  # re-exported for the type modules

# The three forms a response takes (standards.md §2.7; RTE 1.2 §3.4.2 for SCORM 1.2).
Form = Literal["scorm12", "scorm2004", "xapi"]
FORMS: tuple[Form, ...] = ("scorm12", "scorm2004", "xapi")
# SCORM 1.2 CMIFeedback (correct_responses.n.pattern, student_response) holds 255 characters.
SCORM12_LIMIT = 255


class Feedback(Strict):
    correct: Text
    incorrect: Text


class Choice(Strict):
    text: Text
    correct: bool = False


class QuestionModel(Strict):
    """The keys every question block has; a type's model adds `type` and its own keys."""

    id: Slug
    goal: Slug
    prompt: Text
    if TYPE_CHECKING:
        # Each type's model declares `type` as its Literal; declared here for type checkers
        # only, so the fields keep their order (id, goal, prompt, feedback, type, ...), which
        # the allowed-keys hints list.
        type: str


class ScoredQuestion(QuestionModel):
    """A question with a right answer: it may say what to show when the answer is right or wrong."""

    feedback: Feedback | None = None


@dataclass(frozen=True)
class Component:
    """One option, source, target, step or scale point: its id and its text."""

    id: str
    text: str

    def page(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True)
class Separators:
    """How a form joins a response's parts: a list of ids, and a pair inside it."""

    list: str
    pair: str
    true: str
    false: str
    limit: int | None  # characters the data model holds


SEPARATORS: Mapping[Form, Separators] = {
    # RTE 1.2 §3.4.2: "a,b", "1.a", t/f, CMIFeedback 255.
    "scorm12": Separators(",", ".", "t", "f", SCORM12_LIMIT),
    # RTE 2004 4th Ed. §4.2.9.1 and xAPI 1.0.3 Data §2.4.4.1 share the bracketed delimiters.
    "scorm2004": Separators("[,]", "[.]", "true", "false", None),
    "xapi": Separators("[,]", "[.]", "true", "false", None),
}

Part = str | tuple[str, str] | bool


@dataclass(frozen=True)
class Interaction:
    """A question as SCORM 1.2, SCORM 2004 and xAPI record it: one typed value instead of a
    dictionary whose keys change with the type.

    `patterns` are the correct responses in the SCORM 2004 / xAPI form (they are the same:
    xAPI 1.0.3 Data §2.4.4.1 adopted RTE 2004 §4.2.9.1); `pattern12` is the one SCORM 1.2
    pattern, None when 1.2 cannot express the answer. `type12` is SCORM 1.2's type when 1.2
    lacks the type (1.2 has no long-fill-in). An unscored interaction has no correct
    response, and its result is `neutral` in both SCORM versions (RTE 1.2 §3.4.2,
    RTE 2004 §4.2.9.1 result vocabulary)."""

    type: str
    patterns: tuple[str, ...] = ()
    pattern12: str | None = None
    type12: str | None = None
    scored: bool = True
    # xAPI component lists by their definition key: choices, source, target, scale, steps.
    components: tuple[tuple[str, tuple[Component, ...]], ...] = ()
    # What the page's handler reads (the answer key, components in display order), as today.
    page: Mapping[str, Any] = field(default_factory=dict)
    # The page lists every pattern (`patterns2004`) rather than one (`pattern2004`).
    several: bool = False

    def scorm12(self) -> dict[str, str]:
        """cmi.interactions.n.* elements SCORM 1.2 gets from the build."""
        out = {"type": self.type12 or self.type}
        if self.pattern12 is not None:
            out["correct_responses.0.pattern"] = self.pattern12[:SCORM12_LIMIT]
        return out

    def scorm2004(self) -> dict[str, str]:
        """cmi.interactions.n.* elements SCORM 2004 gets from the build."""
        out = {"type": self.type}
        for n, pattern in enumerate(self.patterns):
            out[f"correct_responses.{n}.pattern"] = pattern
        return out

    def xapi(self, language: str) -> dict[str, Any]:
        """The interaction part of an xAPI activity definition (xAPI 1.0.3 Data §2.4.4.1)."""
        out: dict[str, Any] = {"interactionType": self.type}
        if self.patterns:
            out["correctResponsesPattern"] = list(self.patterns)
        for key, items in self.components:
            out[key] = [{"id": c.id, "description": {language: c.text}} for c in items]
        return out

    def result(self, correct: bool | None, form: Form) -> str:
        """cmi.interactions.n.result: 1.2 says `wrong`, 2004 `incorrect`."""
        if not self.scored or correct is None:
            return "neutral"
        if correct:
            return "correct"
        return "wrong" if form == "scorm12" else "incorrect"

    def learner_response(self, parts: Sequence[Part], form: Form) -> str:
        """A response's parts joined in `form` (the JS handlers do the same in the page)."""
        sep = SEPARATORS[form]

        def one(part: Part) -> str:
            if isinstance(part, bool):
                return sep.true if part else sep.false
            return sep.pair.join(part) if isinstance(part, tuple) else part

        text = sep.list.join(one(p) for p in parts)
        return text[: sep.limit] if sep.limit is not None else text

    def page_data(self) -> dict[str, Any]:
        """The question's tracking data on the page, next to what its handler reads."""
        out: dict[str, Any] = {"interactionType": self.type, **self.page,
                               "pattern12": self.pattern12}
        if self.several or not self.patterns:
            out["patterns2004"] = list(self.patterns)  # none for an unscored type
        else:
            out["pattern2004"] = self.patterns[0] if self.patterns else None
        if self.type12 is not None:
            out["interactionType12"] = self.type12
        if not self.scored:
            out["scored"] = False
        return out

    def texts(self) -> dict[str, str]:
        """Component id -> text, for reading responses back in a report."""
        out: dict[str, str] = {}
        for _, items in self.components:
            for c in items:
                out.setdefault(c.id, c.text)
        return out


# A check's finding: message, fix, code (the question's id and line are added by the parser).
Finding = tuple[str, str, str]
Q = TypeVar("Q", bound=QuestionModel)


class QuestionKind(Generic[Q]):
    """One question type: its model, checks, interaction, template, handler and report reading.

    A type module (`builder/questions/<name>.py`) subclasses this and exports an instance as
    `KIND`; its template macro `body(item, qid)` sits in `<name>.html.j2` and its page
    handler in `<name>.js`, both next to it."""

    name: ClassVar[str]
    model: ClassVar[type[BaseModel]]
    scored: ClassVar[bool] = True
    minutes: ClassVar[float] = 1.0  # seat time to read, answer and read the feedback
    answer_key: ClassVar[str] = "answer"  # the key whose line a check's finding points at

    @property
    def stem(self) -> str:
        """The file stem of the type's module, template and handler."""
        return self.name.replace("-", "_")

    @property
    def template(self) -> str:
        return f"{self.stem}.html.j2"

    @property
    def handler(self) -> Path:
        return Path(__file__).with_name(f"{self.stem}.js")

    def check(self, q: Q) -> Iterable[Finding]:
        """Problems the model's types cannot express (a key with no right answer...)."""
        return ()

    def interaction(self, q: Q) -> Interaction:
        raise NotImplementedError

    def readable(self, response: str, interaction: Interaction) -> str:
        """An xAPI response (the SCORM 2004 form) as a report shows it: ids become texts."""
        texts = interaction.texts()
        if not texts:
            return response
        out = []
        for part in response.split("[,]"):
            if "[.]" in part:
                source, target = part.split("[.]", 1)
                out.append(f"{texts.get(source, source)} → {texts.get(target, target)}")
            else:
                out.append(texts.get(part, part))
        return "; ".join(out)


# --- helpers the type modules share ---------------------------------------------------------


def distinct(items: Iterable[str]) -> bool:
    listed = list(items)
    return len({i.casefold() for i in listed}) == len(listed)


def shuffled(key: str, items: list[str]) -> list[int]:
    """A deterministic display order (indexes) that is not the authored one when avoidable."""
    order = sorted(range(len(items)), key=lambda i: hashlib.sha256(f"{key}\0{items[i]}".encode()).hexdigest())
    if order == list(range(len(items))) and len(items) > 1:
        order = order[1:] + order[:1]
    return order


def number(value: float) -> str:
    """A decimal without exponent: SCORM's real(10,7) and xAPI patterns take plain digits."""
    text = format(Decimal(repr(value)), "f")
    return text.removesuffix(".0")
