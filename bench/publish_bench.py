"""The worker publishing approved decisions on PostgreSQL (leak gate included).

Run: .venv/bin/python bench/publish_bench.py [--count 100000] [--workers 1]
     (uses GONGSHI_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test as the server;
      creates and drops its own database)
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time

import msgspec
from sqlalchemy import create_engine, func, insert, select

sys.path.insert(0, os.path.dirname(__file__))
from _support import scratch_postgres

from gongshi.core.context import Workflow
from gongshi.demo.corpus import demo_intakes
from gongshi.publication import publisher
from gongshi.publication.intake import _new
from gongshi.publication.records import apply_redaction
from gongshi.redaction import Policy
from gongshi.settings import Settings
from gongshi.storage.models import Agency, Decision, Disclosure


def seed(url: str, count: int) -> None:
    """`count` approved decisions, from the publishable ones of 200 realistic ones (redacted once each)."""
    wf = Workflow.create(Settings(database_url=url, data_dir="/tmp", secret_key="x" * 40))
    templates = demo_intakes(200, seed=3)
    with wf.db.write() as s:
        agency = Agency(
            code="11340100MB0000000X",
            name="合肥市市场监督管理局",
            region="340100",
            profile={},
            created_at=wf.clock(),
        )
        s.add(agency)
        s.flush()
        cal, now = wf.calendar.get(), wf.clock()
        prepared = []
        for t in templates:
            d = _new(agency, t, cal, now)
            # Only publishable ones: the figure is about `count` approved records.
            if apply_redaction(d, t, Policy()) == "publishable":
                prepared.append(d)
        rows = []
        for i in range(count):
            d = prepared[i % len(prepared)]
            intake = msgspec.json.decode(d.intake)
            intake["source_id"] = f"B-{i}"
            rows.append(
                {
                    "agency_id": agency.id,
                    "source_id": f"B-{i}",
                    "kind": d.kind,
                    "document_number": d.document_number,
                    "title": d.title,
                    "decided_on": d.decided_on,
                    "state": "approved",
                    "revision": 1,
                    "intake": msgspec.json.encode(intake),
                    "content_hash": d.content_hash,
                    "publish_by": d.publish_by,
                    "publish_by_provisional": d.publish_by_provisional,
                    "redaction": d.redaction,
                    "redaction_version": d.redaction_version,
                    "minor_override": False,
                    "audit_seq": 0,
                    "audit_head": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) == 5000:
                s.execute(insert(Decision), rows)
                rows = []
        if rows:
            s.execute(insert(Decision), rows)
    wf.db.dispose()


def work(url: str) -> None:
    wf = Workflow.create(Settings(database_url=url, data_dir="/tmp", secret_key="x" * 40))
    while publisher.publish_due(wf, limit=500).claimed:
        pass
    wf.db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with scratch_postgres() as url:
        t = time.perf_counter()
        seed(url, args.count)
        engine = create_engine(url)
        with engine.connect() as c:
            approved = c.scalar(select(func.count()).where(Decision.state == "approved"))
        print(f"seeded {args.count} decisions ({approved} approved) in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        procs = [multiprocessing.Process(target=work, args=(url,)) for _ in range(args.workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - t
        with engine.connect() as c:
            published = c.scalar(select(func.count()).select_from(Disclosure))
        engine.dispose()
        print(
            f"published {published} of {approved} approved in {elapsed:.1f} s with {args.workers} worker(s) "
            f"= {published / elapsed:.0f}/s"
        )


if __name__ == "__main__":
    main()
