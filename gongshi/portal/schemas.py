"""The portal's JSON shapes: what the public API answers, field for field (and what the pages render).

Every shape is built from the typed public record (`gongshi.domain.public.PublicDecision`, decoded
once from the read model) and the read model's own columns; nothing here can hold more than that.
Field order is the JSON key order.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec

from gongshi.agencies.public import PublicAgencySummary
from gongshi.agencies.stats import Row
from gongshi.portal.labels import KIND, PENALTY_CATEGORY, region_name


class AgencyLink(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    url: str


class PartyOut(msgspec.Struct, frozen=True, kw_only=True):
    """The party as published: an organisation's registration facts, a person's own name only."""

    kind: str
    kind_label: str
    name: str
    id_type: str | None
    id_number: str | None
    legal_representative: str | None
    address: str | None


class PenaltyOut(msgspec.Struct, frozen=True, kw_only=True):
    categories: list[str]
    category_labels: list[str]
    # Decimals are JSON strings ("5000.00"), as stored.
    fine_yuan: Decimal | None
    confiscated_yuan: Decimal | None


class LicenseOut(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    number: str | None
    valid_from: date | None
    valid_until: date | None


class DisclosureOut(msgspec.Struct, frozen=True, kw_only=True):
    """One published disclosure: the JSON twin of its page, and what the page renders."""

    id: str
    url: str
    status: str
    title: str
    document_number: str
    agency: AgencyLink
    kind: str
    kind_label: str
    region: str
    region_label: str
    decided_on: date
    published_on: date
    corrected_on: date | None
    expires_on: date | None
    revision: int
    party: PartyOut
    facts: str
    legal_basis: str
    result: str
    penalty: PenaltyOut | None
    license: LicenseOut | None
    full_text: str | None
    # An accepted correction whose corrected revision is not out yet (the page says 更正中).
    correction_in_progress: bool = False


class SupersededBy(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str


class WithdrawalNotice(msgspec.Struct, frozen=True, kw_only=True):
    """What stays public of a withdrawn disclosure: no party, no title, no text."""

    id: str
    status: str
    document_number: str
    agency: AgencyLink
    kind_label: str
    withdrawn_on: date | None
    reason: str
    reason_text: str
    explanation: str
    superseded_by: SupersededBy | None
    message: str


class ExpiryNotice(msgspec.Struct, frozen=True, kw_only=True):
    """What stays public of a disclosure whose publication period ended."""

    id: str
    status: str
    document_number: str
    agency: AgencyLink
    kind_label: str
    expired_on: date | None
    message: str


RemovalNotice = WithdrawalNotice | ExpiryNotice


class Item(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One disclosure in a result list (JSON items, CSV rows, feed entries)."""

    id: str
    title: str
    agency: str
    agency_code: str
    kind: str
    region: str
    decided_on: date
    published_at: datetime
    document_number: str
    party_name: str
    penalty_categories: list[str]
    url: str
    snippet: str | None = None
    # Escaped HTML with <mark> around matches, from the search module's highlighter.
    snippet_html: str | None = None
    title_html: str | None = None

    @property
    def kind_label(self) -> str:
        return KIND.get(self.kind, self.kind)

    @property
    def region_label(self) -> str:
        return region_name(self.region) if self.region else ""

    @property
    def category_labels(self) -> list[str]:
        return [PENALTY_CATEGORY.get(c, c) for c in self.penalty_categories]


class FacetValue(msgspec.Struct, frozen=True, kw_only=True):
    value: str
    label: str
    count: int


class Listing(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    items: list[Item]
    facets: dict[str, list[FacetValue]]
    # "search" normally; "database" when the engine is unavailable (no facets, no text search).
    source: str = "search"


class ListingLinks(msgspec.Struct, frozen=True, kw_only=True):
    html: str
    csv: str
    next: str | None


class SearchResponse(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/public/v1/disclosures`: one page of results, its facets and where to go next."""

    total: int
    page: int
    per_page: int
    sort: str
    items: list[Item]
    facets: dict[str, list[FacetValue]]
    source: str
    links: ListingLinks


class AgencyDirectory(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/public/v1/agencies`: the Art 9 directory of enforcement agencies."""

    total: int
    items: list[PublicAgencySummary]


class TimelinessOut(msgspec.Struct, frozen=True, kw_only=True):
    """One agency's timeliness for one decision year (its name is in `by_agency`)."""

    agency_code: str
    year: int
    published: int
    on_time: int
    on_time_share: float | None
    median_working_days: float | None
    withdrawals: int
    withdrawn_on_time: int
    overdue_now: int


class StatsOut(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/public/v1/stats`: counts by year, kind and agency, and timeliness per agency and year."""

    agency: str | None
    agency_name: str | None
    year: int | None
    kind: str | None
    total_published: int
    total_withdrawn: int
    by_year: list[Row]
    by_kind: list[Row]
    by_agency: list[Row]
    years: list[int]
    timeliness: list[TimelinessOut]
