"""`sequencing`: 2 to 26 steps, shown shuffled, that the learner puts in order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from builder.model import Text
from builder.questions.base import (
    Component,
    Finding,
    Interaction,
    QuestionKind,
    ScoredQuestion,
    choice_id,
    distinct,
    shuffled,
)


class SequencingQuestion(ScoredQuestion):
    type: Literal["sequencing"]
    order: list[Text] = Field(min_length=2, max_length=26)


class Kind(QuestionKind[SequencingQuestion]):
    name = "sequencing"
    model = SequencingQuestion
    answer_key = "order"
    minutes = 1.5

    def check(self, q: SequencingQuestion) -> Iterable[Finding]:
        if not distinct(q.order):
            yield ("two sequencing steps have the same text", "make every step different",
                   "question.duplicate-option")

    def interaction(self, q: SequencingQuestion) -> Interaction:
        # Step ids a, b, c... in the right order, so the pattern is `a[,]b[,]c`.
        steps = tuple(Component(choice_id(i), t) for i, t in enumerate(q.order))
        order = shuffled(q.id, list(q.order))
        key = [s.id for s in steps]
        return Interaction(type="sequencing", patterns=("[,]".join(key),),
                           pattern12=",".join(key), components=(("choices", steps),),
                           page={"steps": [steps[i].page() for i in order], "key": key})


KIND = Kind()
