"""From approve to searchable on the portal, with the real servers and the worker running.

Starts `gongshi serve internal`, `gongshi serve portal` and `gongshi worker` on a fresh SQLite
database (the embedded tantivy index), then for each trial: submits a decision with a unique
title, waits for the worker to redact it, approves it through the API and polls the portal's
JSON search until the title is found. The figure is the time from the approve response to the
first search response that contains it.

Run: .venv/bin/python bench/searchable_bench.py [--trials 20]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid

import httpx

sys.path.insert(0, os.path.dirname(__file__))
from _support import ROOT, free_port, percentile, start_server


def marker(i: int) -> str:
    """A tag unique to each trial, in Latin letters: Chinese syllables such as 丁丑乙 can read as a
    person's name, and redaction rightly masks those in the published title."""
    letters = "bcdfghjkmnpqrstvwxz"
    return "".join(letters[(i // 19**k) % 19] for k in range(3)) + "q"


def intake(source_id: str, title: str) -> dict[str, object]:
    return {
        "source_id": source_id,
        "agency": {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"},
        "kind": "penalty",
        "document_number": f"合市监罚〔2026〕{source_id[-6:]}号",
        "title": title,
        "decided_on": "2026-11-24",
        "party": {
            "kind": "legal_person",
            "name": "合肥某某商贸有限公司",
            "id_type": "uscc",
            "id_number": "91340100MA2N0000XF",
        },
        "facts": "当事人销售过期食品。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "result": "罚款人民币五千元。",
        "penalty": {"categories": ["fine"], "fine_yuan": "5000.00"},
    }


def wait_for_state(client: httpx.Client, url: str, headers: dict[str, str], state: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if client.get(url, headers=headers).json()["state"] == state:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not reach {state}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "GONGSHI_DATA_DIR": tmp,
            "GONGSHI_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            # The bench polls the search API every 20 ms; the per-client limit is not what it measures.
            "GONGSHI_PORTAL_SEARCH_RATE": "0",
        }
        full_env = {**os.environ, **env}

        def cli(*argv: str) -> str:
            out = subprocess.run(
                [sys.executable, "-m", "gongshi.cli", *argv],
                env=full_env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            return out.stdout.strip().splitlines()[-1]

        cli("db", "upgrade")
        headers = {"Authorization": f"Bearer {cli('token', 'create', '--role', 'admin')}"}
        internal_port, portal_port = free_port(), free_port()
        procs = [start_server("internal", env, internal_port), start_server("portal", env, portal_port)]
        worker = [sys.executable, "-m", "gongshi.cli", "worker"]
        procs.append(subprocess.Popen(worker, env=full_env, cwd=ROOT))
        api, portal = f"http://127.0.0.1:{internal_port}", f"http://127.0.0.1:{portal_port}"
        latencies: list[float] = []
        try:
            with httpx.Client(timeout=30) as client:
                for i in range(args.trials):
                    title = f"合肥某某商贸有限公司销售过期食品案（{marker(i)}）"
                    r = client.post(
                        f"{api}/api/v1/decisions", json=intake(uuid.uuid4().hex, title), headers=headers
                    )
                    assert r.status_code == 201, r.text
                    decision_url = f"{api}/api/v1/decisions/{r.json()['id']}"
                    wait_for_state(client, decision_url, headers, "in_review")
                    r = client.post(f"{decision_url}/approve", json={}, headers=headers)
                    assert r.status_code == 200, r.text
                    approved = time.perf_counter()
                    while True:
                        found = client.get(
                            f"{portal}/api/public/v1/disclosures", params={"q": marker(i)}
                        ).json()
                        assert "items" in found, found
                        if any(item["title"] == title for item in found["items"]):
                            break
                        if time.perf_counter() - approved > 60:
                            raise RuntimeError(f"trial {i}: not searchable after 60 s")
                        time.sleep(0.02)
                    latencies.append(time.perf_counter() - approved)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=10)
        print(
            f"approve → searchable over {len(latencies)} trials: "
            f"p50 {percentile(latencies, 0.5):.2f} s, p95 {percentile(latencies, 0.95):.2f} s, "
            f"max {max(latencies):.2f} s "
            f"(worker interval {os.environ.get('GONGSHI_WORKER_INTERVAL', '1.0')} s)"
        )


if __name__ == "__main__":
    main()
