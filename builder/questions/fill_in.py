"""`fill-in`: a short typed answer, any of up to 10 accepted strings, case-insensitive."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from builder.questions.base import Interaction, QuestionKind, ScoredQuestion


class FillInQuestion(ScoredQuestion):
    type: Literal["fill-in"]
    # SCORM 2004 RTE: at most 10 strings of <= 250 characters per pattern (standards.md §2.7).
    answer: list[Annotated[str, StringConstraints(min_length=1, max_length=250)]] = Field(
        min_length=1, max_length=10
    )


class Kind(QuestionKind[FillInQuestion]):
    name = "fill-in"
    model = FillInQuestion

    def interaction(self, q: FillInQuestion) -> Interaction:
        # One pattern per accepted answer; matching is case-insensitive, as the runtime does.
        return Interaction(type="fill-in",
                           patterns=tuple("{case_matters=false}" + a for a in q.answer),
                           pattern12=q.answer[0], several=True, page={"key": q.answer})

    def readable(self, response: str, interaction: Interaction) -> str:
        return response


KIND = Kind()
