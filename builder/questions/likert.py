"""`likert`: a rating on a labelled scale (for example five points from "Not at all" to
"Completely"). Not scored: there is no right answer, so it counts toward neither the score
nor mastery, and its interaction has no correct response and the result `neutral`.

    type: likert
    scale: [Not at all, Slightly, Moderately, Very, Completely]
"""

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
    QuestionModel,
    distinct,
)


class LikertQuestion(QuestionModel):
    type: Literal["likert"]
    scale: list[Text] = Field(min_length=2, max_length=11)


class Kind(QuestionKind[LikertQuestion]):
    name = "likert"
    model = LikertQuestion
    scored = False
    answer_key = "scale"
    minutes = 0.5

    def check(self, q: LikertQuestion) -> Iterable[Finding]:
        if not distinct(q.scale):
            yield ("two points of the scale have the same label", "make every label different",
                   "question.duplicate-option")

    def interaction(self, q: LikertQuestion) -> Interaction:
        # Points 1..n, lowest first: the response is one id (RTE 2004 §4.2.9.1 likert; xAPI
        # 1.0.3 Data §2.4.4.1 lists them as `scale`). SCORM 1.2 has the likert type too.
        points = tuple(Component(str(i + 1), label) for i, label in enumerate(q.scale))
        return Interaction(type="likert", scored=False, components=(("scale", points),),
                           page={"scale": [p.page() for p in points]})


KIND = Kind()
