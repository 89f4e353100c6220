"""双公示 export of 100,000 published decisions to XLSX (validation and leak gate included).

Run: .venv/bin/python bench/shuanggongshi_bench.py [--count 100000] [--format xlsx] [--compare DIR]
         [--producers 0,1,2]  (this checkout's export once per producer count, 0: in its own process)
     .venv/bin/python bench/shuanggongshi_bench.py --writers  (the two XLSX libraries alone)
     (uses GONGSHI_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test as the server;
      creates and drops its own database). The export runs in a new process, so its wall time,
      CPU time and peak RSS are the export's alone (not the seeding's): CPU with its producer
      processes', peak RSS the sum of each process's own VmHWM. With --compare, another
      checkout's code (e.g. `git worktree add /tmp/old main`) exports the same database first, the
      records of its export are dropped, this checkout's code exports again, and the two XLSX files
      are compared cell by cell (python-calamine): same machine, same load, same data.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

import msgspec
from sqlalchemy import delete

sys.path.insert(0, os.path.dirname(__file__))
from _support import scratch_postgres

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.settings import Settings
from gongshi.storage.credit_models import CreditExportItem

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENCY_CODE = "11340100003000001B"  # a valid GB 32100 check character, so rows pass validation
ADMIN = Principal(actor="bench", role="admin", agency_id=None)


def _settings(url: str) -> Settings:
    return Settings(database_url=url, data_dir="/tmp", secret_key="x" * 40)


def seed(url: str, count: int) -> None:
    """`count` published penalty and licensing decisions, from 300 realistic ones redacted once each."""
    # Imported here, not by the export's process: importing the demo corpus peaks at ~115 MB.
    from sqlalchemy import insert

    from gongshi.demo.corpus import demo_intakes
    from gongshi.publication.intake import _new
    from gongshi.publication.records import apply_redaction, expiry_for
    from gongshi.redaction import Policy
    from gongshi.storage.models import Agency, Decision

    wf = Workflow.create(_settings(url))
    templates = [t for t in demo_intakes(300, seed=5) if t.kind in ("penalty", "licensing")]
    with wf.db.write() as s:
        agency = Agency(
            code=AGENCY_CODE, name="合肥市市场监督管理局", region="340100", profile={}, created_at=wf.clock()
        )
        s.add(agency)
        s.flush()
        cal, now = wf.calendar.get(), wf.clock()
        prepared = []
        for t in templates:
            d = _new(agency, t, cal, now)
            if apply_redaction(d, t, Policy()) == "publishable":
                prepared.append((d, t))
        rows: list[dict[str, Any]] = []
        for i in range(count):
            d, t = prepared[i % len(prepared)]
            intake = msgspec.json.decode(d.intake)
            intake["source_id"] = f"B-{i}"
            intake["document_number"] = f"{d.document_number}-{i}"
            rows.append(
                {
                    "agency_id": agency.id,
                    "source_id": f"B-{i}",
                    "kind": d.kind,
                    "document_number": intake["document_number"],
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
                    "expires_on": expiry_for(t, 100_000),
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


def _peak_rss_mb() -> float:
    """This process's peak RSS since exec (VmHWM). Not ru_maxrss: after fork + exec it also holds the
    forking parent's peak, here the seeding bench process (that is how 276 MB was once reported)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def export(url: str, fmt: str, path: str, producers: int | None = None) -> None:
    """In the child: one export to `path`; its figures as one JSON line on stdout.

    CPU is this process's and its producer processes' (waited for, so RUSAGE_CHILDREN has them);
    peak RSS is the sum of this process's peak and each producer's own peak.
    """
    from gongshi.credit.export import run_export

    settings = _settings(url)
    if producers is not None:  # only this checkout's code knows the setting
        settings = msgspec.structs.replace(settings, export_producers=producers)
    wf = Workflow.create(settings)
    wall, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(path, "wb") as f:
        result = run_export(wf, ADMIN, AGENCY_CODE, out=f, fmt=fmt)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    wf.db.dispose()
    producers = getattr(result, "producers", [])  # older code builds every row in this process
    peak_mb = _peak_rss_mb() + sum(p.peak_rss_mb for p in producers)
    print(json.dumps([result.rows, result.rejected, wall, cpu, peak_mb, dict(result.counts), len(producers)]))


