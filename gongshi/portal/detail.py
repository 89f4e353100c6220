"""One disclosure: its public record as a page and as JSON, the withdrawal notice, and caching."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import Text, bindparam, cast, select

from gongshi.core.context import Workflow
from gongshi.domain.public import PublicLicense, PublicParty, PublicPenalty, decode_public
from gongshi.portal.labels import KIND, PARTY_KIND, PENALTY_CATEGORY, WITHDRAWAL_REASON, region_name
from gongshi.portal.listing import detail_path, shanghai_date
from gongshi.portal.schemas import (
    AgencyLink,
    DisclosureOut,
    ExpiryNotice,
    LicenseOut,
    PartyOut,
    PenaltyOut,
    RemovalNotice,
    SupersededBy,
    WithdrawalNotice,
)
from gongshi.storage.models import Disclosure

# Every view revalidates (a 304 is cheap): a withdrawn or corrected disclosure must not be shown
# from a browser's or a proxy's cache, not even for a minute.
CACHE_CONTROL = "public, no-cache"

_COLUMNS = (
    Disclosure.public_id,
    Disclosure.status,
    Disclosure.agency_code,
    Disclosure.agency_name,
    Disclosure.region,
    Disclosure.kind,
    Disclosure.document_number,
    Disclosure.title,
    Disclosure.decided_on,
    Disclosure.published_at,
    Disclosure.corrected_at,
    Disclosure.expires_on,
    Disclosure.revision,
    # The public record as its stored JSON text, decoded once straight into PublicDecision.
    cast(Disclosure.record, Text).label("record_json"),
    Disclosure.withdrawn_at,
    Disclosure.withdrawal_reason,
    Disclosure.withdrawal_explanation,
    Disclosure.superseded_by,
    Disclosure.updated_at,
)


# Built once: the detail page is the hottest path, and building a select costs more than running it.
_BY_ID = select(*_COLUMNS).where(Disclosure.public_id == bindparam("public_id"))


def load(wf: Workflow, public_id: str) -> Any | None:
    """The read-model row for `public_id` (any status), or None; one primary-key Core select, no ORM."""
    if not (0 < len(public_id) <= 32 and public_id.isascii() and public_id.isalnum()):
        return None
    with wf.db.read_engine.connect() as conn:
        return conn.execute(_BY_ID, {"public_id": public_id}).first()


def etag(row: Any, variant: str = "") -> str:
    raw = f"{row.public_id}|{row.revision}|{row.status}|{row.updated_at.isoformat()}|{variant}"
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def _agency(row: Any, base_url: str) -> AgencyLink:
    return AgencyLink(
        code=row.agency_code, name=row.agency_name, url=f"{base_url}/agencies/{row.agency_code}"
    )


def _party(party: PublicParty) -> PartyOut:
    return PartyOut(
        kind=party.kind,
        kind_label=PARTY_KIND.get(party.kind, ""),
        name=party.name,
        id_type=party.id_type,
        id_number=party.id_number,
        legal_representative=party.legal_representative,
        address=party.address,
    )


def _penalty(penalty: PublicPenalty | None) -> PenaltyOut | None:
    if penalty is None:
        return None
    return PenaltyOut(
        categories=list(penalty.categories),
        category_labels=[PENALTY_CATEGORY.get(c, c) for c in penalty.categories],
        fine_yuan=penalty.fine_yuan,
        confiscated_yuan=penalty.confiscated_yuan,
    )


def _license(license_: PublicLicense | None) -> LicenseOut | None:
    if license_ is None:
        return None
    return LicenseOut(
        name=license_.name,
        number=license_.number,
        valid_from=license_.valid_from,
        valid_until=license_.valid_until,
    )


def public_view(row: Any, base_url: str, *, correcting: bool = False) -> DisclosureOut:
    """The published disclosure, its record decoded once: the JSON twin, and what the page renders."""
    public = decode_public(row.record_json)
    return DisclosureOut(
        id=row.public_id,
        url=base_url + detail_path(row.public_id),
        status=row.status,
        title=row.title,
        document_number=row.document_number,
        agency=_agency(row, base_url),
        kind=row.kind,
        kind_label=KIND.get(row.kind, row.kind),
        region=row.region,
        region_label=region_name(row.region) if row.region else "",
        decided_on=row.decided_on,
        published_on=shanghai_date(row.published_at),
        corrected_on=shanghai_date(row.corrected_at) if row.corrected_at else None,
        expires_on=row.expires_on,
        revision=row.revision,
        party=_party(public.party),
        facts=public.facts,
        legal_basis=public.legal_basis,
        result=public.result,
        penalty=_penalty(public.penalty),
        license=_license(public.license),
        full_text=public.full_text,
        correction_in_progress=correcting,
    )


def removal_notice(row: Any, base_url: str) -> RemovalNotice:
    """What stays public once a disclosure is withdrawn or expired: no party, no title, no text.

    The title names the party; after a credit repair or an expiry that is exactly what must no
    longer be shown, so the notice keeps only the agency, the document number and the reason.
    """
    if row.status == "withdrawn":
        reason = row.withdrawal_reason or "other"
        withdrawn_on = shanghai_date(row.withdrawn_at) if row.withdrawn_at else None
        reason_text = WITHDRAWAL_REASON.get(reason, WITHDRAWAL_REASON["other"])
        return WithdrawalNotice(
            id=row.public_id,
            status=row.status,
            document_number=row.document_number,
            agency=_agency(row, base_url),
            kind_label=KIND.get(row.kind, row.kind),
            withdrawn_on=withdrawn_on,
            reason=reason,
            reason_text=reason_text,
            explanation=row.withdrawal_explanation or "",
            superseded_by=(
                SupersededBy(id=row.superseded_by, url=base_url + detail_path(row.superseded_by))
                if row.superseded_by
                else None
            ),
            message="该公示信息已于 {} 撤下。{}".format(_iso(withdrawn_on) or "", reason_text),
        )
    return ExpiryNotice(
        id=row.public_id,
        status=row.status,
        document_number=row.document_number,
        agency=_agency(row, base_url),
        kind_label=KIND.get(row.kind, row.kind),
        expired_on=row.expires_on,
        message="该公示信息的公示期已于 {} 届满，依法不再公示。".format(_iso(row.expires_on) or ""),
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
