"""`choice`: one right answer among 2 to 26 options (radio buttons)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from builder.questions.base import (
    Choice,
    Component,
    Finding,
    Interaction,
    QuestionKind,
    ScoredQuestion,
    choice_id,
    distinct,
)


class ChoiceQuestion(ScoredQuestion):
    type: Literal["choice"]
    choices: list[Choice] = Field(min_length=2, max_length=26)


def check_choices(choices: list[Choice], single: bool) -> Iterable[Finding]:
    """The checks `choice` and `multiple-choice` share."""
    correct = sum(c.correct for c in choices)
    if correct == 0:
        yield ("no choice is marked correct", "add 'correct: true' to the right choice",
               "question.no-correct-answer")
    elif single and correct > 1:
        yield (f"{correct} choices are marked correct in a single-answer question",
               "mark one, or use 'type: multiple-choice'", "question.many-correct")
    if not distinct(c.text for c in choices):
        yield ("two choices have the same text", "make every choice different",
               "question.duplicate-option")


def choice_interaction(choices: list[Choice]) -> Interaction:
    """SCORM/xAPI `choice`: the right option ids, `a[,]c` (2004, xAPI) and `a,c` (1.2)."""
    options = tuple(Component(choice_id(i), c.text) for i, c in enumerate(choices))
    key = [choice_id(i) for i, c in enumerate(choices) if c.correct]
    return Interaction(type="choice", patterns=("[,]".join(key),), pattern12=",".join(key),
                       components=(("choices", options),),
                       page={"options": [o.page() for o in options], "key": key})


class Kind(QuestionKind[ChoiceQuestion]):
    name = "choice"
    model = ChoiceQuestion
    answer_key = "choices"

    def check(self, q: ChoiceQuestion) -> Iterable[Finding]:
        return check_choices(q.choices, single=True)

    def interaction(self, q: ChoiceQuestion) -> Interaction:
        return choice_interaction(q.choices)


KIND = Kind()
