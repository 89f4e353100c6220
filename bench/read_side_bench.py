"""CPU cost of the portal's read side, in process: two checkouts on the same read model, same run.

For each checkout (a directory holding a `gongshi/` package, e.g. `git archive <commit>` unpacked)
a child process with that checkout first on PYTHONPATH measures, on the database seeded by
`bench/portal_bench.py`:

- detail: `detail.load` + `detail.public_view` + JSON encoding, for 3,000 random ids (the detail
  page and its JSON twin minus the HTTP stack);
- export: every row of `listing.export_rows` without a query (the CSV export and the database
  listing: read-model rows and their record);
- documents: every search document of `indexer.published_documents` (what a reindex feeds the
  engine, without the engine).

Checkouts run alternately, `--rounds` times each; CPU is the child's process time, wall beside it.

Run: .venv/bin/python bench/read_side_bench.py --dir /tmp/gongshi-portal-bench OLD_TREE NEW_TREE
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(fn: Callable[[], int]) -> dict[str, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    count = fn()
    return {"n": count, "cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}


def child(data_dir: Path) -> dict[str, Any]:
    import msgspec

    from gongshi.portal import detail, listing
    from gongshi.portal.query import Filters
    from gongshi.search import indexer
    from gongshi.settings import Settings

    try:
        from gongshi.core.context import Workflow
    except ImportError:  # before the move to gongshi.core
        from gongshi.publication.context import Workflow  # type: ignore[no-redef]

    settings = Settings(
        database_url=f"sqlite:///{data_dir / 'gongshi.sqlite3'}",
        data_dir=str(data_dir),
        secret_key="bench-" + "x" * 32,
    )
    wf = Workflow.create(settings)
    ids = json.loads((data_dir / "ids.json").read_text())
    picked = random.Random(20261201).choices(ids, k=3000)
    base = "http://portal.example"

    def details() -> int:
        for public_id in picked:
            msgspec.json.encode(detail.public_view(detail.load(wf, public_id), base))
        return len(picked)

    def export() -> int:
        return sum(1 for _ in listing.export_rows(None, wf, Filters(), base))  # type: ignore[arg-type]

    def documents() -> int:
        return sum(1 for _ in indexer.published_documents(wf))

    details()  # warm the connection pool and the page cache
    return {"detail": _timed(details), "export": _timed(export), "documents": _timed(documents)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", default="/tmp/gongshi-portal-bench")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("trees", nargs="*")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.dir))))
        return
    results: dict[str, list[dict[str, Any]]] = {tree: [] for tree in args.trees}
    for _ in range(args.rounds):
        for tree in args.trees:
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--dir", args.dir],
                env={**os.environ, "PYTHONPATH": tree},
                cwd="/",
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[tree].append(json.loads(out.strip().splitlines()[-1]))
    for tree, runs in results.items():
        print(tree)
        for part in ("detail", "export", "documents"):
            n = runs[0][part]["n"]
            cpu = [r[part]["cpu_s"] for r in runs]
            wall = [r[part]["wall_s"] for r in runs]
            per = min(cpu) / n * 1e6
            print(
                f"  {part:9} n={n:6}  CPU {' '.join(f'{c:.2f}' for c in cpu)} s (best {per:.1f} µs/item)"
                f"  wall {' '.join(f'{w:.2f}' for w in wall)} s"
            )


if __name__ == "__main__":
    main()
