"""Stage 2: parse each module's Markdown into screens, questions and assets."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from builder import forked
from builder.errors import Diagnostic, display_path
from builder.markdown_ext import ScreenMarkdown, limits
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.fences import FENCE, fenced, unclosed_code_fence
from builder.model import Curriculum, Module, ModuleRef, PlacedQuestion, Screen
from builder.questions import BY_NAME, kind_of

MAX_CHARS = 2_000_000  # the longest CPOM module is about 60,000 characters
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")


# Below this much Markdown (bytes) one process is quicker: forking and sending the modules back
# cost about 20 ms, and Python-Markdown reads about 1 MB a second (a CPOM module is 35 KB).
PARALLEL_BYTES = 100_000

Parsed = tuple[Module | None, list[Diagnostic]]


def parse_modules(
    cur: Curriculum, content: Path, jobs: int | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Module], list[Diagnostic]]:
    """Parse every module whose file exists (missing files were reported by `load`).

    With `jobs` 2 (None: 2 when two cores are free and the course is large enough), a
    forked process and this one parse the modules, each taking the next when it is done
    (the largest first), and this one first calls `meanwhile` (work that does not need
    the modules). The modules and diagnostics come out in curriculum order either way,
    the same as from one process."""
    found: list[tuple[ModuleRef, Path]] = []
    sizes: list[int] = []
    root = content.resolve()
    for ref in cur.modules:
        try:
            source = (content / ref.source).resolve()
            if not source.is_file() or not source.is_relative_to(root):
                continue
            sizes.append(source.stat().st_size)
        except (OSError, ValueError):  # reported by `load`
            continue
        found.append((ref, source))
    if jobs is None:
        jobs = 2 if forked.cores() >= 2 and sum(sizes) >= PARALLEL_BYTES else 1
    if jobs < 2 or len(found) < 2 or not forked.can_fork():
        markdown = ScreenMarkdown()
        parsed = [parse_module(ref, source, content, markdown) for ref, source in found]
    else:
        parsed = _parse_in_two(found, sizes, content, meanwhile)
    modules = [module for module, _ in parsed if module is not None]
    return modules, [d for _, problems in parsed for d in problems]


def _parse_in_two(
    found: list[tuple[ModuleRef, Path]], sizes: list[int], content: Path,
    meanwhile: Callable[[], object] | None,
) -> list[Parsed]:
    """Each module parsed by whichever of two processes is free, in curriculum order."""
    # The largest first, so that the last module taken is a small one: the two processes
    # then finish at about the same time.
    order = sorted(range(len(found)), key=lambda n: (-sizes[n], n))
    markdown = ScreenMarkdown()  # each process gets its own copy at the fork

    def parse_one(n: int) -> Parsed:
        ref, source = found[n]
        return parse_module(ref, source, content, markdown)

    parsed: list[Parsed] = [(None, [])] * len(found)
    for n, (module, problems) in zip(order, forked.map_in_two(parse_one, order, meanwhile),
                                     strict=True):
        # A module parsed by the child holds a copy of its curriculum entry: point it back
        # at this process's own, as a single process would.
        ref = found[n][0]
        parsed[n] = (module if module is None or module.ref is ref
                     else dataclasses.replace(module, ref=ref), problems)
    return parsed


def _split(lines: list[str]) -> tuple[list[tuple[int, str]], list[int]]:
    """Find `## ` screen headings outside fenced blocks: (line index, title) each."""
    headings: list[tuple[int, str]] = []
    stray: list[int] = []
    for i, (line, verbatim) in enumerate(zip(lines, fenced(lines), strict=True)):
        if verbatim:
            continue
        if line.startswith("## "):
            headings.append((i, line[3:].strip()))
        elif i > 0 and re.match(r"^# ", line):
            stray.append(i)
    return headings, stray


def parse_module(
    ref: ModuleRef, source: Path, content: Path, markdown: ScreenMarkdown | None = None
) -> tuple[Module | None, list[Diagnostic]]:
    """One module's screens, questions and assets; `markdown` converts the screens (pass
    one to share it between modules)."""
    markdown = markdown or ScreenMarkdown()
    shown = display_path(source, content)
    problems: list[Diagnostic] = []

    def error(line: int, message: str, fix: str, code: str) -> None:
        problems.append(Diagnostic(shown, line, message, fix, code))

    try:
        # utf-8-sig: a byte-order mark, as some Windows editors write, is not content.
        text = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        error(0, "file is not UTF-8", "save it as UTF-8", "module.encoding")
        return None, problems
    if len(text) > MAX_CHARS:
        error(1, f"the module is longer than {MAX_CHARS // 1_000_000} million characters",
              "split it into several modules", "module.too-large")
        return None, problems
    lines = text.replace("\r\n", "\n").split("\n")
    title = lines[0][2:].strip() if lines and lines[0].startswith("# ") else ""
    if not title:
        error(1, "module file does not start with '# Title'",
              f"make the first line '# {ref.title}'", "module.no-title")
    elif title != ref.title:
        error(1, f"title '{title}' differs from curriculum.yaml's '{ref.title}'",
              "make the two titles the same", "module.title-mismatch")
    headings, stray = _split(lines)
    unclosed = unclosed_code_fence(lines)
    if unclosed is not None:
        error(unclosed[0] + 1, "code block is never closed",
              f"end it with a line holding only {unclosed[1]}", "module.unclosed-fence")
    for i in stray:
        error(i + 1, "a second '# ' heading", "use '## ' for screens and '### ' inside them",
              "module.extra-title")
    if not headings:
        error(2, "module has no screens", "start each screen with a '## Heading' line",
              "module.no-screens")
        return None, problems
    first = headings[0][0]
    loose = next((i for i in range(1, first) if lines[i].strip()), None)
    if loose is not None:
        error(loose + 1, "text before the first screen heading",
              "move it under a '## Heading'", "module.text-before-screen")

    screens: list[Screen] = []
    questions: list[PlacedQuestion] = []
    assets = []
    words = 0
    bounds = [h[0] for h in headings] + [len(lines)]
    for n, (start, heading) in enumerate(headings):
        body = lines[start + 1 : bounds[n + 1]]
        ctx = ParseContext(source=source, shown=shown, content_root=content, first_line=start + 2,
                           screen=n, lines=body)
        html = _convert(markdown, ctx, body)
        if not heading:
            error(start + 1, "screen heading is empty", "give the screen a title",
                  "module.empty-heading")
        screens.append(Screen(title=heading, html=html, line=start + 1))
        problems.extend(ctx.diagnostics)
        questions.extend(ctx.questions)
        assets.extend(ctx.assets)
        words += _count_words(body) + len(WORD.findall(heading))
    problems.extend(_check_questions(ref, questions, shown))
    module = Module(ref=ref, source=shown, title=title or ref.title, screens=screens,
                    questions=questions, assets=sorted(set(assets), key=lambda a: a.target),
                    words=words)
    return module, problems


def _convert(markdown: ScreenMarkdown, ctx: ParseContext, body: list[str]) -> str:
    """One screen's HTML, unless its text is beyond what the Markdown parser can bear."""
    found = limits.check(_without_questions(body), ctx.first_line)
    skip: set[int] = set()
    for p in found:
        if p.message:
            ctx.error(p.line, p.message, p.fix, p.code)
        skip.update(range(*p.span))
    # Leave the offending lines out (the build fails anyway) so the rest of the screen, its
    # questions above all, is still checked in the same run.
    text = "\n".join("" if i in skip else line for i, line in enumerate(body))
    try:
        return markdown.convert(ctx, text)
    except RecursionError:
        # limits.check keeps known recursion out; this catches any shape it does not know.
        ctx.error(ctx.first_line - 1, "this screen is nested too deeply to be read",
                  "flatten its lists, quotes and indentation", "module.too-deep")
        return ""


