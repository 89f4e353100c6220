"""Keyed hashes of party identifiers, tracking numbers and access codes.

Party identifiers are never stored in clear for matching: an access request is matched against
HMAC-SHA256(deployment secret, normalized document number | party name | ID number or credit code),
so a database dump without the secret reveals nothing, and one indexed lookup answers a match and a
miss in the same time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from gongshi.domain.intake import Intake
from gongshi.redaction.identifiers import resident_id_valid, uscc_valid

_SPACES = re.compile(r"[\s\u3000]+")
_ID_JUNK = re.compile(r"[\s\u3000\-‐‑–—_./]+")
# Document-number brackets agencies and people type interchangeably: 〔2026〕 [2026] 【2026】 (2026).
_BRACKETS = str.maketrans(
    {"〔": "[", "〕": "]", "【": "[", "】": "]", "〖": "[", "〗": "]", "(": "[", ")": "]"}
)
# No 0/O, 1/I/L: read aloud over the phone and typed from a letter without mistakes.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def normalize_name(name: str) -> str:
    """Full-width to half-width, no spaces: （合肥）某某有限公司 and (合肥)某某有限公司 are one name."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).casefold()


def normalize_id(id_number: str) -> str:
    """Resident ID / credit code as one upper-case run: '3401 0419-9001 01123x' → '34010419900101123X'."""
    return _ID_JUNK.sub("", unicodedata.normalize("NFKC", id_number)).upper()


def normalize_document_number(number: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", number)).translate(_BRACKETS).upper()


def _key(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"gongshi:{purpose}:".encode() + secret.encode()).digest()


def _mac(secret: str, purpose: str, message: str) -> str:
    return hmac.new(_key(secret, purpose), message.encode(), hashlib.sha256).hexdigest()


def party_key(secret: str, document_number: str, name: str, id_number: str) -> str:
    """The match key of (document number, party name, party ID number or credit code)."""
    message = "\x1f".join(
        (normalize_document_number(document_number), normalize_name(name), normalize_id(id_number))
    )
    return _mac(secret, "party", message)


def intake_party_key(secret: str, intake: Intake) -> str | None:
    """The match key of a decision's party; None when the agency gave no ID number."""
    if not intake.party.id_number:
        return None
    return party_key(secret, intake.document_number, intake.party.name, intake.party.id_number)


def id_hash(secret: str, id_number: str) -> str:
    """A requester's ID number as kept with the request: enough to check it, not to read it."""
    return _mac(secret, "requester-id", normalize_id(id_number))


def id_hint(id_number: str) -> str:
    """The first and last digits only, for staff talking to the requester: 3401**********123X."""
    value = normalize_id(id_number)
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def document_hash(secret: str, document_number: str) -> str:
    """Key for the per-document rate limit (no document numbers kept in memory in clear)."""
    return _mac(secret, "document", normalize_document_number(document_number))[:32]


ACCESS_PREFIX, CORRECTION_PREFIX = "GK", "JC"  # 公开 (access) and 纠错 (correction) requests


def normalize_tracking_no(raw: str) -> str:
    """A tracking number as stored: 'gk20261125-7kq3m9xd ' → 'GK20261125-7KQ3M9XD'."""
    return raw.strip().upper()


def is_access_tracking_no(raw: str) -> bool:
    """Access requests' numbers start GK; everything else is looked up as a correction request."""
    return normalize_tracking_no(raw).startswith(ACCESS_PREFIX)


def new_tracking_no(prefix: str, on: str) -> str:
    """'GK20261125-7KQ3M9XD': type, date received, 8 random characters (≈ 39 bits)."""
    return f"{prefix}{on.replace('-', '')}-{''.join(secrets.choice(_ALPHABET) for _ in range(8))}"


def new_access_code() -> str:
    """A one-off access code, 10 characters in two groups: 'K7QM2-XR9TD' (≈ 49 bits)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def access_code_hash(secret: str, tracking_no: str, code: str) -> str:
    normalized = _ID_JUNK.sub("", unicodedata.normalize("NFKC", code)).upper()
    return _mac(secret, "access-code", f"{tracking_no}\x1f{normalized}")


def same(a: str | None, b: str) -> bool:
    """Constant-time comparison of two hex digests (a missing one never matches)."""
    return hmac.compare_digest(a or "", b) and a is not None


_PASSPORT = re.compile(r"[A-Z]{1,2}[0-9]{6,10}")


def id_number_problem(id_number: str) -> str | None:
    """What is wrong with an ID number or credit code a requester typed, in words; None when it is plausible.

    Resident IDs and credit codes carry check characters, so a typo is caught here instead of
    silently never matching. Passports and permits (letters then digits) and the 15-digit old ID or
    business registration number have no check to run.
    """
    n = normalize_id(id_number)
    if len(n) == 18 and n[:17].isdigit():
        if resident_id_valid(n):
            return None
        if uscc_valid(n):
            return None
        return "身份证号码有误：请核对出生日期和最后一位校验码"
    if len(n) == 18:
        if uscc_valid(n):
            return None
        return "统一社会信用代码有误：请核对各位字符和最后一位校验码"
    if len(n) == 15 and n.isdigit():
        return None
    if _PASSPORT.fullmatch(n):
        return None
    return "证件号码位数或格式不对：身份证号码和统一社会信用代码均为18位，护照、通行证为字母加数字"
