"""What redaction returns: the public record, every span removed, and what the reviewer must check."""

from __future__ import annotations

from typing import Any, Literal

from msgspec import Struct

from gongshi.domain.public import PublicDecision

Status = Literal["publishable", "withheld"]
WithholdCode = Literal["state_secret", "trade_secret", "privacy_harm", "public_security", "minor", "other"]


class Policy(Struct, kw_only=True, frozen=True):
    """Per-agency choices the law leaves open."""

    keep_officer_names: bool = False
    # Set only by an explicit, audited reviewer decision: publish a minor's case with the minor removed.
    minor_override: bool = False
    placeholder: str = "××"


class Span(Struct, kw_only=True, frozen=True):
    """One removal: `field` is a dotted path into the intake (e.g. "facts", "party.address")."""

    field: str
    start: int
    end: int
    category: str
    rule: str
    replacement: str


class Reason(Struct, kw_only=True, frozen=True):
    """Why the whole decision is withheld (Art 15)."""

    code: WithholdCode
    detail: str


class Doubt(Struct, kw_only=True, frozen=True):
    """Something the reviewer must look at: a trigger word with nothing found, an unsure name…"""

    field: str
    start: int
    end: int
    kind: str
    message: str
    # Stable within a revision (gongshi.redaction.entities.doubt_id); the reviewer resolves it.
    id: str = ""
    status: Literal["open", "masked", "kept"] = "open"


class Mention(Struct, kw_only=True, frozen=True):
    """One place an entity is written: `text` is the original string at field[start:end]."""

    field: str
    start: int
    end: int
    text: str


class Entity(Struct, kw_only=True, frozen=True):
    """One person, one ID number, one address: all its mentions share one replacement (王某1)."""

    id: str
    category: str
    replacement: str
    source: Literal["engine", "reviewer", "agency_list"]
    mentions: list[Mention]


class RedactionResult(Struct, kw_only=True, frozen=True):
    status: Status
    reasons: list[Reason]
    public: PublicDecision
    redactions: list[Span]
    doubts: list[Doubt]
    # The spans grouped by what they remove (gongshi.redaction.entities).
    entities: list[Entity] = []


class LeakHit(Struct, kw_only=True, frozen=True):
    """A protected item found in bytes about to be published; `excerpt` is itself masked."""

    category: str
    rule: str
    start: int
    end: int
    excerpt: str


def as_builtins(result: RedactionResult) -> dict[str, Any]:
    """JSON-ready dict of a result (for storage and the CLI)."""
    import msgspec

    out: dict[str, Any] = msgspec.to_builtins(result)
    return out
