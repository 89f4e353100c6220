"""Atom feeds of new disclosures (all, per agency) and the sitemap; published disclosures only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape as _escape

from litestar import HttpMethod, Request, Response, route
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream
from sqlalchemy import func, select

from gongshi.agencies.public import summaries
from gongshi.domain.text import xml_safe
from gongshi.errors import NotFound
from gongshi.portal.context import Portal
from gongshi.portal.labels import KIND
from gongshi.portal.listing import detail_path
from gongshi.portal.ratelimit import SEARCH, enforce
from gongshi.storage.models import Disclosure

FEED_SIZE = 50
SITEMAP_SIZE = 50_000  # the sitemap protocol's limit per file
_CODE_OK = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def escape(value: str) -> str:
    """Escaped for XML, without the characters XML cannot carry: a bad stored row cannot break a feed."""
    return _escape(xml_safe(value))


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom(portal: Portal, *, agency: str | None) -> str:
    query = (
        select(
            Disclosure.public_id,
            Disclosure.title,
            Disclosure.agency_name,
            Disclosure.kind,
            Disclosure.document_number,
            Disclosure.decided_on,
            Disclosure.published_at,
            Disclosure.corrected_at,
        )
        .where(Disclosure.status == "published")
        .order_by(Disclosure.published_at.desc(), Disclosure.public_id)
        .limit(FEED_SIZE)
    )
    if agency:
        query = query.where(Disclosure.agency_code == agency)
    with portal.wf.db.read() as session:
        rows = session.execute(query).all()
        if agency and not rows:
            known = session.scalar(
                select(Disclosure.agency_name).where(Disclosure.agency_code == agency).limit(1)
            )
            if known is None:
                raise NotFound("未找到该执法机关的公示信息")
    base = portal.base_url
    self_path = f"/agencies/{agency}/feed.atom" if agency else "/feed.atom"
    html_path = f"/agencies/{agency}" if agency else "/"
    title = f"{rows[0].agency_name} · 行政执法公示" if agency and rows else "行政执法公示 · 最新公示信息"
    updated = max((r.corrected_at or r.published_at for r in rows), default=datetime(2026, 1, 1, tzinfo=UTC))
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"<id>{escape(base + self_path)}</id>",
        f"<title>{escape(title)}</title>",
        f"<updated>{_ts(updated)}</updated>",
        f'<link rel="self" type="application/atom+xml" href="{escape(base + self_path)}"/>',
        f'<link rel="alternate" type="text/html" href="{escape(base + html_path)}"/>',
        "<author><name>行政执法公示平台</name></author>",
    ]
    for r in rows:
        url = base + detail_path(r.public_id)
        kind = KIND.get(r.kind, r.kind)
        summary = f"{r.agency_name} {kind} {r.document_number}，决定日期 {r.decided_on.isoformat()}"
        parts.append(
            "<entry>"
            f"<id>{escape(url)}</id>"
            f"<title>{escape(r.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{escape(url)}"/>'
            f"<published>{_ts(r.published_at)}</published>"
            f"<updated>{_ts(r.corrected_at or r.published_at)}</updated>"
            f"<summary>{escape(summary)}</summary>"
            "</entry>"
        )
    parts.append("</feed>\n")
    return "\n".join(parts)


_FEED_HEADERS = {"Cache-Control": "public, max-age=300"}


@route(
    "/feed.atom",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    sync_to_thread=False,
    summary="最新公示（Atom）",
    tags=["订阅"],
)
def feed(request: Request[Any, Any, Any], portal: NamedDependency[Portal]) -> Response[str]:
    enforce(request, SEARCH)
    return Response(
        _atom(portal, agency=None), media_type="application/atom+xml; charset=utf-8", headers=_FEED_HEADERS
    )


@route(
    "/agencies/{code:str}/feed.atom",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    sync_to_thread=False,
    summary="某执法机关的最新公示（Atom）",
    tags=["订阅"],
)
def agency_feed(
    request: Request[Any, Any, Any], portal: NamedDependency[Portal], code: FromPath[str]
) -> Response[str]:
    enforce(request, SEARCH)
    if not code or len(code) > 64 or not set(code) <= _CODE_OK:
        raise NotFound("未找到该执法机关的公示信息")
    return Response(
        _atom(portal, agency=code), media_type="application/atom+xml; charset=utf-8", headers=_FEED_HEADERS
    )


_STATIC_PAGES = ("/", "/agencies", "/stats", "/requests/access", "/requests/correction")


def _agency_pages(portal: Portal) -> list[str]:
    """The directory's agency pages (Art 9), listed in the first part beside the static pages."""
    with portal.wf.db.read() as session:
        return [agency.url for agency in summaries(session, base_url="")]


def _urlset(portal: Portal, offset: int | None) -> Iterator[bytes]:
    base = portal.base_url
    yield b'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    if not offset:
        for path in (*_STATIC_PAGES, *_agency_pages(portal)):
            yield f"<url><loc>{escape(base + path)}</loc></url>\n".encode()
    query = (
        select(Disclosure.public_id, Disclosure.published_at, Disclosure.corrected_at)
        .where(Disclosure.status == "published")
        .order_by(Disclosure.public_id)
        .offset(offset or 0)
        .limit(SITEMAP_SIZE)
    )
    with portal.wf.db.read() as session:
        chunk: list[str] = []
        for r in session.execute(query.execution_options(yield_per=2000)):
            modified = (r.corrected_at or r.published_at).astimezone(UTC).date().isoformat()
            loc = escape(base + detail_path(r.public_id))
            chunk.append(f"<url><loc>{loc}</loc><lastmod>{modified}</lastmod></url>\n")
            if len(chunk) >= 2000:
                yield "".join(chunk).encode()
                chunk = []
        if chunk:
            yield "".join(chunk).encode()
    yield b"</urlset>\n"


@route(
    "/sitemap.xml",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    sync_to_thread=True,
    include_in_schema=False,
)
def sitemap(portal: NamedDependency[Portal]) -> Response[Any]:
    """One urlset while it fits the protocol's 50,000 URLs; beyond that an index of numbered parts."""
    with portal.wf.db.read() as session:
        count = session.scalar(select(func.count()).where(Disclosure.status == "published")) or 0
    headers = {"Cache-Control": "public, max-age=3600"}
    if count + len(_STATIC_PAGES) + len(_agency_pages(portal)) <= SITEMAP_SIZE:
        return Stream(_urlset(portal, None), media_type="application/xml; charset=utf-8", headers=headers)
    parts = (count + SITEMAP_SIZE - 1) // SITEMAP_SIZE
    body = [
        '<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    body += [
        f"<sitemap><loc>{escape(portal.base_url)}/sitemap/{n}</loc></sitemap>" for n in range(1, parts + 1)
    ]
    body.append("</sitemapindex>\n")
    return Response("\n".join(body), media_type="application/xml; charset=utf-8", headers=headers)


@route(
    "/sitemap/{part:int}",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    sync_to_thread=True,
    include_in_schema=False,
)
def sitemap_part(portal: NamedDependency[Portal], part: FromPath[int]) -> Stream:
    if not 1 <= part <= 10_000:
        raise NotFound("网站地图分页不存在")
    offset = (part - 1) * SITEMAP_SIZE
    return Stream(
        _urlset(portal, offset),
        media_type="application/xml; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


ROUTES = [feed, agency_feed, sitemap, sitemap_part]
