"""The course as a report needs it: the curriculum and each module's question blocks (its
vocabulary of module, goal and question IRIs, and what the tables show of each question),
without rendering any Markdown.

A full load (builder.pipeline.load_course) renders every screen of every module, which
took half of a million-statement report's start-up and is of no use to the report. The
quick load below reads the same question blocks with the same question preprocessor and
model; whenever it meets anything it does not expect (an error in the curriculum, a
question block, a title or the questions' ids and goals) it hands over to the full load,
which stops with every diagnostic as `build` and `check` give them."""

from __future__ import annotations

from pathlib import Path

from markdown import Markdown

from builder import yamlsource
from builder.errors import Severity, display_path
from builder.exam.load import ExamFiles, load_exam, read_exam
from builder.load import load_curriculum
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.question import QUESTION_ADAPTER, QuestionPreprocessor
from builder.model import Curriculum, Module, ModuleRef, ParsedCourse, PlacedQuestion
from builder.parse import MAX_CHARS, _check_questions, _split
from builder.report.two import in_two


class _Unexpected(Exception):
    """Something the full load has a diagnostic for."""


class _Questions(QuestionPreprocessor):
    """The build's question preprocessor, minus rendering the prompt (a report shows the
    prompt's text): any problem hands over to the full load."""

    def _parse(self, body: str, fence_line: int) -> str:
        try:
            data, lines = yamlsource.load(body)
            question = QUESTION_ADAPTER.validate_python(data)
        except Exception as exc:  # every kind of problem: the full load explains it
            raise _Unexpected from exc
        key_lines = {str(k[0]): fence_line + n for k, n in lines.items() if len(k) == 1}
        self.ctx.questions.append(PlacedQuestion(question, self.ctx.screen, fence_line, key_lines))
        return ""


def _module(ref: ModuleRef, content: Path, markdown: Markdown) -> Module:
    root = content.resolve()
    source = (content / ref.source).resolve()
    if not source.is_file() or not source.is_relative_to(root):
        raise _Unexpected
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise _Unexpected from None
    if len(text) > MAX_CHARS:
        raise _Unexpected
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines[0].startswith("# ") or lines[0][2:].strip() != ref.title:
        raise _Unexpected
    shown = display_path(source, content)
    # Screens split as a build splits them; each screen's lines go through the same
    # whitespace normalisation as in a build. (A stray `# ` heading is a teaching-text
    # problem: the report has no use for it.)
    headings, _stray = _split(lines)
    starts = [i for i, _title in headings]
    if not starts:
        raise _Unexpected
    normalize = markdown.preprocessors["normalize_whitespace"]
    questions: list[PlacedQuestion] = []
    for n, (start, end) in enumerate(zip(starts, [*starts[1:], len(lines)], strict=True)):
        ctx = ParseContext(source=source, shown=shown, content_root=content,
                           first_line=start + 2, screen=n, lines=lines[start + 1:end])
        _Questions(markdown, ctx).run(normalize.run(ctx.lines))
        if ctx.diagnostics:
            raise _Unexpected
        questions += ctx.questions
    if any(d.severity is Severity.ERROR for d in _check_questions(ref, questions, shown)):
        raise _Unexpected
    return Module(ref=ref, source=shown, title=ref.title, screens=[], questions=questions)


def _quick(content: Path) -> ParsedCourse:
    cur: Curriculum | None
    cur, problems = load_curriculum(content)
    if cur is None or any(d.severity is Severity.ERROR for d in problems):
        raise _Unexpected
    markdown = Markdown()
    curriculum: Curriculum = cur  # (for the closure below: cur is no longer None)
    exam_files: list[ExamFiles] = []

    def read_exam_meanwhile() -> None:
        # The exam's banks need no module (half of this load): read here while a forked
        # child reads modules, as a build does (builder.pipeline).
        exam_files.append(read_exam(curriculum, content))

    # A module with a problem raises _Unexpected here, from the child's items too (they are
    # then read again here: builder.forked).
    modules = in_two(lambda ref: _module(ref, content, markdown), list(cur.modules),
                         read_exam_meanwhile)
    # The exam's bank and evaluation items, read and checked as a build reads them.
    exam, exam_problems = load_exam(cur, content, modules, exam_files[0] if exam_files else None)
    if any(d.severity is Severity.ERROR for d in exam_problems):
        raise _Unexpected
    return ParsedCourse(cur, str(content.resolve()), modules, exam)


def load_for_report(content: Path) -> ParsedCourse:
    """The course's curriculum and questions (screens left empty); raises BuildFailed, as
    load_course does, on a course with errors."""
    try:
        return _quick(content)
    except _Unexpected:
        from builder.pipeline import load_course

        return load_course(content)[0]
