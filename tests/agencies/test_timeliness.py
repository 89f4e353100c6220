"""Timeliness on /stats, its JSON twin and the Art 17 report: computed from the records (issue 12).

The clock stands at Wednesday 2026-11-25 (Shanghai). Working days from Monday 2026-11-02 to then: 17.
"""

from __future__ import annotations

import importlib
import json
from datetime import date
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import select, update

from gongshi.agencies.reports import derived_counts
from gongshi.core.context import Workflow
from gongshi.domain.intake import decode_intake
from gongshi.domain.timeliness import median
from gongshi.publication.intake import submit_batch
from gongshi.storage.models import Agency, Disclosure
from tests.agencies.helpers import CODE
from tests.portal.conftest import ADMIN, Publisher, body

KEYS = {
    "agency_code",
    "year",
    "published",
    "on_time",
    "on_time_share",
    "median_working_days",
    "withdrawals",
    "withdrawn_on_time",
    "overdue_now",
}


def _story(wf: Workflow, publisher: Publisher) -> list[str]:
    ids = publisher.publish(
        body(1),  # penalty, decided Fri 11-20: 3 working days, within 7
        body(2, decided_on="2026-11-02"),  # penalty: 17 working days, publish_by was 11-11
        body(3, kind="coercion", penalty=None, decided_on="2026-11-02"),  # 17 of 20: on time
        body(4, decided_on="2025-06-01"),  # last year's, very late
    )
    publisher.withdraw(ids[0])  # ruling received today: on time
    publisher.withdraw(ids[1], ruling_received_on=date(2026, 11, 16))  # due 11-19 (3 days): late
    # Still in the queue: one past its publish_by (overdue now), one not yet due.
    items = [
        decode_intake(json.dumps(body(5, decided_on="2026-11-02"))),
        decode_intake(json.dumps(body(6, decided_on="2026-11-24"))),
    ]
    with wf.db.write() as s:
        assert all(r.submitted for r in submit_batch(s, ADMIN, items, wf.calendar.get(), wf.clock()))
    return ids


def test_timeliness_figures_page_json_and_report(
    wf: Workflow, portal: TestClient[Any], publisher: Publisher
) -> None:
    _story(wf, publisher)
    data = portal.get("/api/public/v1/stats").json()
    rows = {(r["agency_code"], r["year"]): r for r in data["timeliness"]}
    assert all(set(r) == KEYS for r in rows.values())
    assert rows[(CODE, 2026)] == {
        "agency_code": CODE,
        "year": 2026,
        "published": 3,
        "on_time": 2,
        "on_time_share": 0.6667,
        "median_working_days": 17.0,
        "withdrawals": 2,
        "withdrawn_on_time": 1,
        "overdue_now": 1,
    }
    last_year = rows[(CODE, 2025)]
    assert (last_year["published"], last_year["on_time"], last_year["overdue_now"]) == (1, 0, 0)
    only_2025 = portal.get("/api/public/v1/stats", params={"year": 2025}).json()["timeliness"]
    assert [r["year"] for r in only_2025] == [2025]

    page = portal.get("/stats", params={"agency": CODE}).text
    assert 'id="timeliness-h"' in page and "chart-timeliness" in page
    assert "<caption>合肥市市场监督管理局各年度公示及时性</caption>" in page
    row_2026 = (
        '<th scope="row">2026 年</th><td class="num">3</td><td class="num">2</td><td class="num">66.7%</td>'
    )
    assert row_2026 in page
    assert "当前逾期未公示 <strong>1</strong> 件" in page
    everyone = portal.get("/stats").text
    assert '<th scope="row">合肥市市场监督管理局</th><td class="num">4</td><td class="num">2</td>' in everyone

    with wf.db.read() as s:
        agency_id = s.scalar(select(Agency.id).where(Agency.code == CODE))
        assert agency_id is not None
        report = derived_counts(s, agency_id, 2026, wf.today())["timeliness"]
    assert report == {k: v for k, v in rows[(CODE, 2026)].items() if k not in ("agency_code", "year")}


def test_working_days_and_on_time_are_stored_at_each_step(wf: Workflow, publisher: Publisher) -> None:
    ids = _story(wf, publisher)
    with wf.db.read() as s:
        stored = {
            r.public_id: (r.publish_working_days, r.published_on_time, r.withdrawn_on_time)
            for r in s.scalars(select(Disclosure))
        }
    assert stored[ids[0]] == (3, True, True)
    assert stored[ids[1]] == (17, False, False)
    assert stored[ids[2]] == (17, True, None)
    assert stored[ids[3]][1] is False and stored[ids[3]][0] > 300


def test_backfill_gives_what_publication_stored(wf: Workflow, publisher: Publisher) -> None:
    _story(wf, publisher)
    migration = importlib.import_module("gongshi.storage.migrations.versions.20261201_disclosure_timeliness")
    cols = (
        Disclosure.public_id,
        Disclosure.publish_working_days,
        Disclosure.published_on_time,
        Disclosure.withdrawn_on_time,
    )
    with wf.db.read() as s:
        before = sorted(s.execute(select(*cols)).all())
    with wf.db.write() as s:
        s.execute(
            update(Disclosure).values(
                publish_working_days=None, published_on_time=None, withdrawn_on_time=None
            )
        )
    with wf.db.write() as s:
        assert migration.backfill(s.connection()) == 4
    with wf.db.read() as s:
        assert sorted(s.execute(select(*cols)).all()) == before


def test_median_of_a_histogram() -> None:
    assert median({}) is None
    assert median({5: 1}) == 5
    assert median({1: 1, 3: 1}) == 2
    assert median({1: 2, 9: 1}) == 1
    assert median({0: 1, 2: 2, 7: 1}) == 2
