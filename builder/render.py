"""Stage 3: render module pages (Jinja2, autoescaped, StrictUndefined)."""

from __future__ import annotations

import json
import re
from typing import Any, TypedDict

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from builder.assemble import STYLESHEET
from builder.exam.page import exam_data
from builder.identifiers import module_page
from builder.model import Curriculum, Module, ParsedExam
from builder.packaged import runtime_file, template_loader
from builder.questions import HANDLERS, KINDS
from builder.questions import TEMPLATES as QUESTION_TEMPLATES
from builder.runtime_data import module_data
from builder.vocabulary import page_vocabulary

# The runtime files every module page loads, in order, under the same names in every format:
# what the tracker file holds differs per package (SCORM 1.2 or 2004, cmi5, Tin Can), so one
# rendered page serves every format.
TRACKER = "cpom-tracker.js"
PAGE_SCRIPTS = ("cpom-runtime.js", "cpom-xapi.js", TRACKER)
# The exam page's own runtime, in every format's shared files; it comes after the core
# runtime (which it extends) and before the tracker (which starts the page).
EXAM_SCRIPT = "cpom-exam.js"
EXAM_SCRIPTS = ("cpom-runtime.js", "cpom-xapi.js", EXAM_SCRIPT, TRACKER)
CORE_SCRIPT = "cpom-runtime.js"
PLACEHOLDER = re.compile(r'<div data-cpom-question="([a-z0-9-]+)"></div>')


class TemplateContext(TypedDict):
    """Every name a module template may use."""

    language: str
    shared: str
    scripts: list[str]
    course: dict[str, Any]
    module: dict[str, Any]
    goals: list[dict[str, Any]]
    screens: list[dict[str, Any]]
    data_json: Markup


