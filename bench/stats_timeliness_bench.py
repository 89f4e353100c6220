"""Timeliness on /stats over a large read model: the grouped queries, and the served pages' p95.

Usage: .venv/bin/python bench/stats_timeliness_bench.py [N] [pg | SQLITE_FILE_OF_AN_EARLIER_RUN]
N disclosures (default 1,000,000) go straight into `disclosures` with SQL, their timeliness columns
filled as publication would have stored them (working days 0-29 from decision to publication, late
beyond the kind's window, a withdrawal every 50th row, late every 3rd of those), plus 300 agencies and
20,000 queued decisions (a third past publish_by). Without `pg` a SQLite file under /tmp is used;
with it a scratch database on GONGSHI_TEST_POSTGRES_URL.

It times the grouped queries directly (median of 5), then starts `gongshi serve portal`, makes the
first request (which computes), and times 300 requests to /stats and /api/public/v1/stats with
varied filters: wall time per request at the client, server CPU time over the run.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _support import cpu_seconds, free_port, percentile, scratch_postgres, start_server
from sqlalchemy import create_engine, text
from stats_bench import fill

from gongshi.agencies import stats
from gongshi.core.context import Workflow
from gongshi.settings import Settings
from gongshi.storage.db import upgrade

AGENCIES = 300


def fill_timeliness(url: str, queued: int = 20_000) -> None:
    engine = create_engine(url)
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE disclosures SET publish_working_days = decision_id % 30, "
                "published_on_time = (decision_id % 30) <= "
                "CASE WHEN kind IN ('licensing', 'penalty') THEN 7 ELSE 20 END, "
                "withdrawn_on_time = CASE WHEN status = 'withdrawn' THEN decision_id % 3 <> 0 END"
            )
        )
        conn.execute(text("DELETE FROM decisions"))
        conn.execute(text("DELETE FROM agencies"))
        now = "CURRENT_TIMESTAMP"
        series = (
            "generate_series(0, :n - 1) AS i"
            if pg
            else "(WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < :n - 1) "
            "SELECT i FROM c) AS s"
        )
        conn.execute(
            text(
                f"INSERT INTO agencies (id, code, name, region, profile, created_at) "
                f"SELECT i + 1, 'AG' || i, '机关' || i, '340100', '{{}}', {now} FROM {series}"
            ),
            {"n": AGENCIES},
        )
        day = "DATE '2026-01-05' + (i % 300)" if pg else "date('2026-01-05', '+' || (i % 300) || ' days')"
        by = (
            "DATE '2026-01-05' + (i % 300) + 10"
            if pg
            else "date('2026-01-05', '+' || (i % 300 + 10) || ' days')"
        )
        blob = "'\\x7b7d'::bytea" if pg else "X'7B7D'"
        false = "false" if pg else "0"
        conn.execute(
            text(
                f"""INSERT INTO decisions (agency_id, source_id, kind, document_number, title, decided_on,
                state, revision, intake, content_hash, publish_by, publish_by_provisional, minor_override,
                audit_seq, audit_head, created_at, updated_at)
                SELECT (i % {AGENCIES}) + 1, 'q' || i, 'penalty', '文号' || i, '标题', {day}, 'in_review', 1,
                       {blob}, '', {by}, {false}, {false}, 0, '', {now}, {now}
                FROM {series}"""
            ),
            {"n": queued},
        )
    engine.dispose()


def measure(url: str, n: int, reuse: bool = False) -> None:
    upgrade(url)
    if not reuse:
        started = time.perf_counter()
        fill(url, n)
        fill_timeliness(url)
        print(f"inserted {n:,} disclosures in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
    data_dir = tempfile.mkdtemp()
    wf = Workflow.create(Settings(database_url=url, data_dir=data_dir, secret_key="b" * 32))
    times, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        with wf.db.read() as session:
            cells = stats.timeliness_cells(session, wf.today())
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    names = {f"AG{i}": f"机关{i}" for i in range(AGENCIES)}
    t = time.perf_counter()
    index = stats.timeliness_index(cells, names)
    finalise = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(100):
        stats.timeliness(index, agency=f"AG{i}" if i % 2 else None, year=2020 + i % 7 if i % 3 else None)
    per_table = (time.perf_counter() - t) / 100
    print(
        f"timeliness cells: {len(cells):,}; grouped queries median {statistics.median(times) * 1000:.0f} ms "
        f"wall (max {max(times) * 1000:.0f}), {statistics.median(cpu) * 1000:.0f} ms CPU in this process"
    )
    print(f"finalising rows, totals and medians (once per refresh): {finalise * 1000:.0f} ms")
    print(f"timeliness table for one filter (per request, cache warm): {per_table * 1000:.2f} ms")
    wf.db.dispose()

    port = free_port()
    env = {
        "GONGSHI_DATA_DIR": data_dir,
        "GONGSHI_DATABASE_URL": url,
        "GONGSHI_SECRET_KEY": "b" * 32,
        "GONGSHI_PORTAL_SEARCH_RATE": "0",
    }
    server = start_server("portal", env, port, timeout=180)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120) as client:
            t = time.perf_counter()
            assert client.get("/stats").status_code == 200
            first = time.perf_counter() - t
            paths = []
            for i in range(300):
                agency = f"AG{i % AGENCIES}" if i % 3 else ""
                year = str(2020 + i % 7) if i % 2 else ""
                root = "/stats" if i % 2 else "/api/public/v1/stats"
                paths.append(f"{root}?agency={agency}&year={year}&kind=")
            walls = []
            cpu_before = cpu_seconds(server.pid)
            run = time.perf_counter()
            for path in paths:
                t = time.perf_counter()
                r = client.get(path)
                walls.append(time.perf_counter() - t)
                assert r.status_code == 200, (path, r.status_code, r.text[:200])
                if path.startswith("/api"):
                    assert "timeliness" in r.json()
            elapsed = time.perf_counter() - run
            server_cpu = cpu_seconds(server.pid) - cpu_before
        print(f"first /stats (computes counts and timeliness): {first:.2f} s")
        print(
            f"next {len(paths)} requests: p50 {percentile(walls, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(walls, 0.95) * 1000:.0f} ms, max {max(walls) * 1000:.0f} ms wall; "
            f"server CPU {server_cpu / len(paths) * 1000:.1f} ms per request ({elapsed:.1f} s in all)"
        )
    finally:
        server.terminate()
        server.wait(10)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    target = sys.argv[2] if len(sys.argv) > 2 else ""
    if target == "pg":
        with scratch_postgres() as url:
            measure(url, n)
    elif target:  # a SQLite file a previous run filled: measure again without refilling
        measure(f"sqlite:///{target}", n, reuse=True)
    else:
        path = Path(tempfile.mkdtemp()) / "stats.sqlite3"
        print(f"database: {path}")
        measure(f"sqlite:///{path}", n)


if __name__ == "__main__":
    main()
