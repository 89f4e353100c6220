"""Expiry: one worker pass unpublishes every disclosure past its publication end date (PostgreSQL).

Seeds `--count` published decisions (with their disclosures) whose end date has passed, plus as many
that stay, then times one full `run_once` pass of the worker: each expired one leaves the read model
(status expired), gets its audit event and a search-delete outbox event.

Run: .venv/bin/python bench/expiry_bench.py [--count 10000]
     (uses GONGSHI_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test as the server;
      creates and drops its own database)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime

import msgspec
from sqlalchemy import func, insert, select, text

sys.path.insert(0, os.path.dirname(__file__))
from _support import scratch_postgres

from gongshi.core.context import Workflow
from gongshi.demo.corpus import demo_intakes
from gongshi.publication.intake import _new
from gongshi.publication.records import apply_redaction
from gongshi.redaction import Policy
from gongshi.settings import Settings
from gongshi.storage.models import Agency, AuditEvent, Decision, Disclosure, OutboxEvent
from gongshi.worker import run_once

NOW = datetime(2028, 1, 10, 2, 0, tzinfo=UTC)


def seed(url: str, count: int) -> None:
    """`count` published decisions past their end date and `count` still within it."""
    wf = Workflow.create(Settings(database_url=url, data_dir="/tmp", secret_key="x" * 40))
    templates = [t for t in demo_intakes(300, seed=4)][:100]
    with wf.db.write() as s:
        agency = Agency(
            code="11340100MB0000000X",
            name="合肥市市场监督管理局",
            region="340100",
            profile={},
            created_at=NOW,
        )
        s.add(agency)
        s.flush()
        cal = wf.calendar.get()
        prepared = []
        for t in templates:
            d = _new(agency, t, cal, NOW)
            if apply_redaction(d, t, Policy()) == "publishable":
                prepared.append(d)
        decisions, disclosures = [], []
        for i in range(2 * count):
            d = prepared[i % len(prepared)]
            public_id = f"b{i:012d}"
            expires = date(2028, 1, 9) if i < count else date(2029, 1, 9)
            intake = msgspec.json.decode(d.intake)
            intake["source_id"] = f"E-{i}"
            decisions.append(
                {
                    "id": i + 1,
                    "agency_id": agency.id,
                    "source_id": f"E-{i}",
                    "kind": d.kind,
                    "document_number": d.document_number,
                    "title": d.title,
                    "decided_on": d.decided_on,
                    "state": "published",
                    "revision": 1,
                    "intake": msgspec.json.encode(intake),
                    "content_hash": d.content_hash,
                    "publish_by": d.publish_by,
                    "publish_by_provisional": d.publish_by_provisional,
                    "redaction": d.redaction,
                    "redaction_version": d.redaction_version,
                    "minor_override": False,
                    "expires_on": expires,
                    "published_at": NOW,
                    "public_id": public_id,
                    "audit_seq": 0,
                    "audit_head": "",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            assert d.redaction is not None
            disclosures.append(
                {
                    "public_id": public_id,
                    "decision_id": i + 1,
                    "status": "published",
                    "agency_code": agency.code,
                    "agency_name": agency.name,
                    "region": agency.region,
                    "kind": d.kind,
                    "document_number": d.document_number,
                    "title": d.title,
                    "decided_on": d.decided_on,
                    "published_at": NOW,
                    "expires_on": expires,
                    "revision": 1,
                    "record": d.redaction["public"],
                    "updated_at": NOW,
                }
            )
            if len(decisions) == 5000:
                s.execute(insert(Decision), decisions)
                s.execute(insert(Disclosure), disclosures)
                decisions, disclosures = [], []
        if decisions:
            s.execute(insert(Decision), decisions)
            s.execute(insert(Disclosure), disclosures)
        s.execute(text("SELECT setval(pg_get_serial_sequence('decisions', 'id'), :n)"), {"n": 2 * count})
    wf.db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10_000)
    args = ap.parse_args()
    with scratch_postgres() as url:
        t = time.perf_counter()
        seed(url, args.count)
        print(
            f"seeded {2 * args.count} published decisions ({args.count} past their end date) in "
            f"{time.perf_counter() - t:.1f} s"
        )
        wf = Workflow.create(Settings(database_url=url, data_dir="/tmp", secret_key="x" * 40))
        wf.clock = lambda: NOW
        t = time.perf_counter()
        counts = run_once(wf)
        elapsed = time.perf_counter() - t
        with wf.db.read() as s:
            expired = s.scalar(
                select(func.count()).select_from(Disclosure).where(Disclosure.status == "expired")
            )
            still = s.scalar(
                select(func.count()).select_from(Disclosure).where(Disclosure.status == "published")
            )
            events = s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "expire")
            )
            deletes = s.scalar(
                select(func.count()).select_from(OutboxEvent).where(OutboxEvent.topic == "search.delete")
            )
        wf.db.dispose()
        print(f"one worker pass: {counts}")
        print(
            f"expired {expired} (audit events {events}, search deletes {deletes}), {still} still published, "
            f"in {elapsed:.2f} s = {expired / elapsed:.0f}/s"
        )
        assert expired == args.count and still == args.count


if __name__ == "__main__":
    main()