def writers(rows: int = 20_000) -> None:
    """openpyxl's write-only mode and XlsxWriter's constant-memory mode on the same cells, twice each."""
    from openpyxl import Workbook
    from xlsxwriter import Workbook as XWorkbook

    text = "经查，当事人在合肥市蜀山区长江西路销售过期食品，货值金额{}元。"
    data = [
        [
            text.format(i) * 3 if c % 3 == 0 else (f"91340100MA2N{i:06d}XF" if c % 3 == 1 else None)
            for c in range(27)
        ]
        for i in range(rows)
    ]

    def with_openpyxl(path: str) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("a")
        for r in data:
            ws.append(r)
        wb.save(path)

    def with_xlsxwriter(path: str) -> None:
        wb = XWorkbook(
            path, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
        )
        ws = wb.add_worksheet("a")
        for n, r in enumerate(data):
            for c, v in enumerate(r):
                if v:
                    ws.write_string(n, c, v)
        wb.close()

    with tempfile.TemporaryDirectory() as tmp:
        for write in (with_openpyxl, with_xlsxwriter, with_openpyxl, with_xlsxwriter):
            path = os.path.join(tmp, "w.xlsx")
            cpu = time.process_time()
            write(path)
            print(f"{write.__name__}: {rows} rows x 18 cells, {time.process_time() - cpu:.2f} s CPU")


def run_child(url: str, fmt: str, path: str, root: str, producers: int | None = None) -> tuple[Any, ...]:
    """The export in a new process whose `gongshi` is the one in `root` (PYTHONPATH comes first)."""
    env = {**os.environ, "PYTHONPATH": root}
    cmd = [sys.executable, __file__, "--child", url, "--format", fmt, "--out", path]
    if producers is not None:
        cmd += ["--producers", str(producers)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"export in {root} failed:\n{proc.stderr}")
    out = proc.stdout
    return tuple(json.loads(out.strip().splitlines()[-1]))


def forget_exports(url: str) -> None:
    """Drop the recorded exports, so the next export holds every decision again."""
    wf = Workflow.create(_settings(url))
    with wf.db.write() as s:
        s.execute(delete(CreditExportItem))
    wf.db.dispose()


def cells(path: str) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def report(label: str, fmt: str, path: str, result: tuple[Any, ...]) -> None:
    rows, rejected, wall, cpu, peak_mb, counts, producers = result
    size_mb = os.path.getsize(path) / 1e6
    print(
        f"{label}: exported {rows} rows ({rejected} rejected; {counts}) to {fmt.upper()} "
        f"({size_mb:.1f} MB) in {wall:.1f} s wall, {cpu:.1f} s CPU; peak RSS {peak_mb:.0f} MB "
        f"({1 + producers} process{'es' if producers else ''})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--format", default="xlsx", choices=["xlsx", "csv", "json"])
    ap.add_argument("--compare", metavar="DIR", help="another checkout whose export runs first")
    ap.add_argument("--writers", action="store_true", help="only compare the two XLSX libraries")
    ap.add_argument(
        "--producers", help="GONGSHI_EXPORT_PRODUCERS for this checkout's export; 0,1,2: one export each"
    )
    ap.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        export(args.child, args.format, args.out, None if args.producers is None else int(args.producers))
        return
    if args.writers:
        writers()
        return
    if args.format == "csv":
        raise SystemExit("CSV needs one template; the bench measures the whole export (xlsx or json)")
    with scratch_postgres() as url:
        t = time.perf_counter()
        seed(url, args.count)
        print(f"seeded {args.count} published decisions in {time.perf_counter() - t:.1f} s")
        print(f"load average before the exports: {os.getloadavg()[0]:.1f}")
        with tempfile.TemporaryDirectory() as tmp:
            old = os.path.join(tmp, f"old.{args.format}")
            if args.compare:
                result = run_child(url, args.format, old, os.path.abspath(args.compare))
                report(f"old ({args.compare})", args.format, old, result)
            runs: list[int | None] = [int(n) for n in args.producers.split(",")] if args.producers else [None]
            for i, n in enumerate(runs):
                if args.compare or i:
                    forget_exports(url)
                new = os.path.join(tmp, f"new{n}.{args.format}")
                label = "new (this checkout)" + ("" if n is None else f", {n} producers")
                report(label, args.format, new, run_child(url, args.format, new, ROOT, n))
                if args.compare and args.format == "xlsx":
                    a, b = cells(old), cells(new)
                    verdict = "identical" if a == b else "DIFFERENT"
                    print(
                        f"cell by cell: {verdict} ({sum(len(v) for v in b.values())} rows in {len(b)} sheets)"
                    )
            print(f"load average after the exports: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
