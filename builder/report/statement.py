"""The part of an xAPI statement the reports read, as typed msgspec Structs: the schema a
statement must meet to count. Everything else in a statement is ignored, so statements from
any LRS or export parse; a field the reports read must have the type xAPI gives it (strict
decoding: no string-to-number or number-to-string coercion).

msgspec rather than pydantic here because this is the report's hot path: a million
statements decode several times faster straight into these Structs than through pydantic
(see README, "Dependencies and why")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec

# Before every real statement: a statement with no timestamp loses every "latest" contest.
NEVER = datetime.min.replace(tzinfo=UTC)

# xAPI Data §2.4.5.1.2: score.scaled is a decimal number between -1 and 1 inclusive.
Scaled = Annotated[float, msgspec.Meta(ge=-1.0, le=1.0)]


class _Loose(msgspec.Struct, frozen=True, gc=False):
    """gc=False: these hold no reference cycles, and untracked objects make decoding a
    million of them much cheaper (fewer garbage-collector passes)."""


class Account(_Loose, frozen=True):
    homePage: str = ""
    name: str = ""


class Actor(_Loose, frozen=True):
    name: str | None = None
    mbox: str | None = None
    mbox_sha1sum: str | None = None
    openid: str | None = None
    account: Account | None = None

    def key(self) -> str:
        """The actor's inverse functional identifier, as one string."""
        if self.account is not None:
            return f"{self.account.homePage}|{self.account.name}"
        return self.mbox or self.mbox_sha1sum or self.openid or ""


class Verb(_Loose, frozen=True):
    id: str


class Ref(_Loose, frozen=True):
    id: str = ""
    objectType: str | None = None


class Score(_Loose, frozen=True):
    scaled: Scaled | None = None


# Left raw (a slice of the line, not decoded) until a reader needs it: only exam statements'
# extensions and statement references are read (builder.report.exam), so the rest cost
# nearly nothing and never make a statement unreadable.
UNREAD = msgspec.Raw()


class Result(_Loose, frozen=True):
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: str | None = None
    score: Score | None = None
    extensions: msgspec.Raw = UNREAD


class ContextActivities(_Loose, frozen=True):
    parent: list[Ref] | Ref | None = None
    grouping: list[Ref] | Ref | None = None
    other: list[Ref] | Ref | None = None

    @staticmethod
    def ids(value: list[Ref] | Ref | None) -> list[str]:
        if value is None:
            return []
        return [r.id for r in (value if isinstance(value, list) else [value])]


class Context(_Loose, frozen=True):
    registration: str | None = None
    contextActivities: ContextActivities | None = None
    extensions: msgspec.Raw = UNREAD
    statement: msgspec.Raw = UNREAD


class Statement(_Loose, frozen=True):
    """A statement as first decoded: its actor and context are left raw (a slice of the
    line), then checked against their types (`checked`, `check_run`) and decoded where they
    are read (`who`, `ctx`). The statements of an export come in runs by one learner in one
    activity, whose actors and contexts are the same text: checked once per run rather than
    built into a dozen objects per statement, which was a third of a report's decoding."""

    actor: msgspec.Raw
    verb: Verb
    object: Ref
    id: str = ""
    result: Result | None = None
    context: msgspec.Raw = UNREAD
    # xAPI Data §2.4.7/§4.5: ISO 8601 timestamps, compared as instants (13:00+05:00 is
    # before 12:00Z). One without a time zone is taken as UTC.
    timestamp: datetime | None = None
    stored: datetime | None = None

    def who(self) -> Actor:
        """The actor (checked when the statement was read, so this decoding succeeds)."""
        return ACTOR.decode(self.actor)

    def ctx(self) -> Context | None:
        """The context (checked when the statement was read), None when there is none."""
        return CONTEXT.decode(self.context) if self.context else None

    def related(self) -> list[str]:
        return related(self.context)

    def instant(self) -> datetime:
        """When the statement happened: its timestamp, else when the LRS stored it."""
        at = self.timestamp or self.stored
        if at is None:
            return NEVER
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


ACTOR = msgspec.json.Decoder(Actor)
CONTEXT = msgspec.json.Decoder(Context | None)


