"""The part of an xAPI statement the reports read (pydantic, at the edge). Everything else
in a statement is ignored, so statements from any LRS or export parse."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Account(_Loose):
    homePage: str = ""  # noqa: N815 (xAPI's name)
    name: str = ""


class Actor(_Loose):
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


class Verb(_Loose):
    id: str


class Ref(_Loose):
    id: str = ""
    objectType: str | None = None  # noqa: N815


class Score(_Loose):
    scaled: float | None = None
    raw: float | None = None


class Result(_Loose):
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: str | None = None
    score: Score | None = None


class ContextActivities(_Loose):
    parent: list[Ref] | Ref | None = None
    grouping: list[Ref] | Ref | None = None
    other: list[Ref] | Ref | None = None

    @staticmethod
    def ids(value: list[Ref] | Ref | None) -> list[str]:
        if value is None:
            return []
        return [r.id for r in (value if isinstance(value, list) else [value])]


class Context(_Loose):
    registration: str | None = None
    contextActivities: ContextActivities | None = None  # noqa: N815


class Statement(_Loose):
    id: str = ""
    actor: Actor
    verb: Verb
    object: Ref
    result: Result | None = None
    context: Context | None = None
    timestamp: str = ""
    stored: str = ""

    def related(self) -> list[str]:
        ca = self.context.contextActivities if self.context else None
        if ca is None:
            return []
        return [*ca.ids(ca.parent), *ca.ids(ca.grouping), *ca.ids(ca.other)]