def environment() -> Environment:
    return Environment(
        loader=ChoiceLoader([template_loader(), FileSystemLoader(QUESTION_TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _json_for_script(data: Any) -> Markup:
    """JSON that cannot close its <script> element or start a comment (HTML §4.12.1.3)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class PageRenderer:
    """Renders module pages; one instance per build so templates are compiled once."""

    def __init__(self) -> None:
        self.env = environment()
        self.template = self.env.get_template("module.html.j2")
        # Each question type's controls: the `body` macro of its template (the registry's).
        self.env.globals["question_bodies"] = {
            k.name: self.env.get_template(k.template).module.body  # type: ignore[attr-defined]
            for k in KINDS}
        self.question = self.env.get_template("question.html.j2")
        self.course_template = self.env.get_template("course.html.j2")
        self.exam_template = self.env.get_template("exam.html.j2")

    def render_course(
        self, cur: Curriculum, modules: list[Module], scripts: list[str],
        exam: ParsedExam | None = None,
    ) -> bytes:
        """The course menu page of packages that launch the course as a whole; the exam,
        when the package has it, is listed last."""
        domains = [
            {"id": d.id, "title": d.title,
             "modules": [{"title": m.title, "href": module_page(m.ref.id)}
                         for m in modules if m.ref.domain == d.id]}
            for d in cur.domains
        ]
        return self.course_template.render(
            language=cur.course.language, shared="shared", scripts=scripts,
            course={"title": cur.course.title, "description": cur.course.description},
            domains=[d for d in domains if d["modules"]],
            exam=None if exam is None else {"title": exam.settings.title,
                                            "href": module_page(exam.id)},
        ).encode("utf-8")

    def render_exam(self, cur: Curriculum, exam: ParsedExam) -> bytes:
        """The exam page: every bank item in a hidden pool, the evaluation, the certificate."""
        data = exam_data(cur, exam)
        prompts = {i.id: i.placed.prompt_html for i in exam.items}
        eval_prompts = {i.id: i.placed.prompt_html for i in exam.evaluation}
        base = {"language": cur.course.language, "shared": "../shared", "course": data["course"],
                "module": data["module"], "goals": data["goals"]}
        macro = self.question.make_module(base).question  # type: ignore[attr-defined]
        # Evaluation controls get ids of their own: an evaluation item may share a bank
        # item's id, and the page holds both.
        eval_base = {**base, "module": {**data["module"], "id": f"{exam.id}-eval"}}
        eval_macro = self.question.make_module(eval_base).question  # type: ignore[attr-defined]
        info = data["exam"]
        limit = info["timeLimitMs"]
        return self.exam_template.render(
            **base, scripts=list(EXAM_SCRIPTS), data_json=_json_for_script(data),
            pool=[Markup(macro({**q, "prompt_html": Markup(prompts[q["id"]])}))
                  for q in data["questions"]],
            evaluation=[Markup(eval_macro({**q, "prompt_html": Markup(eval_prompts[q["id"]])}))
                        for q in info["evaluation"]],
            exam={**info, "itemCount": sum(g.count for g in exam.draw),
                  "timeLimitMinutes": None if limit is None else round(limit / 60_000)},
        ).encode("utf-8")

    def render(self, cur: Curriculum, module: Module) -> bytes:
        data = module_data(cur, module, page_vocabulary(cur, module))
        # Prompts were rendered, and their links and images checked, when the module was parsed.
        prompts = {p.question.id: p.prompt_html for p in module.questions}
        by_id = {q["id"]: {**q, "prompt_html": Markup(prompts[q["id"]])} for q in data["questions"]}
        context: TemplateContext = {
            "language": cur.course.language,
            "shared": "../shared",
            "scripts": list(PAGE_SCRIPTS),
            "course": data["course"],
            "module": data["module"],
            "goals": data["goals"],
            "screens": [],
            "data_json": _json_for_script(data),
        }
        macro = self.question.make_module(dict(context)).question  # type: ignore[attr-defined]
        context["screens"] = [
            {"title": s.title,
             "html": Markup(PLACEHOLDER.sub(lambda m: str(macro(by_id[m.group(1)])), s.html))}
            for s in module.screens
        ]
        return self.template.render(**context).encode("utf-8")


BLOCK_COMMENT = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*\n", re.DOTALL | re.MULTILINE)
LINE_COMMENT = re.compile(r"^[ \t]*//[^\n]*\n", re.MULTILINE)
INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
BLANK = re.compile(r"\n{2,}")
# A `// comment` after a statement: only after `;`, `{`, `}`, `,` or `)` and a space, which
# in the runtime's style never occurs inside a string (URLs have no space before `//`).
TRAILING_COMMENT = re.compile(r"(?<=[;{},)])[ \t]+// [^\n]*$", re.MULTILINE)
# Spaces around CSS punctuation; the stylesheet's strings (font names, `content`) hold none
# of these characters next to a space that matters.
CSS_SPACE = re.compile(r"[ \t]*([{};:,>])[ \t]*")


def compact(source: str, css: bool = False) -> str:
    """Drop comments, indentation and blank lines from our own JS and CSS (and, in CSS, the
    spaces around punctuation).

    Deliberately simple and safe for the runtime's style (no template literals, no
    multi-line strings). The sources in templates/runtime/ stay readable; packages get
    about a third less to download.
    """
    text = LINE_COMMENT.sub("", BLOCK_COMMENT.sub("", source))
    text = BLANK.sub("\n", INDENT.sub("", text)).lstrip("\n")
    return CSS_SPACE.sub(r"\1", text) if css else TRAILING_COMMENT.sub("", text)


def _runtime_source(name: str) -> str:
    """A runtime file's source. The core runtime carries every question type's handler
    after it, in the registry's order, so a page has the handlers of all the types."""
    text = runtime_file(name).read_text(encoding="utf-8")
    if name == CORE_SCRIPT:
        text += "".join(path.read_text(encoding="utf-8") for path in HANDLERS)
    return text


def runtime_assets(names: list[str]) -> dict[str, bytes]:
    """The runtime files a package needs, read from templates/runtime/ and compacted."""
    return {name: compact(_runtime_source(name), css=name.endswith(".css")).encode("utf-8")
            for name in names}


def page_runtime(tracker: str, start: str = "", extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The stylesheet and EXAM_SCRIPTS (PAGE_SCRIPTS and the exam's) of one format: its tracker source (from
    templates/runtime/) is shipped as TRACKER, followed by `start` (a statement that starts
    a tracker the source only defines); `extra` files keep their own names."""
    common = [name for name in EXAM_SCRIPTS if name != TRACKER]
    files = runtime_assets([STYLESHEET, *common, *extra])
    source = runtime_assets([tracker])[tracker]
    files[TRACKER] = source + (start + "\n").encode("utf-8") if start else source
    return files


__all__ = ["EXAM_SCRIPT", "EXAM_SCRIPTS", "PAGE_SCRIPTS", "TRACKER", "PageRenderer", "page_runtime", "runtime_assets"]
