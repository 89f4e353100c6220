"""Strings an intake tells us are protected, for redaction and for the leak gate."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict

import msgspec

from gongshi.domain.intake import Intake
from gongshi.redaction.addresses import region_only
from gongshi.redaction.types import Policy

_DISTRICT = re.compile(r"自治州|地区|盟|市|区|县|旗|镇|乡|街道")
_recent: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_published: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_recent_lock = threading.Lock()
_RECENT_MAX = 4096


def is_organisation(intake: Intake) -> bool:
    """Legal persons and other organisations: their registered address is published as it is."""
    return intake.party.kind in ("legal_person", "other_org")


def is_business(intake: Intake) -> bool:
    """Organisations and individual businesses, whose premises are registration facts (the enterprise
    credit register shows an individual business's 经营场所 beside its name, code and operator).

    An individual business's `address` may be its operator's home (住所 under the operator's ID number),
    so it is neither kept nor masked as a whole: the text rules decide by what stands before it.
    """
    return intake.party.kind in ("legal_person", "other_org", "individual_business")


def registration_number(intake: Intake) -> str | None:
    """A business party's registration number given instead of a credit code (工商注册号), which is public."""
    party = intake.party
    if party.kind != "natural_person" and party.id_type == "other" and party.id_number:
        return party.id_number
    return None


def public_names(intake: Intake) -> list[str]:
    """Names that are published: the party, its legal representative or operator, the agency."""
    party = intake.party
    names = [party.name, intake.agency.name]
    if party.legal_representative and party.kind != "natural_person":
        names.append(party.legal_representative)
    return [n for n in names if n]


def address_fragments(address: str) -> list[str]:
    """An address and its detailed part after the district, which text often quotes alone."""
    out = [address]
    for m in _DISTRICT.finditer(address):
        if len(address) - m.end() >= 6:
            out.append(address[m.end() :])
    return out


def intake_key(intake: Intake, policy: Policy) -> str:
    """Content hash of what decides the masked names: the intake without its source id, and the policy."""
    raw = msgspec.json.encode(msgspec.structs.replace(intake, source_id=""), order="sorted")
    flags = f"{int(policy.keep_officer_names)}{int(policy.minor_override)}".encode()
    return hashlib.blake2b(raw + flags, digest_size=16).hexdigest()


def remember(key: str, names: tuple[str, ...]) -> None:
    """Keep the names a redaction found, so a gate for the same intake knows them without re-segmenting."""
    with _recent_lock:
        _recent[key] = names
        _recent.move_to_end(key)
        while len(_recent) > _RECENT_MAX:
            _recent.popitem(last=False)


def forget() -> None:
    """Drop every remembered name and published string (what a new process starts with)."""
    with _recent_lock:
        _recent.clear()
        _published.clear()


def remember_published(key: str, strings: tuple[str, ...]) -> None:
    """Keep the strings found public in this intake's text (kept regions, public phones) for its gate."""
    with _recent_lock:
        _published[key] = strings
        _published.move_to_end(key)
        while len(_published) > _RECENT_MAX:
            _published.popitem(last=False)


def recalled_published(key: str) -> tuple[str, ...] | None:
    """Published strings remembered for this intake, if they were computed in this process."""
    with _recent_lock:
        return _published.get(key)


def recalled(key: str) -> tuple[str, ...] | None:
    """Names remembered for this intake, if it was redacted in this process (None if it was not)."""
    with _recent_lock:
        return _recent.get(key)


def structured_strings(intake: Intake, policy: Policy) -> list[tuple[str, str]]:
    """(string, category) of identifiers, contacts and addresses from structured fields."""
    party = intake.party
    out: list[tuple[str, str]] = []
    if party.id_number and party.id_type != "uscc" and registration_number(intake) is None:
        out.append((party.id_number, "resident_id" if party.id_type == "resident_id" else "passport"))
    if party.phone:
        out.append((party.phone, "phone"))
    if party.address and not is_business(intake) and not region_only(party.address):
        out.extend((a, "address") for a in address_fragments(party.address))
    for person in intake.persons:
        if person.id_number:
            out.append((person.id_number, "resident_id"))
    return out


def hint_names(intake: Intake, policy: Policy) -> list[str]:
    """Names from the `persons` hint that are masked (officers kept when the policy says so)."""
    keep = set(public_names(intake))
    return [
        p.name
        for p in intake.persons
        if p.name not in keep and not (p.role == "officer" and policy.keep_officer_names) and len(p.name) >= 2
    ]


def names_for_gate(intake: Intake, policy: Policy) -> tuple[str, ...]:
    """The names redaction masks in this intake: remembered if it ran here, else found the same way again.

    The gate must look for exactly what the engine masks: a cheaper, different name finder in a new
    process blocks correctly redacted records (its own guesses such as "司机" were never masked).
    """
    key = intake_key(intake, policy)
    remembered = recalled(key)
    if remembered is None:
        from gongshi.redaction.engine import masked_names

        remembered = masked_names(intake, policy)
        remember(key, remembered)
    return remembered


def protected_strings(intake: Intake, policy: Policy) -> list[str]:
    """Identifiers, contacts and addresses from the structured fields that must never leave the system."""
    published = "".join(public_names(intake)) + (intake.license.name if intake.license else "")
    return [s for s, _ in structured_strings(intake, policy) if s and s not in published]
