"""Case records: a 1 GB video upload through the real server, and verify of a 10,000-entry case.

Run: .venv/bin/python bench/cases_bench.py [--upload-mb 1024] [--entries 10000] [--profile]

The upload is streamed by the client (nothing held whole in memory on either side) to
`gongshi serve internal` (one uvicorn worker) on a fresh SQLite database and data dir. Server RSS is
sampled every 20 ms during the upload; "above idle" is the peak minus the RSS after a warm-up upload.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import json
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, os.path.dirname(__file__))
from _support import cpu_seconds, free_port, rss_mb, start_server

AGENCY = {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"}
CASE = {
    "agency": AGENCY,
    "case_number": "BENCH-1",
    "kind": "penalty",
    "party": {
        "kind": "legal_person",
        "name": "合肥某某食品有限公司",
        "id_type": "uscc",
        "id_number": "91340100MA2N0000XF",
    },
    "opened_on": "2026-11-02",
    "source": {"type": "ex_officio", "detail": "日常检查"},
}
BOUNDARY = "gongshibenchboundary7MA4YWxkTrZu0gW"


def multipart_body(size: int, block: bytes) -> tuple[Iterator[bytes], int]:
    """A multipart body with `size` bytes of video, generated as it is sent; and its length."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="captured_at"\r\n\r\n'
        f"{datetime.now(UTC).isoformat()}\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bodycam.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def gen() -> Iterator[bytes]:
        yield head
        left = size
        while left > 0:
            chunk = block[: min(len(block), left)]
            left -= len(chunk)
            yield chunk
        yield tail

    return gen(), len(head) + size + len(tail)


def upload(url: str, headers: dict[str, str], size: int, block: bytes) -> tuple[float, dict[str, Any]]:
    """POST through http.client: the client should cost little CPU, the machine is shared."""
    body, length = multipart_body(size, block)
    h = {
        **headers,
        "content-type": f"multipart/form-data; boundary={BOUNDARY}",
        "content-length": str(length),
    }
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    start = time.perf_counter()
    conn.request("POST", parts.path, body=body, headers=h)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    assert response.status == 201, data[:500]
    out: dict[str, Any] = json.loads(data)
    return elapsed, out


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.02)


