"""Intake through the HTTP API on SQLite: single requests, batches of 500, latency and server RSS.

Run: .venv/bin/python bench/intake_bench.py [--single 3000] [--batches 20] [--concurrency 8] [--workers 1]
     [--wrk SECONDS]  (also load single requests from wrk, `apt-get install wrk`)
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

import httpx

sys.path.insert(0, os.path.dirname(__file__))
import msgspec
from _support import cpu_seconds, free_port, percentile, rss_mb, start_server

from gongshi.demo.corpus import demo_intakes


def bodies(n: int, prefix: str) -> list[bytes]:
    """Realistic decisions (the redaction corpus generator), each with a unique source_id."""
    base = [msgspec.to_builtins(i) for i in demo_intakes(min(n, 500), seed=11)]
    out = []
    for i in range(n):
        item = copy.deepcopy(base[i % len(base)])
        item["source_id"] = f"{prefix}-{i}"
        item["agency"] = {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"}
        out.append(msgspec.json.encode(item))
    return out


async def singles(
    url: str, headers: dict[str, str], payloads: list[bytes], concurrency: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for p in payloads:
        queue.put_nowait(p)

    async def client_loop(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            t = time.perf_counter()
            r = await client.post(f"{url}/api/v1/decisions", content=body, headers=headers)
            latencies.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 201, r.text

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        return time.perf_counter() - start, latencies


WRK_LUA = """
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tag", "wrk" .. threads)
end
local n = 0
local headers = {["Authorization"] = "%(auth)s", ["Content-Type"] = "application/json"}
function request()
  n = n + 1
  local body = string.gsub(bodies[(n %% #bodies) + 1], "__SOURCE_ID__", tag .. "-" .. n, 1)
  return wrk.format("POST", "/api/v1/decisions", headers, body)
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.0f %%.0f %%.0f\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def with_wrk(url: str, headers: dict[str, str], tmp: str, seconds: int, connections: int) -> None:
    """Single requests from wrk (C, on one thread), so the Python client does not eat the server's CPU."""
    path = os.path.join(tmp, "bodies.jsonl")
    with open(path, "wb") as f:
        for body in bodies(500, "unused"):
            item = msgspec.json.decode(body)
            item["source_id"] = "__SOURCE_ID__"
            f.write(msgspec.json.encode(item) + b"\n")
    script = os.path.join(tmp, "intake.lua")
    with open(script, "w") as f:
        f.write(WRK_LUA % {"bodies": path, "auth": headers["Authorization"]})
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    assert match, out
    reqs, duration_us, errors, p50, p95, p99 = (int(x) for x in match.groups())
    stored = sqlite3.connect(os.path.join(tmp, "bench.sqlite3")).execute(
        "SELECT count(*) FROM decisions WHERE source_id LIKE 'wrk%'"
    )
    print(
        f"single requests (wrk -t1 -c{connections}, {seconds} s): "
        f"{reqs / (duration_us / 1e6):.0f} decisions/s; "
        f"latency p50 {p50 / 1000:.1f} ms, p95 {p95 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms; "
        f"errors {errors}; {stored.fetchone()[0]} new decisions stored for {reqs} requests"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--single", type=int, default=3000)
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--wrk", type=int, default=0, metavar="SECONDS", help="also run single requests from wrk")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {"GONGSHI_DATA_DIR": tmp, "GONGSHI_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        subprocess.run(
            [sys.executable, "-m", "gongshi.cli", "db", "upgrade"], env={**os.environ, **env}, check=True
        )
        out = subprocess.run(
            [sys.executable, "-m", "gongshi.cli", "token", "create", "--role", "admin"],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
            text=True,
        )
        headers = {
            "Authorization": f"Bearer {out.stdout.strip().splitlines()[-1]}",
            "content-type": "application/json",
        }
        port = free_port()
        server = start_server("internal", env, port, workers=args.workers)
        url = f"http://127.0.0.1:{port}"
        try:
            idle = rss_mb(server.pid)
            # Warm up (imports, first queries) so the figures describe the steady state.
            asyncio.run(singles(url, headers, bodies(50, "warm"), 4))
            payloads = bodies(args.single, "single")
            cpu_before = cpu_seconds(server.pid)
            elapsed, lat = asyncio.run(singles(url, headers, payloads, args.concurrency))
            server_cpu = cpu_seconds(server.pid) - cpu_before
            print(
                f"single requests: {args.single} in {elapsed:.2f} s = "
                f"{args.single / elapsed:.0f} decisions/s; "
                f"latency p50 {percentile(lat, 0.5):.1f} ms, p95 {percentile(lat, 0.95):.1f} ms, "
                f"p99 {percentile(lat, 0.99):.1f} ms (concurrency {args.concurrency}); "
                f"server CPU {server_cpu / args.single * 1000:.2f} ms/request"
            )
            if args.wrk:
                with_wrk(url, headers, tmp, args.wrk, args.concurrency)
            payloads = bodies(args.batches * args.batch_size, "batch")
            batch_bodies = [
                b"[" + b",".join(payloads[i : i + args.batch_size]) + b"]"
                for i in range(0, len(payloads), args.batch_size)
            ]
            start = time.perf_counter()
            with httpx.Client(timeout=120) as client:
                for body in batch_bodies:
                    r = client.post(f"{url}/api/v1/decisions:batch", content=body, headers=headers)
                    assert r.status_code == 200 and r.json()["stored"] == args.batch_size, r.text[:500]
            elapsed = time.perf_counter() - start
            print(
                f"batches: {len(payloads)} decisions in {len(batch_bodies)} batches of {args.batch_size}: "
                f"{elapsed:.2f} s = {len(payloads) / elapsed:.0f} decisions/s"
            )
            print(f"server RSS: idle {idle:.0f} MB, after load {rss_mb(server.pid):.0f} MB")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
