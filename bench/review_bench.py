"""Review page and redaction-edit round trip on a 10 KB decision with 40 spans (issue 11).

    .venv/bin/python bench/review_bench.py [--runs 60]

In process (Litestar's TestClient, SQLite in a temporary directory), so the figures are the server's
work plus the in-process client's small overhead. Each figure is wall and CPU time of the process.
- page: GET /console/decisions/{id} (logged in), the review page with the text, doubts, entities.
- edit: POST /api/v1/decisions/{id}/redactions (mask), then GET of the re-rendered page; each mask is
  undone by the next run's undo so the record does not grow (undo round trips are measured too).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from litestar.testing import TestClient

from bench._support import percentile
from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.internal_api import create_app
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.worker import run_once
from tests.factories import intake, token

SURNAMES = "赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕"
GIVEN = ["建国", "小红", "志强", "海燕", "文博", "丽娟", "国华", "晓明", "春生", "秀英"]


def _facts(spans: int = 40, size: int = 10_000) -> str:
    """About `size` bytes of facts with `spans` removals (20 witnesses named twice) and a few doubts."""
    people = [SURNAMES[i] + GIVEN[i % len(GIVEN)] for i in range(spans // 2)]
    filler = "执法人员依法对当事人的经营场所进行了现场检查，查看了进货台账和销售记录，并制作了现场笔录。"
    parts = []
    for i, name in enumerate(people):
        parts.append(f"证人{name}陈述了其在店内购买食品的经过，{name}签字确认。{filler}")
        if i % 4 == 0:
            # Something for the reviewer to check: a trigger word with nothing found near it.
            parts.append(filler + "当事人未能说明其家庭住址。" + filler)
    text = "经查，" + "".join(parts)
    while len(text.encode()) < size:
        text += filler
    return text


def _time(fn: Any) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _report(name: str, samples: list[tuple[float, float]]) -> None:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    w50, w95 = percentile(walls, 0.5), percentile(walls, 0.95)
    c50, c95 = percentile(cpus, 0.5), percentile(cpus, 0.95)
    print(f"{name:<28} n={len(samples):<4} wall p50 {w50:6.1f} ms  p95 {w95:6.1f} ms", end="")
    print(f"   cpu p50 {c50:6.1f} ms  p95 {c95:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="print a profile of five page loads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        upgrade(f"sqlite:///{tmp}/bench.db")
        settings = Settings(
            database_url=f"sqlite:///{tmp}/bench.db", data_dir=tmp, secret_key="bench-secret-" + "x" * 20
        )
        wf = Workflow.create(settings)
        client = TestClient(create_app(settings, wf))
        client.__enter__()
        facts = _facts()
        created = client.post("/api/v1/decisions", json=intake(facts=facts), headers=token(wf, "submitter"))
        decision_id = created.json()["id"]
        run_once(wf)
        api = token(wf, "reviewer")
        record = client.get(f"/api/v1/decisions/{decision_id}", headers=api).json()
        print(
            f"decision: {len(facts.encode())} bytes of facts, {len(record['redactions'])} spans, "
            f"{len(record['entities'])} entities, {len(record['doubts'])} doubts"
        )
        with wf.db.write() as s:
            create_user(s, username="bench", password="bench password", role="admin", agency=None)
        page = client.get("/console/login")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert csrf
        client.post(
            "/console/login",
            data={"username": "bench", "password": "bench password", "_csrf_token": csrf.group(1)},
        )
        url = f"/console/decisions/{decision_id}"

        def page() -> None:
            # The client follows redirects: a lost session would time the login page, so check where we are.
            r = client.get(url)
            assert r.status_code == 200 and r.url.path == url and "进货台账" in r.text, (r.status_code, r.url)

        page()
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            for _ in range(5):
                page()
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        pages = [_time(page) for _ in range(args.runs)]
        edit_url = f"/api/v1/decisions/{decision_id}/redactions"

        def mask() -> None:
            r = client.post(
                edit_url, json={"action": "mask", "text": "进货台账", "category": "other"}, headers=api
            )
            assert r.status_code == 200, r.text
            page()

        def undo() -> None:
            assert client.post(edit_url, json={"action": "undo"}, headers=api).status_code == 200
            page()

        edits, undos = [], []
        for _ in range(args.runs):
            edits.append(_time(mask))
            undos.append(_time(undo))
        client.__exit__(None, None, None)
        wf.db.dispose()
    _report("review page GET", pages)
    _report("mask POST + page GET", edits)
    _report("undo POST + page GET", undos)


if __name__ == "__main__":
    main()
