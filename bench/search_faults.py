"""Fault drill for the embedded search index: delete it, then corrupt it, under a running portal and worker.

Seeds N published disclosures into a SQLite read model and builds the index, then starts
`gongshi serve portal --workers W` and `gongshi worker` as subprocesses. Each round:

1. inserts a marker disclosure straight into the read model, with no outbox event, so that only a
   rebuild from the database can make it searchable;
2. breaks the index (deletes the directory, or overwrites meta.json with garbage);
3. runs `gongshi reindex` at once;
4. polls the portal's JSON search for the marker until it is found in K requests in a row (so every
   portal process has caught up), and records every status code seen.

Nothing is restarted. The rounds run twice: with the worker running (it holds the writer lock, so
`reindex` hands the rebuild to it and waits) and with the worker stopped (`reindex` rebuilds itself).

Run: .venv/bin/python bench/search_faults.py --docs 5000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from _support import ROOT, cpu_seconds, free_port, start_server
from portal_bench import seed
from sqlalchemy import func, insert, select

from gongshi.core.context import Workflow
from gongshi.settings import Settings
from gongshi.storage.models import Decision, Disclosure

# Each round's marker must be a word nothing else in the corpus contains.
MARKERS = ["甲演练标记", "乙演练标记", "丙演练标记", "丁演练标记", "戊演练标记", "己演练标记"]


@dataclass
class Round:
    fault: str
    worker: bool
    reindex_rc: int = 0
    reindex_output: str = ""
    reindex_wall_s: float = 0.0
    reindex_cpu_s: float = 0.0
    # From the start of `gongshi reindex` until the marker was found K times in a row.
    searchable_after_s: float = float("inf")
    searchable_after_fault_s: float = float("inf")
    statuses: Counter[int] = field(default_factory=Counter)
    served_during_fault: int = 0

    def line(self) -> str:
        who = "worker running" if self.worker else "worker stopped"
        seen = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.fault:18s} {who}: reindex rc {self.reindex_rc} in {self.reindex_wall_s:.2f} s wall "
            f"/ {self.reindex_cpu_s:.2f} s CPU; marker searchable {self.searchable_after_s:.2f} s after "
            f"reindex started ({self.searchable_after_fault_s:.2f} s after the fault); "
            f"{self.served_during_fault} hits for a common word during the fault; portal answered {seen}"
        )


def insert_marker(settings: Settings, word: str) -> None:
    """A published disclosure in the read model only (no outbox row): the index learns it from a rebuild."""
    wf = Workflow.create(settings)
    with wf.db.write() as s:
        new_id = (s.scalar(select(func.max(Decision.id))) or 0) + 1
        decision = dict(s.execute(select(Decision.__table__).limit(1)).mappings().one())
        disclosure = dict(s.execute(select(Disclosure.__table__).limit(1)).mappings().one())
        public_id = f"m{new_id:012d}"
        title = f"{word}有限公司行政处罚决定书"
        decision.update(id=new_id, source_id=public_id, public_id=public_id, title=title)
        record = {**disclosure["record"], "title": title}
        disclosure.update(public_id=public_id, decision_id=new_id, title=title, record=record)
        s.execute(insert(Decision), [decision])
        s.execute(insert(Disclosure), [disclosure])
    wf.db.dispose()


def total_for(client: httpx.Client, base: str, word: str, statuses: Counter[int]) -> int:
    try:
        response = client.get(f"{base}/api/public/v1/disclosures", params={"q": word}, timeout=10)
    except httpx.HTTPError:
        statuses[0] += 1
        return -1
    statuses[response.status_code] += 1
    if response.status_code != 200:
        return -1
    return int(response.json()["total"])


def run_reindex(env: dict[str, str], result: Round) -> None:
    """`gongshi reindex` as an operator runs it; its wall and CPU time (the only child exiting meanwhile)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "gongshi.cli", "reindex", "--wait", "60"],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    result.reindex_wall_s = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.reindex_cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result.reindex_rc = proc.returncode
    result.reindex_output = (proc.stdout.strip().splitlines() or proc.stderr.strip().splitlines() or [""])[-1]


def break_index(index_dir: Path, fault: str) -> None:
    if fault == "deleted":
        shutil.rmtree(index_dir)
    elif fault == "corrupt meta.json":
        (index_dir / "meta.json").write_text('{"segments": [', encoding="utf-8")
    else:
        raise ValueError(fault)