def seed_entries(database_url: str, case_id: int, n: int) -> float:
    """Append n entries through the service layer (one transaction); returns seconds taken."""
    from gongshi.auth.principal import WORKER
    from gongshi.cases import records
    from gongshi.cases.entries import decode_entry
    from gongshi.storage.db import Database

    db = Database(database_url)
    start = time.perf_counter()
    at = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    with db.write() as session:
        case = records.load_case(session, WORKER, case_id, for_update=True)
        for i in range(n):
            kind = ("inquiry", "inspection", "evidence", "sampling")[i % 4]
            raw = json.dumps(
                {
                    "stage": "investigation",
                    "type": kind,
                    "occurred_at": (at + timedelta(minutes=i)).isoformat(),
                    "text": f"第 {i} 项调查记录：现场检查，执法人员出示证件并制作笔录。",
                    "officers": [{"name": "王执法", "certificate_number": "34010012345"}],
                }
            ).encode()
            records.add_entry(session, WORKER, case, decode_entry(raw), at + timedelta(days=1, seconds=i))
    db.dispose()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--upload-mb", type=int, default=1024)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--profile", action="store_true", help="cProfile one in-process verify")
    ap.add_argument("--dir", default=None, help="data dir (default: a temporary directory on local disk)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        env = {"GONGSHI_DATA_DIR": tmp, "GONGSHI_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        full_env = {**os.environ, **env}
        subprocess.run([sys.executable, "-m", "gongshi.cli", "db", "upgrade"], env=full_env, check=True)
        out = subprocess.run(
            [sys.executable, "-m", "gongshi.cli", "token", "create", "--role", "admin"],
            env=full_env,
            check=True,
            capture_output=True,
            text=True,
        )
        headers = {"Authorization": f"Bearer {out.stdout.strip().splitlines()[-1]}"}
        port = free_port()
        server = start_server("internal", env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            case = httpx.post(f"{base}/api/v1/cases", json=CASE, headers=headers).json()
            entry = httpx.post(
                f"{base}/api/v1/cases/{case['id']}/entries",
                json={
                    "stage": "investigation",
                    "type": "inspection",
                    "occurred_at": datetime.now(UTC).isoformat(),
                    "text": "现场检查，执法记录仪全程录像。",
                },
                headers=headers,
            ).json()
            url = f"{base}/api/v1/cases/{case['id']}/entries/{entry['id']}/attachments"
            block = os.urandom(1024 * 1024)
            upload(url, headers, 8 * 1024 * 1024, block[::-1])  # warm-up: imports, thread pool, first file
            time.sleep(0.5)
            idle = rss_mb(server.pid)
            sampler = RssSampler(server.pid)
            sampler.start()
            cpu0 = cpu_seconds(server.pid)
            size = args.upload_mb * 1024 * 1024
            elapsed, att = upload(url, headers, size, block)
            sampler.stop.set()
            sampler.join()
            cpu = cpu_seconds(server.pid) - cpu0
            print(f"upload {args.upload_mb} MiB: {elapsed:.2f} s, {size / elapsed / 1e6:.0f} MB/s")
            print(
                f"  server RSS idle {idle:.1f} MB, peak {sampler.peak:.1f} MB (+{sampler.peak - idle:.1f} MB)"
            )
            share = round(cpu / elapsed * 100)
            print(f"  server CPU {cpu:.2f} s ({share} % of a core), sha256 {str(att['sha256'])[:8]}")

            t = time.perf_counter()
            r = httpx.get(f"{url}/{att['id']}", headers={**headers, "Range": "bytes=0-1048575"})
            assert r.status_code == 206 and len(r.content) == 1024 * 1024
            print(f"range GET of 1 MiB: {(time.perf_counter() - t) * 1000:.1f} ms")

            big = httpx.post(
                f"{base}/api/v1/cases", json={**CASE, "case_number": "BENCH-10K"}, headers=headers
            ).json()
            seeded = seed_entries(env["GONGSHI_DATABASE_URL"], big["id"], args.entries)
            print(f"seeded {args.entries} entries in {seeded:.1f} s (one transaction)")
            times, cpus = [], []
            for query in ("", "", "", "", "", "?files=false"):
                c = cpu_seconds(server.pid)
                t = time.perf_counter()
                r = httpx.get(f"{base}/api/v1/cases/{big['id']}/verify{query}", headers=headers, timeout=60)
                times.append(time.perf_counter() - t)
                cpus.append(cpu_seconds(server.pid) - c)
                assert r.status_code == 200 and r.json()["intact"] is True, r.text[:500]
            median, best, worst = (
                round(x * 1000) for x in (sorted(times[:5])[2], min(times[:5]), max(times[:5]))
            )
            cpu_median, quick = round(sorted(cpus[:5])[2] * 1000), round(times[5] * 1000)
            print(f"verify {args.entries} entries over HTTP: {median} ms median (best {best}, worst {worst})")
            print(f"  server CPU median {cpu_median} ms; ?files=false {quick} ms")
            t = time.perf_counter()
            r = httpx.get(f"{base}/api/v1/cases/{case['id']}/verify", headers=headers, timeout=600)
            assert r.json()["intact"] is True
            print(
                f"verify of the case holding the {args.upload_mb} MiB file: {time.perf_counter() - t:.2f} s"
            )
            if args.profile:
                profile_verify(env["GONGSHI_DATABASE_URL"], big["id"], Path(tmp))
        finally:
            server.terminate()
            server.wait(timeout=10)


def profile_verify(database_url: str, case_id: int, data_dir: Path) -> None:
    from gongshi.auth.principal import WORKER
    from gongshi.cases import chain, records
    from gongshi.cases.store import attachment_store
    from gongshi.storage.db import Database

    db = Database(database_url)
    with db.read() as session:
        case = records.load_case(session, WORKER, case_id)
        profiler = cProfile.Profile()
        profiler.enable()
        chain.verify(session, case, attachment_store(str(data_dir)))
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    db.dispose()


if __name__ == "__main__":
    main()
