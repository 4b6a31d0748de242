"""Stage 2b: the certification exam's bank files and course evaluation, checked against the
curriculum and the modules, and the draw groups each attempt draws from.

Bank and evaluation files are read like modules' question blocks (same parser, same
question types, same `path:line` checks) but their prose is never converted: it is there
for authors and reviewers, and no page shows it, so the build spends no time on it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown

from builder import yamlsource
from builder.errors import Diagnostic, display_path
from builder.load import CURRICULUM_FILE, reserved_id
from builder.markdown_ext.context import ParseContext
from builder.markdown_ext.fences import unclosed_code_fence
from builder.markdown_ext.inline import make_inline_markdown
from builder.markdown_ext.question import QuestionPreprocessor
from builder.markdown_ext.reuse import ReusedMarkdown
from builder.model import (
    Asset,
    BankItem,
    Curriculum,
    DrawGroup,
    ExamSettings,
    Module,
    ModuleRef,
    ParsedExam,
)
from builder.parse import MAX_CHARS, check_answer
from builder.questions import KINDS, kind_of

GLOB_CHARS = frozenset("*?[")


@dataclass
class ExamFiles:
    """What the bank and evaluation files of one exam hold, and their problems, before the
    checks that need the parsed modules."""

    problems: list[Diagnostic] = field(default_factory=list)
    items: list[BankItem] = field(default_factory=list)
    evaluation: list[BankItem] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)


def read_exam(cur: Curriculum, content: Path) -> ExamFiles:
    """Read the banks and the evaluation (most of the exam's cost: YAML and prompts). Needs
    no module, so the pipeline does it while a second process parses modules."""
    found = ExamFiles()
    settings = cur.exam
    if settings is None:
        return found
    shown = display_path(content / CURRICULUM_FILE, content)
    at = _curriculum_lines(content / CURRICULUM_FILE)
    found.problems += _check_settings(cur, settings, shown, at)
    evaluation = _file(content, settings.evaluation) if settings.evaluation else None
    if settings.evaluation and evaluation is None:
        found.problems.append(Diagnostic(
            shown, at("evaluation"), f"evaluation file '{yamlsource.shorten(settings.evaluation)}' not found",
            "create it or correct the path (relative to content/)", "exam.missing-file"))
    banks = _bank_files(content, settings, shown, at, found.problems)
    inline = ReusedMarkdown(make_inline_markdown)
    host = Markdown()  # its stash takes the placeholders the preprocessor makes
    for path in banks:
        if path != evaluation:
            _read(path, content, inline, host, found, evaluation=False)
    if evaluation is not None:
        _read(evaluation, content, inline, host, found, evaluation=True)
    return found


def load_exam(
    cur: Curriculum, content: Path, modules: list[Module], files: ExamFiles | None = None
) -> tuple[ParsedExam | None, list[Diagnostic]]:
    """The exam the curriculum declares (None without one), with every problem of its
    settings, banks and evaluation; `files`: what `read_exam` read already. The exam is
    returned even when there are problems, so that tools reading sources (preview, report)
    still see what is valid."""
    settings = cur.exam
    if settings is None:
        return None, []
    found = files if files is not None else read_exam(cur, content)
    problems = list(found.problems)
    shown = display_path(content / CURRICULUM_FILE, content)
    at = _curriculum_lines(content / CURRICULUM_FILE)
    covered = tuple(m for m in cur.modules if settings.covers is None or m.id in settings.covers)
    goals = tuple(g for m in covered for g in m.goals)
    problems += _check_items(cur, covered, modules, found.items)
    problems += _check_evaluation(found.evaluation)
    draw = _draw_groups(cur, settings, covered, found.items)
    problems += _check_draw(settings, draw, found.items, shown, at)
    exam = ParsedExam(settings=settings, pass_mark=cur.pass_mark(settings), items=tuple(found.items),
                      evaluation=tuple(found.evaluation), covers=covered, goals=goals,
                      draw=tuple(draw),
                      assets=tuple(sorted(set(found.assets), key=lambda a: a.target)))
    return exam, problems


def _curriculum_lines(path: Path) -> Callable[..., int]:
    """The line of a key under `exam:` in curriculum.yaml. The file is read again only when
    a problem must be located there: a correct exam costs nothing here."""

    @functools.cache
    def lines() -> dict[yamlsource.Loc, int]:
        try:
            return yamlsource.load(path.read_text(encoding="utf-8-sig"))[1]
        except (OSError, ValueError, yamlsource.YamlSyntaxError):
            return {}

    def at(*loc: str | int) -> int:
        return yamlsource.line_of(lines(), ("exam", *loc))

    return at


def _check_settings(
    cur: Curriculum, settings: ExamSettings, shown: str, at: Callable[..., int]
) -> Iterable[Diagnostic]:
    modules = {m.id for m in cur.modules}
    if settings.id in modules:
        yield Diagnostic(shown, at("id"), f"exam id '{settings.id}' is the id of a module",
                         "give the exam another id (it names the exam's folder in every package)",
                         "exam.id-clash")
    problem = reserved_id(settings.id)
    if problem:
        yield Diagnostic(shown, at("id"), f"exam id '{settings.id}' {problem}",
                         "choose another id", "curriculum.reserved-id")
    for j, ref in enumerate(settings.covers or []):
        if ref not in modules:
            yield Diagnostic(shown, at("covers", j), f"exam covers unknown module '{ref}'",
                             "use a module id from 'modules'", "curriculum.unknown-ref")
    paths = {p.id for p in cur.paths}
    for j, ref in enumerate(settings.certifies):
        if ref not in paths:
            yield Diagnostic(shown, at("certifies", j), f"exam certifies unknown career path '{ref}'",
                             "use a path id from 'paths'" if paths else "declare the path under 'paths'",
                             "curriculum.unknown-ref")


def _file(content: Path, name: str) -> Path | None:
    """An existing file inside the content folder, or None."""
    try:
        path = (content / name).resolve()
        inside = path.is_relative_to(content.resolve())
        return path if inside and path.is_file() else None
    except (OSError, ValueError):
        return None


def _bank_files(
    content: Path, settings: ExamSettings, shown: str, at: Callable[..., int],
    problems: list[Diagnostic],
) -> list[Path]:
    """Every bank file in the order listed (a glob's matches sorted by name), each once."""
    root = content.resolve()
    files: list[Path] = []
    for j, name in enumerate(settings.banks):
        if GLOB_CHARS & set(name):
            try:
                matches = sorted(p.resolve() for p in content.glob(name) if p.is_file())
            except (OSError, ValueError, NotImplementedError):
                matches = []
            matches = [p for p in matches if p.is_relative_to(root)]
        else:
            one = _file(content, name)
            matches = [one] if one is not None else []
        if not matches:
            none = "matches no file" if GLOB_CHARS & set(name) else "not found"
            problems.append(Diagnostic(shown, at("banks", j),
                                       f"bank file '{yamlsource.shorten(name)}' {none}",
                                       "create it or correct the path (relative to content/)",
                                       "exam.missing-file"))
        for path in matches:
            if path.suffix != ".md":
                problems.append(Diagnostic(shown, at("banks", j),
                                           f"bank file '{display_path(path, content)}' is not Markdown",
                                           "use .md files", "exam.bad-source"))
            elif path not in files:
                files.append(path)
    return files


def _read(
    path: Path, content: Path, inline: ReusedMarkdown, host: Markdown, found: ExamFiles,
    evaluation: bool,
) -> None:
    """One bank (or the evaluation): its question blocks, assets and problems."""
    shown = display_path(path, content)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        found.problems.append(Diagnostic(shown, 0, "file is not UTF-8", "save it as UTF-8",
                                         "exam.encoding"))
        return
    if len(text) > MAX_CHARS:
        found.problems.append(Diagnostic(shown, 1, f"the file is longer than {MAX_CHARS // 1_000_000} "
                                         "million characters", "split it into several files",
                                         "exam.too-large"))
        return
    lines = text.replace("\r\n", "\n").split("\n")
    if not (lines[0].startswith("# ") and lines[0][2:].strip()):
        found.problems.append(Diagnostic(shown, 1, "file does not start with '# Title'",
                                         "make the first line a title, e.g. '# Exam bank: Budgeting'",
                                         "exam.no-title"))
    unclosed = unclosed_code_fence(lines)
    if unclosed is not None:
        found.problems.append(Diagnostic(shown, unclosed[0] + 1, "code block is never closed",
                                         f"end it with a line holding only {unclosed[1]}",
                                         "exam.unclosed-fence"))
    ctx = ParseContext(source=path, shown=shown, content_root=content, first_line=1, screen=0,
                       lines=lines, inline_markdown=inline, evaluation=evaluation)
    QuestionPreprocessor(host, ctx).run(lines)
    host.reset()
    found.problems += ctx.diagnostics
    found.assets += ctx.assets
    if not ctx.questions and not ctx.diagnostics:
        found.problems.append(Diagnostic(shown, 1, "the file has no question blocks",
                                         "add ```question blocks (see README: Authoring)",
                                         "exam.empty"))
    items = [BankItem(p, shown) for p in ctx.questions]
    (found.evaluation if evaluation else found.items).extend(items)


def _check_items(
    cur: Curriculum, covered: tuple[ModuleRef, ...], modules: list[Module], items: list[BankItem]
) -> Iterable[Diagnostic]:
    owner = {g.id: m for m in cur.modules for g in m.goals}
    covered_ids = {m.id for m in covered}
    module_questions: dict[str, tuple[str, int]] = {}
    for m in modules:  # modules may share question ids: name the first, in curriculum order
        for placed in m.questions:
            module_questions.setdefault(placed.question.id, (m.source, placed.line))
    unscored = ", ".join(k.name for k in KINDS if not k.scored)
    first: dict[str, BankItem] = {}
    for item in items:
        p, q = item.placed, item.placed.question
        if q.id in first:
            earlier = first[q.id]
            yield Diagnostic(item.source, p.line,
                             f"duplicate exam item id '{q.id}' (first at {earlier.source}:{earlier.placed.line})",
                             "give every item of the banks a unique id", "exam.duplicate-id")
        first.setdefault(q.id, item)
        if q.id in module_questions:
            source, line = module_questions[q.id]
            yield Diagnostic(item.source, p.line,
                             f"exam item id '{q.id}' is the id of a module question ({source}:{line})",
                             "give exam items ids of their own (e.g. m01-x01)", "exam.duplicate-id")
        module = owner.get(q.goal)
        if module is None:
            yield Diagnostic(item.source, p.line_of("goal"),
                             f"exam item '{q.id}' names goal '{q.goal}', which is no module's goal",
                             "use the id of a mastery goal from curriculum.yaml", "exam.unknown-goal")
        elif module.id not in covered_ids:
            yield Diagnostic(item.source, p.line_of("goal"),
                             f"exam item '{q.id}' names goal '{q.goal}' of module '{module.id}', "
                             "which the exam does not cover",
                             f"add '{module.id}' to exam.covers or remove the item", "exam.unknown-goal")
        if not kind_of(q).scored:
            yield Diagnostic(item.source, p.line_of("type"),
                             f"exam item '{q.id}' is of type '{q.type}', which is not scored",
                             f"use a scored type (not {unscored}); opinions belong in the evaluation",
                             "exam.unscored-item")
        yield from check_answer(p, item.source)


def _check_evaluation(items: list[BankItem]) -> Iterable[Diagnostic]:
    first: dict[str, BankItem] = {}
    for item in items:
        if item.id in first:
            yield Diagnostic(item.source, item.placed.line,
                             f"duplicate evaluation item id '{item.id}' (first at line "
                             f"{first[item.id].placed.line})", "give every item a unique id",
                             "evaluation.duplicate-id")
        first.setdefault(item.id, item)
        yield from check_answer(item.placed, item.source)


def _draw_groups(
    cur: Curriculum, settings: ExamSettings, covered: tuple[ModuleRef, ...], items: list[BankItem]
) -> list[DrawGroup]:
    """Each goal's (or domain's) pool of items, in bank order, and how many are drawn."""
    count = settings.draw.count
    if settings.draw.by == "goal":
        keys: list[str] = [g.id for m in covered for g in m.goals]
        group_of = {g: g for g in keys}
    else:
        keys = list(dict.fromkeys(m.domain for m in covered))
        group_of = {g.id: m.domain for m in covered for g in m.goals}
    pools: dict[str, list[str]] = {k: [] for k in keys}
    for item in items:
        group = group_of.get(item.placed.question.goal)
        if group is not None and item.id not in pools[group]:
            pools[group].append(item.id)
    return [DrawGroup(k, count, tuple(pools[k])) for k in keys]


def _check_draw(
    settings: ExamSettings, draw: list[DrawGroup], items: list[BankItem], shown: str,
    at: Callable[..., int],
) -> Iterable[Diagnostic]:
    """Every group must be able to fill its draw on every attempt's first pass."""
    source = {item.id: item.source for item in items}
    by = settings.draw.by
    for group in draw:
        if len(group.items) >= group.count:
            continue
        has = f"has {len(group.items)} item{'s' * (len(group.items) != 1)}" if group.items else "has no items"
        message = f"{by} {group.group} {has} but the exam draws {group.count} per {by}"
        fix = f"add items or lower draw.per_{by}"
        if group.items:
            # The bank that holds the group's items is where the author adds more.
            yield Diagnostic(source[group.items[0]], 1, message, fix, "exam.pool-too-small")
        else:
            yield Diagnostic(shown, at("draw", f"per_{by}"), message,
                             f"write items with 'goal: ...' for it, or lower draw.per_{by}",
                             "exam.pool-too-small")


__all__ = ["ExamFiles", "load_exam", "read_exam"]
