"""`true-false`: a statement the learner marks true or false."""

from __future__ import annotations

from typing import Literal

from builder.questions.base import Interaction, QuestionKind, ScoredQuestion


class TrueFalseQuestion(ScoredQuestion):
    type: Literal["true-false"]
    answer: bool


class Kind(QuestionKind[TrueFalseQuestion]):
    name = "true-false"
    model = TrueFalseQuestion
    minutes = 0.5

    def interaction(self, q: TrueFalseQuestion) -> Interaction:
        # `true`/`false` in 2004 and xAPI, `t`/`f` in SCORM 1.2 (RTE 1.2 §3.4.2).
        return Interaction(type="true-false", patterns=("true" if q.answer else "false",),
                           pattern12="t" if q.answer else "f", page={"key": q.answer})


KIND = Kind()
