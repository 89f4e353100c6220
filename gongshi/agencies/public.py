"""What the portal publishes about agencies: separate Structs, so no internal field can leak out."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.agencies import directory
from gongshi.agencies.schemas import FIGURE_LABELS, LEVEL_LABELS, ROLE_LABELS, STATUS_LABELS, Profile
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyDirectory, AnnualReport

STATUS_ORDER = {"active": 0, "suspended": 1, "revoked": 2, "retired": 3}


class PublicOfficer(Struct, frozen=True, kw_only=True):
    name: str
    certificate_number: str
    category: str
    unit: str
    role: str
    role_label: str
    valid_from: date
    valid_until: date
    status: str
    status_label: str
    certificate_expired: bool


class PublicBasis(Struct, frozen=True, kw_only=True):
    title: str
    level: str
    level_label: str
    document_number: str
    effective_on: date | None
    url: str


class PublicAgencySummary(Struct, frozen=True, kw_only=True):
    code: str
    name: str
    region: str
    head: str
    phone: str
    url: str


class PublicAgency(Struct, frozen=True, kw_only=True):
    code: str
    name: str
    region: str
    profile: Profile
    bases: list[PublicBasis]
    officers: list[PublicOfficer]
    profile_updated_at: datetime | None
    officers_updated_at: datetime | None
    report_years: list[int]
    url: str
    disclosures_url: str
    feed_url: str
    stats_url: str


class PublicReport(Struct, frozen=True, kw_only=True):
    code: str
    agency_name: str
    year: int
    revision: int
    published_at: datetime
    figures: dict[str, Any]
    derived: dict[str, Any]
    url: str


def summaries(session: Session, base_url: str, q: str | None = None) -> list[PublicAgencySummary]:
    query = select(Agency).order_by(Agency.region, Agency.name)
    out = []
    for a in session.scalars(query):
        if q and q not in a.name and q != a.code:
            continue
        p = directory.profile_of(a)
        out.append(
            PublicAgencySummary(
                code=a.code,
                name=a.name,
                region=a.region,
                head=p.head,
                phone=p.phone,
                url=f"{base_url}/agencies/{a.code}",
            )
        )
    return out


def published_years(session: Session, agency_id: int) -> list[int]:
    return list(
        session.scalars(
            select(AnnualReport.year)
            .where(AnnualReport.agency_id == agency_id, AnnualReport.state == "published")
            .order_by(AnnualReport.year.desc())
        )
    )


def agency(session: Session, code: str, today: date, base_url: str) -> PublicAgency | None:
    a = session.scalar(select(Agency).where(Agency.code == code))
    if a is None:
        return None
    d = session.get(AgencyDirectory, a.id)
    officers = sorted(
        directory.officers_of(session, a.id), key=lambda o: (STATUS_ORDER.get(o.status, 9), o.position)
    )
    return PublicAgency(
        code=a.code,
        name=a.name,
        region=a.region,
        profile=directory.profile_of(a),
        bases=[
            PublicBasis(
                title=b.title,
                level=b.level,
                level_label=LEVEL_LABELS.get(b.level, b.level),
                document_number=b.document_number,
                effective_on=b.effective_on,
                url=b.url,
            )
            for b in directory.bases_of(session, a.id)
        ],
        officers=[
            PublicOfficer(
                name=o.name,
                certificate_number=o.certificate_number,
                category=o.category,
                unit=o.unit,
                role=o.role,
                role_label=ROLE_LABELS.get(o.role, o.role),
                valid_from=o.valid_from,
                valid_until=o.valid_until,
                status=o.status,
                status_label=STATUS_LABELS.get(o.status, o.status),
                certificate_expired=o.valid_until < today,
            )
            for o in officers
        ],
        profile_updated_at=d.profile_updated_at if d else None,
        officers_updated_at=d.officers_updated_at if d else None,
        report_years=published_years(session, a.id),
        url=f"{base_url}/agencies/{a.code}",
        disclosures_url=f"{base_url}/?agency={a.code}",
        feed_url=f"{base_url}/agencies/{a.code}/feed.atom",
        stats_url=f"{base_url}/stats?agency={a.code}",
    )


def report(session: Session, code: str, year: int, base_url: str) -> PublicReport | None:
    """A published annual report (drafts are not public)."""
    row = session.execute(
        select(AnnualReport, Agency)
        .join(Agency, Agency.id == AnnualReport.agency_id)
        .where(Agency.code == code, AnnualReport.year == year, AnnualReport.state == "published")
    ).first()
    if row is None:
        return None
    r, a = row
    assert r.published_at is not None
    figures = {k: r.figures.get(k) for k in FIGURE_LABELS} | {"other_notes": r.figures.get("other_notes", "")}
    return PublicReport(
        code=a.code,
        agency_name=a.name,
        year=r.year,
        revision=r.revision,
        published_at=r.published_at,
        figures=figures,
        derived=r.derived or {},
        url=f"{base_url}/agencies/{a.code}/reports/{r.year}",
    )


class StaleWhileRevalidate:
    """A value recomputed in the background once older than `ttl` seconds; callers never wait for that.

    Only the very first call for a key computes in the request. Later calls get the cached value
    at once, and a stale one starts a single background refresh (statistics over the whole read
    model take seconds on millions of rows; they need not be exact to the second).
    """

    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._values: dict[Any, tuple[float, Any]] = {}
        self._refreshing: set[Any] = set()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._values.get(key)
            if hit is not None:
                if time.monotonic() - hit[0] >= self._ttl and key not in self._refreshing:
                    self._refreshing.add(key)
                    threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
                return hit[1]
        value = compute()
        with self._lock:
            self._values[key] = (time.monotonic(), value)
        return value

    def _refresh(self, key: Any, compute: Callable[[], Any]) -> None:
        try:
            value = compute()
            with self._lock:
                self._values[key] = (time.monotonic(), value)
        except Exception:  # keep serving the old value; the next stale request retries
            logging.getLogger("gongshi.portal").exception("statistics refresh failed")
        finally:
            with self._lock:
                self._refreshing.discard(key)
