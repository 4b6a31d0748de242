"""`matching`: 2 to 26 sources, each paired with its target from a shuffled list."""

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


class MatchingQuestion(ScoredQuestion):
    type: Literal["matching"]
    pairs: list[tuple[Text, Text]] = Field(min_length=2, max_length=26)


class Kind(QuestionKind[MatchingQuestion]):
    name = "matching"
    model = MatchingQuestion
    answer_key = "pairs"
    minutes = 2.0

    def check(self, q: MatchingQuestion) -> Iterable[Finding]:
        if not distinct(s for s, _ in q.pairs) or not distinct(t for _, t in q.pairs):
            yield ("matching sources and targets must each be distinct",
                   "make every source and every target different", "question.duplicate-option")

    def interaction(self, q: MatchingQuestion) -> Interaction:
        # Sources 1, 2, 3...; targets a, b, c...; pairs `1[.]a[,]2[.]b` (2004, xAPI), `1.a,2.b` (1.2).
        sources = tuple(Component(str(i + 1), s) for i, (s, _) in enumerate(q.pairs))
        targets = tuple(Component(choice_id(i), t) for i, (_, t) in enumerate(q.pairs))
        order = shuffled(q.id, [t.text for t in targets])
        key = [[s.id, targets[i].id] for i, s in enumerate(sources)]
        return Interaction(
            type="matching", patterns=("[,]".join(f"{s}[.]{t}" for s, t in key),),
            pattern12=",".join(f"{s}.{t}" for s, t in key),
            components=(("source", sources), ("target", targets)),
            page={"sources": [s.page() for s in sources],
                  "targets": [targets[i].page() for i in order], "key": key})


KIND = Kind()