def related(context: msgspec.Raw) -> list[str]:
    """The activity ids of a (checked) raw context's contextActivities."""
    ctx = CONTEXT.decode(context) if context else None
    ca = ctx.contextActivities if ctx is not None else None
    if ca is None:
        return []
    return [*ca.ids(ca.parent), *ca.ids(ca.grouping), *ca.ids(ca.other)]


def _rooted(exc: msgspec.ValidationError, field: str) -> msgspec.ValidationError:
    """A part's validation error as the whole statement's decoding words it (`$.actor...`)."""
    message, at, where = str(exc).rpartition(" - at `$")
    if at:
        return msgspec.ValidationError(f"{message} - at `$.{field}{where}")
    return msgspec.ValidationError(f"{exc} - at `$.{field}`")


def checked(s: Statement) -> Statement:
    """The statement, once its actor and context are found to be of their xAPI types;
    else the ValidationError the decoding of the whole statement gives."""
    try:
        ACTOR.decode(s.actor)
    except msgspec.ValidationError as exc:
        raise _rooted(exc, "actor") from None
    if s.context:
        try:
            CONTEXT.decode(s.context)
        except msgspec.ValidationError as exc:
            raise _rooted(exc, "context") from None
    return s


def check_run(statements: list[Statement]) -> None:
    """Check a run's actors and contexts (raising on the first bad one), each text once
    for as long as it repeats from one statement to the next."""
    decode_actor, decode_context = ACTOR.decode, CONTEXT.decode
    actor = context = UNREAD
    for s in statements:
        if s.actor != actor:
            actor = s.actor
            decode_actor(actor)
        if s.context != context:
            context = s.context
            if context:
                decode_context(context)


def utc_text(at: datetime) -> str:
    """An instant as xAPI's usual UTC form, e.g. 2026-03-02T09:00:07.000Z ("" for none)."""
    if at == NEVER:
        return ""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


STATEMENT = msgspec.json.Decoder(Statement)


def decode_statement(data: bytes | msgspec.Raw) -> Statement:
    """One statement, decoded and checked (as `checked`): what every reader but a file's
    fast path (which checks a whole run at once, `check_run`) uses."""
    return checked(STATEMENT.decode(data))


VOIDED = "http://adlnet.gov/expapi/verbs/voided"
VOIDING_MARK = b"/verbs/voided"


class _Voiding(msgspec.Struct):
    verb: Verb
    object: Ref


_VOIDING = msgspec.json.Decoder(_Voiding)


def voided_by(line: bytes) -> str | None:
    """The id of the statement a line voids (xAPI Data §2.2.4: verb voided, object a
    StatementRef), or None. Only the verb and object are read, so a voiding statement
    voids even when the rest of it does not read."""
    try:
        s = _VOIDING.decode(line)
    except (msgspec.DecodeError, RecursionError, ValueError):
        return None
    if s.verb.id == VOIDED and s.object.objectType == "StatementRef" and s.object.id:
        return s.object.id
    return None


class Page(msgspec.Struct):
    """A StatementResult (xAPI Communication §2.1.3): one page of an LRS's answer, or a
    whole-document export. Statements stay raw here and are decoded one by one, so one bad
    statement is skipped and counted rather than failing the page."""

    statements: list[msgspec.Raw]
    more: str = ""


PAGE = msgspec.json.Decoder(Page)
ARRAY = msgspec.json.Decoder(list[msgspec.Raw])


def what(exc: BaseException) -> str:
    """What is wrong, in one line, from a decoding failure."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    text = str(exc).replace("\n", " ")
    message, at, where = text.rpartition(" - at ")
    if at:
        return f"{where.strip('`')}: {message[:1].lower()}{message[1:]}"
    return text[:1].lower() + text[1:]


def problem(exc: BaseException) -> str:
    """What is wrong with one statement and how to fix it, in one line."""
    if isinstance(exc, msgspec.ValidationError):
        return f"{what(exc)}: give the field its xAPI type"
    if isinstance(exc, RecursionError):
        return f"{what(exc)}: a statement is a few levels of JSON objects"
    if isinstance(exc, UnicodeDecodeError):
        return f"{what(exc)}: export statements as UTF-8 JSON"
    return f"{what(exc)}: write one JSON statement per line"
