"""Benchmark the public portal: detail and search pages under load from wrk on loopback.

Seeds N published disclosures straight into the read model (SQLite), builds the search index,
starts `gongshi serve portal --workers W`, and runs wrk with Lua scripts that spread requests over
many ids and queries; p50/p95/p99 come from wrk's own latency histogram.

Run: .venv/bin/python bench/portal_bench.py --docs 100000 --dir /tmp/gongshi-portal-bench
     (add --reuse to skip seeding when the directory already holds the data)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import cpu_seconds, free_port, rss_mb, start_server
from sqlalchemy import insert

from gongshi.core.context import Workflow
from gongshi.search.indexer import engine_for, reindex
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.storage.models import Agency, Decision, Disclosure

CITIES = [
    "合肥",
    "芜湖",
    "蚌埠",
    "淮南",
    "马鞍山",
    "淮北",
    "铜陵",
    "安庆",
    "黄山",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
]
REGIONS = [
    "340100",
    "340200",
    "340300",
    "340400",
    "340500",
    "340600",
    "340700",
    "340800",
    "341000",
    "341100",
    "341200",
    "341300",
    "341500",
    "341600",
]
AGENCY_KINDS = ["市场监督管理局", "生态环境局", "城市管理局", "交通运输局", "应急管理局", "卫生健康委员会"]
INDUSTRIES = [
    "商贸",
    "餐饮",
    "建材",
    "科技",
    "食品",
    "医药",
    "物流",
    "建筑",
    "环保",
    "药房",
    "超市",
    "五金",
    "汽修",
]
WORDS = "华兴盛昌隆泰丰源鑫恒达瑞祥福顺安康宏远博信诚德佳和美新"
FACTS = [
    "当事人经营超过保质期的食品，货值金额{n}元。",
    "当事人未按规定设置污染防治设施，擅自排放废水。",
    "当事人在经营场所销售不符合安全标准的儿童玩具，违法所得{n}元。",
    "当事人未取得许可擅自从事道路运输经营活动。",
    "当事人未按规定对特种设备进行定期检验，存在安全隐患。",
    "当事人在城市道路两侧擅自设置户外广告，影响市容。",
    "申请人申请食品经营许可，经审查符合法定条件。",
]
BASES = [
    "《中华人民共和国食品安全法》第一百二十四条",
    "《中华人民共和国大气污染防治法》第一百一十七条",
    "《城市市容和环境卫生管理条例》第三十四条",
    "《中华人民共和国安全生产法》第九十九条",
]
KINDS = ["penalty"] * 6 + ["licensing"] * 2 + ["coercion", "inspection", "confirmation", "other"]
CATEGORIES = ["warning", "fine", "confiscation", "suspend_license", "order_suspension", "revoke_license"]
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
QUERIES = [
    "食品",
    "罚款",
    "餐饮",
    "环保",
    "合肥",
    "芜湖",
    "许可",
    "广告",
    "特种设备",
    "保质期",
    "儿童玩具",
    "道路运输",
    "安全隐患",
    "污染防治",
    "超市",
    "药房",
]


def seed(settings: Settings, docs: int, rng: random.Random) -> list[str]:
    """Insert `docs` published disclosures (with their agency and decision rows); returns the ids."""
    upgrade(settings.database_url)
    wf = Workflow.create(settings)
    agencies = []
    for i in range(60):
        region = REGIONS[i % len(REGIONS)]
        city = CITIES[i % len(CITIES)]
        code = f"11{region}MB{i:07d}X"
        agencies.append(
            {
                "id": i + 1,
                "code": code,
                "name": f"{city}市{AGENCY_KINDS[i % len(AGENCY_KINDS)]}",
                "region": region,
                "profile": {},
                "created_at": NOW,
            }
        )
    ids: list[str] = []
    with wf.db.write() as s:
        s.execute(insert(Agency), agencies)
    batch_decisions: list[dict[str, object]] = []
    batch_disclosures: list[dict[str, object]] = []
    start = date(2019, 1, 1)
    for n in range(1, docs + 1):
        agency = agencies[rng.randrange(len(agencies))]
        kind = rng.choice(KINDS)
        decided = start + timedelta(days=rng.randrange(2880))
        party = f"{rng.choice(CITIES)}{''.join(rng.sample(WORDS, 2))}{rng.choice(INDUSTRIES)}有限公司"
        doc_no = f"{agency['name'][:2]}罚〔{decided.year}〕{n}号"
        title = f"{party}行政{'许可决定书' if kind == 'licensing' else '处罚决定书'}"
        public_id = f"b{n:012d}"
        cats = sorted(set(rng.sample(CATEGORIES, rng.randint(1, 2)))) if kind == "penalty" else []
        record = {
            "agency": {"code": agency["code"], "name": agency["name"]},
            "kind": kind,
            "document_number": doc_no,
            "title": title,
            "decided_on": decided.isoformat(),
            "party": {
                "kind": "legal_person",
                "name": party,
                "id_type": "uscc",
                "id_number": f"91{agency['region']}MA{n:08d}",
                "legal_representative": "王某",
                "address": f"{agency['name'][:2]}市{''.join(rng.sample(WORDS, 2))}路{rng.randint(1, 999)}号",
            },
            "facts": rng.choice(FACTS).format(n=rng.randint(100, 90000)) * rng.randint(1, 3),
            "legal_basis": rng.choice(BASES),
            "result": f"决定给予警告，并处罚款人民币{rng.randint(1, 200) * 500}元。"
            if cats
            else "准予许可。",
            "penalty": {"categories": cats, "fine_yuan": None, "confiscated_yuan": None} if cats else None,
            "license": None,
            "full_text": None,
        }
        batch_decisions.append(
            {
                "id": n,
                "agency_id": agency["id"],
                "source_id": public_id,
                "kind": kind,
                "document_number": doc_no,
                "title": title,
                "decided_on": decided,
                "state": "published",
                "revision": 1,
                "intake": b"{}",
                "content_hash": "0" * 64,
                "publish_by": decided,
                "publish_by_provisional": False,
                "public_id": public_id,
                "published_at": NOW,
                "created_at": NOW,
                "updated_at": NOW,
                "minor_override": False,
                "audit_seq": 0,
                "audit_head": "",
            }
        )
        batch_disclosures.append(
            {
                "public_id": public_id,
                "decision_id": n,
                "status": "published",
                "agency_code": agency["code"],
                "agency_name": agency["name"],
                "region": agency["region"],
                "kind": kind,
                "document_number": doc_no,
                "title": title,
                "decided_on": decided,
                "published_at": NOW - timedelta(minutes=docs - n),
                "corrected_at": None,
                "expires_on": decided + timedelta(days=365 * 3),
                "revision": 1,
                "record": record,
                "withdrawn_at": None,
                "withdrawal_reason": None,
                "withdrawal_explanation": None,
                "superseded_by": None,
                "updated_at": NOW,
            }
        )
        ids.append(public_id)
        if len(batch_decisions) >= 5000 or n == docs:
            with wf.db.write() as s:
                s.execute(insert(Decision), batch_decisions)
                s.execute(insert(Disclosure), batch_disclosures)
            batch_decisions, batch_disclosures = [], []
    engine = engine_for(settings, writer=True)
    started = time.monotonic()
    count = reindex(wf, engine)
    engine.close()
    print(f"indexed {count} disclosures in {time.monotonic() - started:.1f} s")
    wf.db.dispose()
    return ids


LUA = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
function setup(thread) thread:set("seed", math.random(1, 1000000)) end
function init(args) math.randomseed(seed) end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.0f %%.0f %%.0f %%.0f\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(
    base: str, paths: list[str], workdir: Path, name: str, seconds: int, conns: int
) -> dict[str, float]:
    path_file = workdir / f"{name}.paths"
    path_file.write_text("\n".join(paths) + "\n")
    script = workdir / f"{name}.lua"
    script.write_text(LUA % {"paths": path_file})
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    assert match, out
    reqs, dur_us, errors, p50, p95, p99, pmax = (int(x) for x in match.groups())
    result = {
        "requests": reqs,
        "rps": reqs / (dur_us / 1e6),
        "errors": errors,
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "max_ms": pmax / 1000,
    }
    print(
        f"{name:8s} {' '.join(cmd[1:4])}: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors {errors}"
    )
    return result


def search_paths(rng: random.Random, agencies: list[str], n: int) -> list[str]:
    paths = []
    for _ in range(n):
        params: list[tuple[str, str]] = [("q", rng.choice(QUERIES))]
        roll = rng.random()
        if roll < 0.3:
            params.append(("kind", "penalty"))
        elif roll < 0.5:
            params.append(("agency", rng.choice(agencies)))
        if rng.random() < 0.2:
            params.append(("from", "2024-01-01"))
        if rng.random() < 0.2:
            params.append(("sort", "newest"))
        if rng.random() < 0.15:
            params.append(("page", str(rng.randint(2, 5))))
        paths.append("/?" + urlencode(params))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--dir", default="/tmp/gongshi-portal-bench")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded directory")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--detail-connections", type=int, default=16)
    parser.add_argument("--search-connections", type=int, default=8)
    parser.add_argument("--only", choices=["detail", "search", "api"], action="append", help="run only these")
    parser.add_argument("--search-paths", type=int, default=2000, help="distinct search URLs to spread over")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install -y wrk")
    root = Path(args.dir)
    rng = random.Random(20261125)
    settings = Settings(
        database_url=f"sqlite:///{root / 'gongshi.sqlite3'}",
        data_dir=str(root),
        secret_key="bench-" + "x" * 32,
    )
    ids_file = root / "ids.json"
    if not (args.reuse and ids_file.exists()):
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        started = time.monotonic()
        ids = seed(settings, args.docs, rng)
        ids_file.write_text(json.dumps(ids))
        print(f"seeded {len(ids)} disclosures in {time.monotonic() - started:.1f} s")
    ids = json.loads(ids_file.read_text())
    agencies = [f"11{REGIONS[i % len(REGIONS)]}MB{i:07d}X" for i in range(60)]
    port = free_port()
    env = {
        "GONGSHI_DATA_DIR": str(root),
        "GONGSHI_DATABASE_URL": settings.database_url,
        "GONGSHI_SECRET_KEY": settings.secret_key,
        # One load generator is one client address: the per-client limits would measure only the 429s.
        "GONGSHI_PORTAL_SEARCH_RATE": "0",
    }
    server = start_server("portal", env, port, workers=args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        detail = [f"/disclosures/{rng.choice(ids)}" for _ in range(5000)]
        search = search_paths(rng, agencies, args.search_paths)
        run_wrk(base, detail[:500], root, "warmup", 3, 4)
        run_wrk(base, search[:500], root, "warmup", 3, 4)
        runs = {
            "detail": (detail, args.detail_connections),
            "search": (search, args.search_connections),
            "api": (
                [p.replace("/?", "/api/public/v1/disclosures?") for p in search],
                args.search_connections,
            ),
        }
        cpu_before, wall_before = cpu_seconds(server.pid), time.monotonic()
        results: dict[str, object] = {
            name: run_wrk(base, paths, root, name, args.seconds, conns)
            for name, (paths, conns) in runs.items()
            if not args.only or name in args.only
        }
        results["server_cpu_s"] = round(cpu_seconds(server.pid) - cpu_before, 1)
        wall = time.monotonic() - wall_before
        print(f"server CPU during the runs: {results['server_cpu_s']} s in {wall:.0f} s wall")
        results["server_rss_mb"] = round(rss_mb(server.pid))
        print(f"server RSS after the run: {rss_mb(server.pid):.0f} MB ({args.workers} workers)")
        print(json.dumps(results, indent=1))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
