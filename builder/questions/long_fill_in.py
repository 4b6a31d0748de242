"""`long-fill-in`: a written reflection in the learner's own words. Not scored: it counts
toward neither the score nor mastery; its interaction has no correct response and the
result `neutral`.

SCORM 2004 and xAPI have `long-fill-in` (a response of up to 4000 characters, RTE 2004
§4.2.9.1); SCORM 1.2 has no such type (RTE 1.2 §3.4.2), so 1.2 records it as `fill-in`,
whose student_response holds 255 characters: the runtime sends the first 255.

    type: long-fill-in
    prompt: How will you use this at work?
"""

from __future__ import annotations

from typing import Literal

from builder.questions.base import Interaction, QuestionKind, QuestionModel

# RTE 2004 §4.2.9.1: a long-fill-in learner response holds at most 4000 characters.
LIMIT = 4000


class LongFillInQuestion(QuestionModel):
    type: Literal["long-fill-in"]


class Kind(QuestionKind[LongFillInQuestion]):
    name = "long-fill-in"
    model = LongFillInQuestion
    scored = False
    minutes = 3.0

    def interaction(self, q: LongFillInQuestion) -> Interaction:
        return Interaction(type="long-fill-in", type12="fill-in", scored=False,
                           page={"maxLength": LIMIT})


KIND = Kind()