def run_round(
    base: str, env: dict[str, str], settings: Settings, fault: str, worker: bool, word: str, streak: int
) -> Round:
    result = Round(fault=fault, worker=worker)
    index_dir = Path(settings.data_dir) / "search"
    insert_marker(settings, word)
    with httpx.Client() as client:
        assert total_for(client, base, word, Counter()) == 0, "the marker must not be indexed yet"
        break_index(index_dir, fault)
        # The portal keeps answering from its last snapshot: a common word still finds documents.
        result.served_during_fault = total_for(client, base, "罚款", result.statuses)
        broken_at = time.monotonic()
        # `gongshi reindex` runs while the portal is polled: recovery may come before it returns.
        reindexing = threading.Thread(target=run_reindex, args=(env, result))
        started = time.monotonic()
        reindexing.start()
        in_a_row = 0
        first = 0.0
        while time.monotonic() - started < 60:
            if total_for(client, base, word, result.statuses) >= 1:
                in_a_row += 1
                if in_a_row == 1:
                    first = time.monotonic()
                if in_a_row >= streak:
                    result.searchable_after_s = first - started
                    result.searchable_after_fault_s = first - broken_at
                    break
            else:
                in_a_row = 0
                time.sleep(0.05)
        reindexing.join(120)
    return result


def start_worker(env: dict[str, str], lock: Path) -> subprocess.Popen[bytes]:
    import fcntl

    proc = subprocess.Popen(
        [sys.executable, "-m", "gongshi.cli", "worker"], env={**os.environ, **env}, cwd=ROOT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        # Started once it holds the writer lock.
        if lock.exists():
            with open(lock, "rb") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(fh, fcntl.LOCK_UN)
                except OSError:
                    return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the worker did not take the search writer lock")


def run(root: Path, docs: int, portal_workers: int, streak: int, without_worker: bool = True) -> list[Round]:
    """Every fault with the worker running, then (if `without_worker`) again with it stopped."""
    settings = Settings(
        database_url=f"sqlite:///{root / 'gongshi.sqlite3'}",
        data_dir=str(root),
        secret_key="faults-" + "x" * 32,
    )
    seed(settings, docs, random.Random(20261201))
    env = {
        "GONGSHI_DATA_DIR": str(root),
        "GONGSHI_DATABASE_URL": settings.database_url,
        "GONGSHI_SECRET_KEY": settings.secret_key,
        "GONGSHI_PORTAL_SEARCH_RATE": "0",
        "GONGSHI_WORKER_INTERVAL": "1.0",
    }
    port = free_port()
    portal = start_server("portal", env, port, workers=portal_workers)
    base = f"http://127.0.0.1:{port}"
    worker = start_worker(env, root / "search.lock")
    rounds: list[Round] = []
    markers = iter(MARKERS)
    try:
        portal_cpu = cpu_seconds(portal.pid)
        worker_cpu = cpu_seconds(worker.pid)
        for fault in ("deleted", "corrupt meta.json"):
            rounds.append(run_round(base, env, settings, fault, True, next(markers), streak))
            print(rounds[-1].line(), flush=True)
        print(
            f"  worker CPU during these rounds: {cpu_seconds(worker.pid) - worker_cpu:.2f} s; "
            f"portal CPU: {cpu_seconds(portal.pid) - portal_cpu:.2f} s",
            flush=True,
        )
        worker.terminate()
        worker.wait(timeout=30)
        for fault in ("deleted", "corrupt meta.json") if without_worker else ():
            rounds.append(run_round(base, env, settings, fault, False, next(markers), streak))
            print(rounds[-1].line(), flush=True)
        # The portal process(es) are still the ones started at the beginning.
        assert portal.poll() is None
    finally:
        for proc in (worker, portal):
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--portal-workers", type=int, default=2)
    parser.add_argument("--streak", type=int, default=10, help="consecutive hits that count as recovered")
    parser.add_argument("--dir", default=None, help="scratch directory (default: a new temporary one)")
    args = parser.parse_args()
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="gongshi-faults-"))
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.monotonic()
    rounds = run(root, args.docs, args.portal_workers, args.streak)
    summary: list[dict[str, Any]] = [
        {
            "fault": r.fault,
            "worker": r.worker,
            "reindex_rc": r.reindex_rc,
            "reindex": r.reindex_output,
            "reindex_wall_s": round(r.reindex_wall_s, 2),
            "reindex_cpu_s": round(r.reindex_cpu_s, 2),
            "searchable_after_s": round(r.searchable_after_s, 2),
            "searchable_after_fault_s": round(r.searchable_after_fault_s, 2),
            "hits_during_fault": r.served_during_fault,
            "statuses": dict(r.statuses),
        }
        for r in rounds
    ]
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"total {time.monotonic() - started:.1f} s")
    ok = all(r.reindex_rc == 0 and r.searchable_after_s < 10 for r in rounds)
    shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
