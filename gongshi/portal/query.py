"""Parsing and validating the public search parameters shared by the HTML, JSON, CSV and feed views."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, Literal
from urllib.parse import urlencode

import msgspec

from gongshi.domain.clock import SHANGHAI
from gongshi.errors import InvalidInput
from gongshi.portal.labels import KIND, PENALTY_CATEGORY
from gongshi.search import IntRange, SearchQuery
from gongshi.search.base import MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_RESULT_WINDOW

DEFAULT_PER_PAGE = 10
_REGION = re.compile(r"^\d{6}$")
_AGENCY = re.compile(r"^[0-9A-Za-z]{1,64}$")
# Repeatable filters: ?kind=penalty&kind=licensing means either.
MULTI = ("agency", "kind", "region", "category")


class Filters(msgspec.Struct, frozen=True, kw_only=True):
    """A validated public query; the same object drives every output format."""

    q: str = ""
    agency: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: Literal["relevance", "newest"] = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    modified_since: datetime | None = None

    @property
    def has_filters(self) -> bool:
        return bool(
            self.agency or self.kind or self.region or self.category or self.date_from or self.date_to
        )

    @property
    def effective_sort(self) -> Literal["relevance", "newest"]:
        return self.sort if self.q.strip() else "newest"

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """Query-string pairs for this query (with changes), leaving out defaults."""
        f = msgspec.structs.replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = []
        if f.q:
            pairs.append(("q", f.q))
        for name in MULTI:
            pairs.extend((name, v) for v in getattr(f, name))
        if f.date_from:
            pairs.append(("from", f.date_from.isoformat()))
        if f.date_to:
            pairs.append(("to", f.date_to.isoformat()))
        if f.sort != "relevance":
            pairs.append(("sort", f.sort))
        if f.page != 1:
            pairs.append(("page", str(f.page)))
        if f.per_page != DEFAULT_PER_PAGE:
            pairs.append(("per_page", str(f.per_page)))
        if f.modified_since:
            pairs.append(("modified_since", f.modified_since.isoformat()))
        return pairs

    def qs(self, **changes: Any) -> str:
        """'?…' for links (empty string when nothing is set)."""
        encoded = urlencode(self.params(**changes))
        return "?" + encoded if encoded else ""

    def toggled(self, name: str, value: str) -> str:
        """Link that adds a facet value, or removes it when already selected; back to page 1."""
        current: tuple[str, ...] = getattr(self, name)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.qs(**{name: values, "page": 1})

    def search_query(self, *, facets: bool = True, highlight: bool = True) -> SearchQuery:
        equals: dict[str, str] = {}
        any_of: dict[str, list[str]] = {}
        for name, field in (
            ("agency", "agency_code"),
            ("kind", "kind"),
            ("region", "region"),
            ("category", "penalty_categories"),
        ):
            values: tuple[str, ...] = getattr(self, name)
            if len(values) == 1:
                equals[field] = values[0]
            elif values:
                any_of[field] = list(values)
        ranges = {}
        if self.date_from or self.date_to:
            ranges["decided_on"] = IntRange(
                gte=yyyymmdd(self.date_from) if self.date_from else None,
                lte=yyyymmdd(self.date_to) if self.date_to else None,
            )
        return SearchQuery(
            text=self.q,
            equals=equals,
            any_of=any_of,
            ranges=ranges,
            sort=self.sort,
            page=self.page,
            per_page=self.per_page,
            facets=["agency_code", "kind", "region", "penalty_categories"] if facets else [],
            highlight=highlight,
        )


def yyyymmdd(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    getall = getattr(params, "getall", None)
    raw: Sequence[str] = getall(name, []) if getall else ([params[name]] if name in params else [])
    # Empty values come from unselected <select> options in the no-JavaScript form; they mean "any".
    return [v.strip() for v in raw if v and v.strip()]


def _one(params: Mapping[str, Any], name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise InvalidInput(f"参数 {name} 只能出现一次", field=name)
    return values[0] if values else None


def _date(params: Mapping[str, Any], name: str) -> date | None:
    raw = _one(params, name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"日期格式应为 YYYY-MM-DD，例如 2026-03-05（收到：{raw[:40]}）", field=name
        ) from None


def _int(params: Mapping[str, Any], name: str, default: int, low: int, high: int, message: str) -> int:
    raw = _one(params, name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(f"{message}（收到：{raw[:40]}）", field=name)
    value = int(raw)
    if not low <= value <= high:
        raise InvalidInput(f"{message}（收到：{value}）", field=name)
    return value


def _since(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time(), SHANGHAI).astimezone(UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            "modified_since 应为日期或 ISO 8601 时间，例如 2026-11-01 或 2026-11-01T08:00:00+08:00",
            field="modified_since",
        ) from None
    return (value if value.tzinfo else value.replace(tzinfo=SHANGHAI)).astimezone(UTC)


def parse_filters(params: Mapping[str, Any], *, max_per_page: int = MAX_PER_PAGE) -> Filters:
    """Validate query parameters; anything malformed is a 400 naming the parameter."""
    q = (_one(params, "q") or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidInput(f"检索词不能超过 {MAX_QUERY_CHARS} 个字符", field="q")
    kinds = _values(params, "kind")
    for k in kinds:
        if k not in KIND:
            raise InvalidInput(f"未知的执法类别：{k[:40]}（可选：{'、'.join(KIND)}）", field="kind")
    categories = _values(params, "category")
    for c in categories:
        if c not in PENALTY_CATEGORY:
            raise InvalidInput(f"未知的处罚种类：{c[:40]}", field="category")
    regions = _values(params, "region")
    for r in regions:
        if not _REGION.match(r):
            raise InvalidInput(f"行政区划代码应为 6 位数字（收到：{r[:40]}）", field="region")
    agencies = _values(params, "agency")
    for a in agencies:
        if not _AGENCY.match(a):
            raise InvalidInput(f"机关代码格式有误（收到：{a[:70]}）", field="agency")
    date_from, date_to = _date(params, "from"), _date(params, "to")
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("起始日期不能晚于截止日期", field="from")
    sort = _one(params, "sort") or "relevance"
    if sort not in ("relevance", "newest"):
        raise InvalidInput("排序方式只能是 relevance（相关度）或 newest（最新）", field="sort")
    per_page = _int(
        params, "per_page", DEFAULT_PER_PAGE, 1, max_per_page, f"每页条数应为 1 至 {max_per_page} 之间的整数"
    )
    max_page = MAX_RESULT_WINDOW // per_page
    page = _int(params, "page", 1, 1, max_page, f"页码应为 1 至 {max_page} 之间的整数")
    filters = Filters(
        q=q,
        agency=tuple(dict.fromkeys(agencies)),
        kind=tuple(dict.fromkeys(kinds)),
        region=tuple(dict.fromkeys(regions)),
        category=tuple(dict.fromkeys(categories)),
        date_from=date_from,
        date_to=date_to,
        sort=sort,  # type: ignore[arg-type]
        page=page,
        per_page=per_page,
        modified_since=_since(_one(params, "modified_since")),
    )
    return filters
