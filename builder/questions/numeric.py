"""`numeric`: a number, exact or within a [min, max] range."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from builder.model import Number
from builder.questions.base import Finding, Interaction, QuestionKind, ScoredQuestion, number


class NumericQuestion(ScoredQuestion):
    type: Literal["numeric"]
    answer: Number | tuple[Number, Number]


class Kind(QuestionKind[NumericQuestion]):
    name = "numeric"
    model = NumericQuestion
    minutes = 2.0

    def check(self, q: NumericQuestion) -> Iterable[Finding]:
        if isinstance(q.answer, tuple) and q.answer[0] > q.answer[1]:
            yield (f"range [{q.answer[0]}, {q.answer[1]}] has min above max",
                   "write the range as [min, max]", "question.bad-range")

    def interaction(self, q: NumericQuestion) -> Interaction:
        low, high = (q.answer, q.answer) if isinstance(q.answer, float) else q.answer
        return Interaction(type="numeric", patterns=(f"{number(low)}[:]{number(high)}",),
                           # SCORM 1.2 numeric patterns are a single number: no range
                           pattern12=number(low) if low == high else None,
                           page={"key": [low, high]})

    def readable(self, response: str, interaction: Interaction) -> str:
        return response


KIND = Kind()
