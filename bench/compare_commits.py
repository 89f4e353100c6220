"""The benchmarks of bench/README.md at two commits, in one run, interleaved (issue 13's figure).

    .venv/bin/python bench/compare_commits.py --old b417620 [--new HEAD] [--rounds 2] [--only NAME]

Each commit gets a detached worktree under /tmp/gongshi-compare/<sha> with its own .venv (uv), and
runs its own copy of each benchmark at a size that takes seconds to a minute. Rounds alternate
old, new, old, new… so both see the same load on this shared machine. The figure compared is the
CPU time the benchmark and the servers it starts used for the same fixed work (their rusage), which
load does not inflate as it does wall time; both are printed, with the benchmark's own last lines.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = Path("/tmp/gongshi-compare")
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# name → arguments of `python bench/<script>`; sizes chosen for seconds, not for the README's figures.
BENCHES: dict[str, list[str]] = {
    "redaction": ["redaction_bench.py", "500"],
    "intake": ["intake_bench.py", "--single", "800", "--batches", "4", "--concurrency", "4"],
    "publish": ["publish_bench.py", "--count", "5000", "--workers", "2"],
    "expiry": ["expiry_bench.py", "--count", "5000"],
    "cases": ["cases_bench.py", "--upload-mb", "64", "--entries", "2000"],
    "access_timing": ["access_timing_bench.py", "--decisions", "2000", "--requests", "300", "--db", "sqlite"],
    "search": ["search_bench.py", "--docs", "30000", "--queries", "100", "--dir", "{tmp}/search"],
    "portal": ["portal_bench.py", "--docs", "10000", "--seconds", "6", "--dir", "{tmp}/portal"],
    "stats": ["stats_timeliness_bench.py", "100000"],
    "import": ["import_bench.py", "--rows", "5000"],
    "shuanggongshi": ["shuanggongshi_bench.py", "--count", "10000"],
}


def checkout(ref: str) -> Path:
    sha = subprocess.run(
        ["git", "rev-parse", "--short=10", ref], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = BASE / sha
    if not tree.exists():
        BASE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), sha], cwd=ROOT, check=True)
    if not (tree / ".venv" / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(tree / ".venv")], check=True)
        subprocess.run([str(tree / ".venv/bin/python"), "-m", "pip", "install", "-q", "uv"], check=True)
    if not (tree / ".venv" / ".compare-installed").exists():
        uv = str(tree / ".venv/bin/uv")
        py = str(tree / ".venv/bin/python")
        subprocess.run([uv, "pip", "install", "-q", "--python", py, "-e", ".[dev]"], cwd=tree, check=True)
        (tree / ".venv" / ".compare-installed").touch()
    return tree


def run(tree: Path, name: str) -> tuple[float, float, str, int]:
    """(wall s, CPU s of the benchmark and its children, its output's tail, exit status)."""
    tmp = BASE / f"data-{tree.name}-{name}"
    args = [a.replace("{tmp}", str(tmp)) for a in BENCHES[name]]
    env = {**os.environ, "GONGSHI_TEST_POSTGRES_URL": PG}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [str(tree / ".venv/bin/python"), f"bench/{args[0]}", *args[1:]],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The figures are on stdout; the servers' access logs on stderr only matter when it failed.
    tail = "\n".join(
        (done.stdout if done.returncode == 0 else done.stdout + done.stderr).strip().splitlines()[-4:]
    )
    return wall, cpu, tail, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", default="HEAD")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", action="append", choices=sorted(BENCHES))
    opts = parser.parse_args()
    trees = {"old": checkout(opts.old), "new": checkout(opts.new)}
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for name in opts.only or list(BENCHES):
        for _ in range(opts.rounds):
            for side in ("old", "new"):
                wall, cpu, tail, status = run(trees[side], name)
                label = f"{name} {side} ({trees[side].name})"
                print(f"--- {label}: {wall:.1f} s wall, {cpu:.1f} s CPU, exit {status}")
                print(tail, flush=True)
                if status == 0:
                    results.setdefault((name, side), []).append((wall, cpu))
    head = ("benchmark", "old wall", "new wall", "old CPU", "new CPU", "CPU new/old")
    print("\n{:14} {:>9} {:>9} {:>8} {:>8} {:>11}".format(*head))
    for name in opts.only or list(BENCHES):
        old, new = results.get((name, "old")), results.get((name, "new"))
        if not old or not new:
            print(f"{name:14} (failed: see its output above)")
            continue
        ow, oc = min(w for w, _ in old), min(c for _, c in old)
        nw, nc = min(w for w, _ in new), min(c for _, c in new)
        print(f"{name:14} {ow:8.1f}s {nw:8.1f}s {oc:7.1f}s {nc:7.1f}s {nc / oc:10.2f}x")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
