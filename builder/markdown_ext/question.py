"""Question blocks: fenced ```question blocks with a YAML body become Question models.

| registry      | name     | priority | why                                                   |
|---------------|----------|----------|-------------------------------------------------------|
| preprocessors | question | 25       | after normalize_whitespace (30), sees source lines    |

Only a preprocessor sees line numbers (Python-Markdown's block processors get text blocks),
so the YAML is parsed and validated here and each block is replaced by a stashed
placeholder `<div data-cpom-question="ID"></div>` that the render stage fills in.
Question content never round-trips through HTML.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from pydantic import TypeAdapter, ValidationError

from builder import yamlsource
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.inline import inline_html
from builder.model import PlacedQuestion
from builder.questions import BY_NAME, KINDS, Question, QuestionModel
from builder.schema_errors import translate

QUESTION_ADAPTER: TypeAdapter[Question] = TypeAdapter(Question)
# The goal an evaluation item is given in place of the mastery goal it must not name:
# evaluation items count toward no goal, and the page reports none for them.
EVALUATION_GOAL = "evaluation"


class QuestionPreprocessor(Preprocessor):
    OPEN = re.compile(r"^(`{3,}|~{3,})\s*question\s*$")

    def __init__(self, md: Markdown, ctx: ParseContext) -> None:
        super().__init__(md)
        self.ctx = ctx

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = self.OPEN.match(lines[i])
            if not match:
                out.append(lines[i])
                i += 1
                continue
            fence = match.group(1)
            start = i
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
            fence_line = self.ctx.first_line + start
            if end is None:
                self.ctx.error(fence_line, "question block is never closed",
                               f"end it with a line holding only {fence}", "question.unclosed")
                return out
            placeholder = self._parse("\n".join(lines[start + 1 : end]), fence_line)
            out.extend(["", placeholder, ""])
            i = end + 1
        return out

    def _parse(self, body: str, fence_line: int) -> str:
        ctx = self.ctx
        try:
            data, lines = yamlsource.load(body)
        except yamlsource.YamlSyntaxError as exc:
            what = {"yaml-syntax": "malformed YAML in question", "bad-value": "question"}.get(
                exc.code, "YAML not accepted in question")
            fix = exc.fix if exc.code != "yaml-syntax" or exc.fix != yamlsource.SYNTAX_FIX else ""
            ctx.error(fence_line + exc.line, f"{what}: {exc.problem}",
                      fix or "fix the YAML (indent with spaces; quote text that contains ': ')",
                      f"question.{exc.code}")
            return ""
        if not isinstance(data, dict):
            ctx.error(fence_line, "question block is not a mapping of keys",
                      "write 'id:', 'goal:', 'type:' and 'prompt:' lines", "question.type")
            return ""
        if ctx.evaluation:
            evaluated = self._evaluation_item(data, lines, fence_line)
            if evaluated is None:
                return ""
            data = evaluated
        try:
            question = QUESTION_ADAPTER.validate_python(data)
        except ValidationError as exc:
            ctx.diagnostics.extend(translate(exc, path=ctx.shown, lines=lines, model=QuestionModel,
                                             area="question", line_offset=fence_line,
                                             strip_tag=True))
            return ""
        key_lines = {str(k[0]): fence_line + n for k, n in lines.items() if len(k) == 1}
        prompt_html = inline_html(question.prompt, ctx, key_lines.get("prompt", fence_line))
        ctx.questions.append(PlacedQuestion(question, ctx.screen, fence_line, key_lines, prompt_html))
        return str(self.md.htmlStash.store(f'<div data-cpom-question="{question.id}"></div>'))


    def _evaluation_item(
        self, data: dict[Any, Any], lines: dict[yamlsource.Loc, int], fence_line: int
    ) -> dict[Any, Any] | None:
        """An evaluation block as a question model reads it, or None when its type is scored.
        An evaluation asks for opinions: a right answer or a mastery goal has no place there."""
        ctx = self.ctx
        if "goal" in data:
            ctx.error(fence_line + yamlsource.line_of(lines, ("goal",)),
                      "an evaluation item counts toward no mastery goal",
                      "remove the 'goal:' line", "evaluation.goal")
        kind = BY_NAME.get(str(data.get("type")))
        if kind is not None and kind.scored:
            unscored = ", ".join(k.name for k in KINDS if not k.scored)
            ctx.error(fence_line + yamlsource.line_of(lines, ("type",)),
                      f"question type '{kind.name}' has right answers; an evaluation asks "
                      "for opinions", f"use one of: {unscored}", "evaluation.scored-type")
            return None
        return {**{k: v for k, v in data.items() if k != "goal"}, "goal": EVALUATION_GOAL}


class QuestionExtension(Extension):
    def __init__(self, ctx: ParseContext) -> None:
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(QuestionPreprocessor(md, self.ctx), "question", 25)