def _without_questions(body: list[str]) -> list[str]:
    """The screen's lines with question blocks blanked out (they are YAML, checked apart)."""
    out, fence = [], None
    for line in body:
        match = FENCE.match(line)
        if fence is None and match and "question" in line:
            fence = match.group(1)
            out.append("")
        elif fence is not None:
            if line.strip() == fence:
                fence = None
            out.append("")
        else:
            out.append(line)
    return out


def _count_words(body: list[str]) -> int:
    """Words of teaching text: everything except question blocks."""
    count, fence = 0, None
    for line in body:
        match = FENCE.match(line)
        if fence is None and match and "question" in line:
            fence = match.group(1)
        elif fence is not None:
            if line.strip() == fence:
                fence = None
        else:
            count += len(WORD.findall(line))
    return count


def _check_questions(
    ref: ModuleRef, placed: list[PlacedQuestion], shown: str
) -> Iterable[Diagnostic]:
    goals = {g.id for g in ref.goals}
    seen: dict[str, int] = {}
    for p in placed:
        q, line = p.question, p.line
        if q.id in seen:
            yield Diagnostic(shown, line, f"duplicate question id '{q.id}' (first at line {seen[q.id]})",
                             "give each question of the module a unique id",
                             "question.duplicate-id")
        seen.setdefault(q.id, line)
        if q.goal not in goals:
            yield Diagnostic(shown, p.line_of("goal"), f"question '{q.id}' names goal '{q.goal}', which is not a goal of module '{ref.id}'",
                             f"use one of: {', '.join(g.id for g in ref.goals)}",
                             "question.unknown-goal")
        yield from check_answer(p, shown)
    # Unscored questions (a likert scale, a reflection) cannot show that a goal is met.
    covered = Counter(p.question.goal for p in placed if kind_of(p.question).scored)
    asked = Counter(p.question.goal for p in placed)
    for goal in ref.goals:
        if not covered[goal.id]:
            unscored = ", ".join(k.name for k in BY_NAME.values() if not k.scored)
            what = "has no scored question" if asked[goal.id] else "has no question"
            yield Diagnostic(shown, 1, f"goal '{goal.id}' ({goal.title}) {what}",
                             f"add a question block with 'goal: {goal.id}'"
                             + (f" whose type is not {unscored}" if asked[goal.id] else ""),
                             "goal.no-question")


def check_answer(p: PlacedQuestion, shown: str) -> Iterable[Diagnostic]:
    """The question type's own checks, each pointing at the line of its answer key."""
    q = p.question
    kind = kind_of(q)
    line = p.line_of(kind.answer_key)
    for message, fix, code in kind.check(q):
        yield Diagnostic(shown, line, f"question '{q.id}': {message}", fix, code)
