"""Access-request verification: the answer takes the same time whether or not the request matches.

Seeds decisions with their keyed party hashes, then files access requests through the portal's
JSON endpoint (in-process ASGI client, rate limits off), interleaving three kinds so drift in the
machine's load hits them alike: a matching request, a known document number with the wrong ID
number, an unknown document number. Prints median and p95 per kind and the ratio to the match.

Run: .venv/bin/python bench/access_timing_bench.py [--decisions 20000] [--requests 1500]
                                                   [--db postgres|sqlite]
     (PostgreSQL: GONGSHI_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test as the
      server; creates and drops its own database)
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import insert, text

sys.path.insert(0, os.path.dirname(__file__))
from _support import scratch_postgres

from gongshi.core.context import Workflow
from gongshi.parties import keys
from gongshi.portal.app import create_app
from gongshi.portal.ratelimit import FORM, SEARCH, Limit
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.storage.models import Agency, Decision
from gongshi.storage.request_models import PartyKey

SECRET = "bench-secret-" + "x" * 30


def _id_number(i: int) -> str:
    """A resident ID with a valid check character (the portal refuses one that fails the check)."""
    body = f"340104{1950 + i % 50:04d}{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def seed(url: str, count: int) -> list[tuple[str, str, str]]:
    """`count` decisions with party keys; returns (document number, name, ID number) of each."""
    wf = Workflow.create(Settings(database_url=url, data_dir="/tmp", secret_key=SECRET))
    now = datetime.now(UTC)
    parties = []
    with wf.db.write() as s:
        agency = Agency(
            code="11340100MB0000000X",
            name="合肥市市场监督管理局",
            region="340100",
            profile={},
            created_at=now,
        )
        s.add(agency)
        s.flush()
        rows, key_rows = [], []
        for i in range(count):
            doc, name, idn = f"合市监罚〔2026〕{i + 1}号", f"当事人{i:06d}", _id_number(i)
            parties.append((doc, name, idn))
            rows.append(
                {
                    "id": i + 1,
                    "agency_id": agency.id,
                    "source_id": f"B-{i}",
                    "kind": "penalty",
                    "document_number": doc,
                    "title": "行政处罚决定书",
                    "decided_on": date(2026, 11, 20),
                    "state": "published",
                    "revision": 1,
                    "intake": b"{}",
                    "content_hash": "0" * 64,
                    "publish_by": date(2026, 12, 1),
                    "publish_by_provisional": False,
                    "minor_override": False,
                    "audit_seq": 0,
                    "audit_head": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            key_rows.append(
                {
                    "decision_id": i + 1,
                    "key": keys.party_key(SECRET, doc, name, idn),
                    "content_hash": "0" * 64,
                }
            )
            if len(rows) == 5000:
                s.execute(insert(Decision), rows)
                s.execute(insert(PartyKey), key_rows)
                rows, key_rows = [], []
        if rows:
            s.execute(insert(Decision), rows)
            s.execute(insert(PartyKey), key_rows)
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SELECT setval(pg_get_serial_sequence('decisions', 'id'), :n)"), {"n": count})
    wf.db.dispose()
    return parties


def measure(url: str, parties: list[tuple[str, str, str]], n: int) -> dict[str, list[float]]:
    settings = Settings(database_url=url, data_dir=tempfile.mkdtemp(), secret_key=SECRET)
    wf = Workflow.create(settings)
    app = create_app(settings, wf, rate_limits={SEARCH: Limit(rate=0, burst=1), FORM: Limit(rate=0, burst=1)})
    rng = random.Random(5)
    times: dict[str, list[float]] = {"match": [], "wrong_id": [], "unknown_document": []}
    with TestClient(app) as client:
        for i in range(n + 50):
            doc, name, idn = rng.choice(parties)
            bodies = {
                "match": (doc, name, idn),
                "wrong_id": (doc, name, _id_number(rng.randrange(10**6, 10**7))),
                "unknown_document": (f"合市监罚〔2031〕{rng.randrange(10**6)}号", name, idn),
            }
            order = list(bodies)
            rng.shuffle(order)
            for kind in order:
                d, nm, x = bodies[kind]
                body = {
                    "document_number": d,
                    "name": nm,
                    "id_number": x,
                    "contact": "13900000000",
                    "scope": "decision",
                }
                t = time.perf_counter()
                resp = client.post("/api/public/v1/requests/access", json=body)
                elapsed = time.perf_counter() - t
                assert resp.status_code == 202, resp.text
                if i >= 50:  # warm-up
                    times[kind].append(elapsed * 1000)
    wf.db.dispose()
    return times


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times["match"])
    print(f"{label}: {len(times['match'])} requests of each kind")
    for kind, values in times.items():
        med, p95 = statistics.median(values), _pct(values, 0.95)
        print(f"  {kind:17s} median {med:6.2f} ms  p95 {p95:6.2f} ms  median/match {med / base:5.3f}")


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ap = argparse.ArgumentParser()
    ap.add_argument("--decisions", type=int, default=20_000)
    ap.add_argument("--requests", type=int, default=1500)
    ap.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    args = ap.parse_args()
    if args.db == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        upgrade(url)
        parties = seed(url, args.decisions)
        report(f"SQLite, {args.decisions} decisions", measure(url, parties, args.requests))
        return
    with scratch_postgres() as url:
        parties = seed(url, args.decisions)
        report(f"PostgreSQL, {args.decisions} decisions", measure(url, parties, args.requests))


if __name__ == "__main__":
    main()
