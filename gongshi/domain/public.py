"""The public record: exactly what the portal, search and exports may show of a decision."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
from msgspec import Struct

from gongshi.domain.intake import IdType, Kind, PartyKind, PenaltyCategory


class _Out(Struct, kw_only=True, frozen=True, omit_defaults=False):
    """Base for published structs: immutable, no unknown fields can be added."""


class PublicAgency(_Out, kw_only=True, frozen=True):
    code: str
    name: str


class PublicParty(_Out, kw_only=True, frozen=True):
    kind: PartyKind
    # For a natural person this is the party's own name (Art 14 protects others' names, not the party's).
    name: str
    # Only an organisation's unified social credit code is ever published; never a personal ID.
    id_type: IdType | None = None
    id_number: str | None = None
    # The legal representative of an organisation / operator of an individual business (registration facts).
    legal_representative: str | None = None
    # An organisation's registered address is a registration fact; a natural person's address never appears.
    address: str | None = None


class PublicPenalty(_Out, kw_only=True, frozen=True):
    categories: list[PenaltyCategory] = []
    fine_yuan: Decimal | None = None
    confiscated_yuan: Decimal | None = None


class PublicLicense(_Out, kw_only=True, frozen=True):
    name: str
    number: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class PublicDecision(_Out, kw_only=True, frozen=True):
    agency: PublicAgency
    kind: Kind
    document_number: str
    title: str
    decided_on: date
    party: PublicParty
    facts: str = ""
    legal_basis: str = ""
    result: str = ""
    penalty: PublicPenalty | None = None
    license: PublicLicense | None = None
    full_text: str | None = None


_decoder = msgspec.json.Decoder(PublicDecision)


def decode_public(raw: bytes | str) -> PublicDecision:
    """The public record from its stored JSON (the read model's `record` column as text)."""
    return _decoder.decode(raw)


def public_from_builtins(record: Mapping[str, Any]) -> PublicDecision:
    """The public record from the stored JSON already parsed into dicts (an ORM `Disclosure.record`)."""
    return msgspec.convert(record, PublicDecision)
