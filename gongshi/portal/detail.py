"""One disclosure: its public record as a page and as JSON, the withdrawal notice, and caching."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select

from gongshi.core.context import Workflow
from gongshi.portal.labels import KIND, PARTY_KIND, PENALTY_CATEGORY, WITHDRAWAL_REASON, region_name
from gongshi.portal.listing import detail_path, shanghai_date
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
    Disclosure.record,
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


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def public_view(row: Any, base_url: str) -> dict[str, Any]:
    """The published disclosure as one plain structure: the JSON twin, and what the page renders."""
    record: dict[str, Any] = row.record or {}
    party = record.get("party") or {}
    penalty = record.get("penalty")
    license_ = record.get("license")
    return {
        "id": row.public_id,
        "url": base_url + detail_path(row.public_id),
        "status": row.status,
        "title": row.title,
        "document_number": row.document_number,
        "agency": {
            "code": row.agency_code,
            "name": row.agency_name,
            "url": f"{base_url}/agencies/{row.agency_code}",
        },
        "kind": row.kind,
        "kind_label": KIND.get(row.kind, row.kind),
        "region": row.region,
        "region_label": region_name(row.region) if row.region else "",
        "decided_on": _iso(row.decided_on),
        "published_on": _iso(shanghai_date(row.published_at)),
        "corrected_on": _iso(shanghai_date(row.corrected_at)) if row.corrected_at else None,
        "expires_on": _iso(row.expires_on),
        "revision": row.revision,
        "party": {
            "kind": party.get("kind"),
            "kind_label": PARTY_KIND.get(party.get("kind") or "", ""),
            "name": party.get("name", ""),
            "id_type": party.get("id_type"),
            "id_number": party.get("id_number"),
            "legal_representative": party.get("legal_representative"),
            "address": party.get("address"),
        },
        "facts": record.get("facts", ""),
        "legal_basis": record.get("legal_basis", ""),
        "result": record.get("result", ""),
        "penalty": (
            {
                "categories": list(penalty.get("categories") or []),
                "category_labels": [PENALTY_CATEGORY.get(c, c) for c in penalty.get("categories") or []],
                "fine_yuan": penalty.get("fine_yuan"),
                "confiscated_yuan": penalty.get("confiscated_yuan"),
            }
            if penalty
            else None
        ),
        "license": (
            {
                "name": license_.get("name"),
                "number": license_.get("number"),
                "valid_from": license_.get("valid_from"),
                "valid_until": license_.get("valid_until"),
            }
            if license_
            else None
        ),
        "full_text": record.get("full_text"),
    }


def removal_notice(row: Any, base_url: str) -> dict[str, Any]:
    """What stays public once a disclosure is withdrawn or expired: no party, no title, no text.

    The title names the party; after a credit repair or an expiry that is exactly what must no
    longer be shown, so the notice keeps only the agency, the document number and the reason.
    """
    notice: dict[str, Any] = {
        "id": row.public_id,
        "status": row.status,
        "document_number": row.document_number,
        "agency": {
            "code": row.agency_code,
            "name": row.agency_name,
            "url": f"{base_url}/agencies/{row.agency_code}",
        },
        "kind_label": KIND.get(row.kind, row.kind),
    }
    if row.status == "withdrawn":
        reason = row.withdrawal_reason or "other"
        notice.update(
            withdrawn_on=_iso(shanghai_date(row.withdrawn_at)) if row.withdrawn_at else None,
            reason=reason,
            reason_text=WITHDRAWAL_REASON.get(reason, WITHDRAWAL_REASON["other"]),
            explanation=row.withdrawal_explanation or "",
            superseded_by=(
                {"id": row.superseded_by, "url": base_url + detail_path(row.superseded_by)}
                if row.superseded_by
                else None
            ),
        )
        notice["message"] = "该公示信息已于 {} 撤下。{}".format(
            notice["withdrawn_on"] or "", notice["reason_text"]
        )
    else:
        notice.update(expired_on=_iso(row.expires_on))
        notice["message"] = "该公示信息的公示期已于 {} 届满，依法不再公示。".format(
            notice["expired_on"] or ""
        )
    return notice
