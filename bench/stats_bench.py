"""Statistics over a large read model: the grouped query behind /stats, and the page with its cache.

Usage: .venv/bin/python bench/stats_bench.py [N] [DATABASE_URL]
N disclosures (default 1,000,000) are inserted with SQL straight into `disclosures` (the figures are
about the query, not the workflow); without DATABASE_URL a fresh SQLite file under /tmp is used.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from gongshi.agencies import stats
from gongshi.core.context import Workflow
from gongshi.settings import Settings
from gongshi.storage.db import upgrade

KINDS = ("licensing", "penalty", "coercion", "inspection", "expropriation", "confirmation", "other")


def fill(url: str, n: int) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET session_replication_role = replica"))  # skip the FK to decisions
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.execute(text("DELETE FROM disclosures"))
        kinds = " ".join(f"WHEN {i} THEN '{k}'" for i, k in enumerate(KINDS))
        series = (
            "generate_series(1, :n) AS i"
            if conn.dialect.name == "postgresql"
            else "(WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < :n) "
            "SELECT i FROM c) AS s"
        )
        day = (
            "DATE '2020-01-01' + (i % 2500)"
            if conn.dialect.name == "postgresql"
            else "date('2020-01-01', '+' || (i % 2500) || ' days')"
        )
        now = "CURRENT_TIMESTAMP"
        conn.execute(
            text(
                f"""INSERT INTO disclosures (public_id, decision_id, status, agency_code, agency_name,
                region, kind, document_number, title, decided_on, published_at, revision, record, updated_at)
                SELECT 'p' || i, i,
                       CASE WHEN i % 50 = 0 THEN 'withdrawn' WHEN i % 7 = 0 THEN 'expired'
                            ELSE 'published' END,
                       'AG' || (i % 300), '机关' || (i % 300), '340100', CASE (i % 7) {kinds} END,
                       '文号' || i, '标题', {day}, {now}, 1, '{{}}', {now}
                FROM {series}"""
            ),
            {"n": n},
        )
    engine.dispose()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'stats.sqlite3'}"
    upgrade(url)
    started = time.perf_counter()
    fill(url, n)
    print(f"inserted {n:,} disclosures in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
    wf = Workflow.create(Settings(database_url=url, data_dir=tempfile.mkdtemp(), secret_key="b" * 32))
    times = []
    for _ in range(5):
        t = time.perf_counter()
        with wf.db.read() as session:
            rows = stats.grouped(session)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    for _ in range(100):
        stats.compute(rows, agency="AG7", year=2023, kind="penalty")
    per_compute = (time.perf_counter() - t) / 100
    print(
        f"grouped query: {len(rows):,} groups, median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms"
    )
    print(f"load average after measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"breakdowns from the grouped rows (per request, cache warm): {per_compute * 1000:.2f} ms")
    wf.db.dispose()


if __name__ == "__main__":
    main()
