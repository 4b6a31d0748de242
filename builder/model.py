"""Data models: the curriculum manifest and question blocks (pydantic, at the edges) and
the parsed course that flows through the pipeline (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

if TYPE_CHECKING:
    # Question types live in builder/questions/ (their registry builds the union).
    from builder.questions import Question

# Ids become file names, SCORM identifiers and IRI segments. SCORM 1.2 CMIIdentifier
# allows no spaces or periods (RTE 1.2 §3.4.2), so keep ids to lower-case slugs.
# Patterns end in \Z, not $: '$' also matches before a final newline, so "q1\n" would pass
# and then fail to match anywhere it is used (or put a newline in a file name).
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}\Z", strip_whitespace=False)
]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
# SCORM 1.2's <title> holds at most 200 characters (imscp_rootv1p1p2.xsd); a single-module
# package is titled "<course>: <module>", so the two together must fit.
CourseTitle = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
ModuleTitle = Annotated[str, StringConstraints(min_length=1, max_length=96, strip_whitespace=True)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
# NaN and infinities have no JSON form: the page's data would not parse.
Number = Annotated[float, Field(allow_inf_nan=False)]
# ISO 8601 duration as xAPI/cmi5 accept it (xAPI 1.0.3 Data §4.6).
Duration = Annotated[
    str, StringConstraints(pattern=r"^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?\Z")
]
Iri = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?\Z")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, regex_engine="python-re")


class Course(Strict):
    id: Iri = Field(description="IRI of the course; the base of every activity IRI.")
    title: CourseTitle
    description: Text
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}\Z")] = Field(
        description="Course version, e.g. 1.0.0; goes into every manifest."
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")] = (
        "en-US"
    )
    mastery_score: Number = Field(0.8, ge=0, le=1, description="Scaled passing score 0..1.")
    released: date = Field(
        date(2026, 1, 1), description="Release date; dates the xAPI profile (keeps builds reproducible)."
    )


class XapiSettings(Strict):
    """Build-time xAPI defaults for SCORM packages; launch parameters override them."""

    endpoint: Iri | None = Field(None, description="LRS endpoint the SCORM packages report to.")
    actor_home_page: Iri | None = Field(
        None, description="homePage of the account actor made from the SCORM learner id."
    )
    auth: str | None = Field(
        None, description="Authorization header value. Baked into every package: avoid."
    )
    allow_embedded_credentials: bool = Field(
        False, description="Must be true for 'auth' to be accepted; the build still warns."
    )


class Domain(Strict):
    id: Slug
    title: Title


class Goal(Strict):
    id: Slug
    title: Title


class ModuleRef(Strict):
    id: Slug
    title: ModuleTitle
    domain: Slug
    source: Text = Field(description="Markdown file, relative to the content folder.")
    duration: Duration = "PT30M"
    mastery_score: Number | None = Field(None, ge=0, le=1, description="Overrides the course's.")
    goals: list[Goal] = Field(min_length=1)


class LearningPath(Strict):
    id: Slug
    title: Title
    modules: list[Slug] = Field(min_length=1)


class ExamDraw(Strict):
    """How many items each attempt draws: per mastery goal, or per competency domain."""

    per_goal: int | None = Field(None, ge=1, le=100, description="Items drawn per covered goal.")
    per_domain: int | None = Field(None, ge=1, le=1000, description="Items drawn per domain.")

    @model_validator(mode="after")
    def _one_rule(self) -> ExamDraw:
        if (self.per_goal is None) == (self.per_domain is None):
            raise ValueError("give exactly one of 'per_goal' and 'per_domain'")
        return self

    @property
    def by(self) -> str:
        return "goal" if self.per_goal is not None else "domain"

    @property
    def count(self) -> int:
        return self.per_goal if self.per_goal is not None else self.per_domain or 0


class ExamSettings(Strict):
    """The certification exam: items drawn from question banks (README: Authoring)."""

    id: Slug = Field("exam", description="Folder and id of the exam; not a module id.")
    title: ModuleTitle = "Certification exam"
    banks: list[Text] = Field(min_length=1, description="Bank files or globs, relative to content/.")
    pass_mark: Number | None = Field(None, ge=0, le=1, description="Scaled pass mark; default: the course's.")
    draw: ExamDraw = ExamDraw(per_goal=1)
    attempts: int = Field(3, ge=1, le=100, description="Attempts a learner is allowed.")
    time_limit: Duration | None = Field(None, description="ISO 8601 duration an attempt may take.")
    covers: list[Slug] | None = Field(None, min_length=1, description="Modules drawn from; default all.")
    certifies: list[Slug] = Field([], description="Career path ids named on the certificate.")
    evaluation: Text | None = Field(None, description="Course evaluation file (likert, long-fill-in).")


class Curriculum(Strict):
    course: Course
    domains: list[Domain] = Field(min_length=1)
    modules: list[ModuleRef] = Field(min_length=1)
    paths: list[LearningPath] = []
    xapi: XapiSettings = XapiSettings()
    exam: ExamSettings | None = None

    def mastery(self, module: ModuleRef) -> float:
        return module.mastery_score if module.mastery_score is not None else self.course.mastery_score

    def pass_mark(self, exam: ExamSettings) -> float:
        return exam.pass_mark if exam.pass_mark is not None else self.course.mastery_score


CALLOUT_KINDS = ("analogy", "key-point", "warning", "example", "note", "scenario")


# --- the parsed course ---------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    """A file from the content folder that a page references (image or linked file)."""

    source: str  # absolute path on disk, already checked to lie inside content/
    target: str  # path inside the package, lower-case [a-z0-9._/-]


@dataclass(frozen=True)
class PlacedQuestion:
    """A question as authored plus where it sits: its screen and source line."""

    question: Question
    screen: int
    line: int  # the opening fence
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> source line
    prompt_html: str = ""  # the prompt's Markdown, rendered and reference-checked at parse time

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True)
class Screen:
    title: str
    html: str  # rendered Markdown; questions appear as placeholders until render
    line: int


@dataclass(frozen=True)
class Module:
    ref: ModuleRef
    source: str  # display path of the Markdown file
    title: str
    screens: list[Screen]
    questions: list[PlacedQuestion]
    assets: list[Asset] = field(default_factory=list)
    words: int = 0


@dataclass(frozen=True)
class BankItem:
    """An exam item (or evaluation item) and the bank file it was written in."""

    placed: PlacedQuestion  # screen is always 0: a bank has no screens
    source: str  # display path of the bank file

    @property
    def id(self) -> str:
        return self.placed.question.id


@dataclass(frozen=True)
class DrawGroup:
    """Items an attempt draws `count` of: the pool of one goal, or of one domain."""

    group: str  # goal id or domain id
    count: int
    items: tuple[str, ...]  # item ids, in bank order


@dataclass(frozen=True)
class ParsedExam:
    """The certification exam: settings, every bank item, the evaluation, and what it covers."""

    settings: ExamSettings
    pass_mark: float
    items: tuple[BankItem, ...]  # in bank order (banks in the order they are listed)
    evaluation: tuple[BankItem, ...]
    covers: tuple[ModuleRef, ...]  # in curriculum order
    goals: tuple[Goal, ...]  # the covered modules' goals, in curriculum order
    draw: tuple[DrawGroup, ...]
    assets: tuple[Asset, ...] = ()

    @property
    def id(self) -> str:
        return self.settings.id


@dataclass(frozen=True)
class ParsedCourse:
    """Everything the render and package stages need: the curriculum, its modules and
    the certification exam (None when the curriculum declares none)."""

    curriculum: Curriculum
    root: str  # absolute path of the content folder
    modules: list[Module]
    exam: ParsedExam | None = None
