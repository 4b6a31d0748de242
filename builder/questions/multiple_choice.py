"""`multiple-choice`: one or more right answers among 2 to 26 options (check boxes); SCORM
and xAPI record it as a `choice` interaction with several ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from builder.questions.base import Choice, Finding, Interaction, QuestionKind, ScoredQuestion
from builder.questions.choice import check_choices, choice_interaction


class MultipleChoiceQuestion(ScoredQuestion):
    type: Literal["multiple-choice"]
    choices: list[Choice] = Field(min_length=2, max_length=26)


class Kind(QuestionKind[MultipleChoiceQuestion]):
    name = "multiple-choice"
    model = MultipleChoiceQuestion
    answer_key = "choices"
    minutes = 1.5

    def check(self, q: MultipleChoiceQuestion) -> Iterable[Finding]:
        return check_choices(q.choices, single=False)

    def interaction(self, q: MultipleChoiceQuestion) -> Interaction:
        return choice_interaction(q.choices)


KIND = Kind()
