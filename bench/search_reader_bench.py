"""The portal's per-request cost of staying fresh: SearchReader.search in one process, no HTTP.

Builds a tantivy index of N synthetic documents (search_bench's corpus), then times
`SearchReader.for_settings(...).search` for (a) one repeated query, answered from the reader's
cache, so the freshness check (a stat of meta.json) is most of the cost, and (b) distinct queries,
which run on the engine. Prints p50/p95 wall and CPU per call. Run it from two checkouts in
alternation to compare code versions on the same index (the machine is shared and noisy):

Run: .venv/bin/python bench/search_reader_bench.py --docs 20000 --dir /tmp/gongshi-reader-bench
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import Corpus

from gongshi.portal.reader import SearchReader
from gongshi.search import SearchQuery
from gongshi.search.tantivy_engine import TantivyEngine
from gongshi.settings import Settings


def measure(reader: SearchReader, queries: list[SearchQuery]) -> tuple[float, float, float]:
    """p50 and p95 wall per call (µs), and mean CPU per call (µs)."""
    walls = []
    cpu_start = time.process_time()
    for query in queries:
        started = time.perf_counter()
        reader.search(query)
        walls.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_start) / len(queries)
    walls.sort()
    return walls[len(walls) // 2] * 1e6, walls[int(len(walls) * 0.95)] * 1e6, cpu * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--dir", default="/tmp/gongshi-reader-bench")
    parser.add_argument("--calls", type=int, default=20_000, help="calls of the cached query")
    parser.add_argument("--distinct", type=int, default=2_000, help="distinct (uncached) queries")
    args = parser.parse_args()
    root = Path(args.dir)
    index_dir = root / "search"
    if not (index_dir / "meta.json").exists():
        root.mkdir(parents=True, exist_ok=True)
        writer = TantivyEngine(str(index_dir), writer=True)
        writer.configure()
        writer.reindex(Corpus(seed=7).docs(args.docs))
        writer.close()
    settings = Settings(
        database_url=f"sqlite:///{root / 'unused.sqlite3'}", data_dir=str(root), secret_key="x" * 32
    )
    reader = SearchReader.for_settings(settings)
    rng = random.Random(5)
    sample = list(Corpus(seed=11).docs(args.distinct))
    distinct = [
        SearchQuery(text=d.body[j : j + 3], facets=["kind", "agency_code"])
        for d in sample
        for j in [rng.randrange(len(d.body) - 3)]
    ]
    cached = [SearchQuery(text="罚款", facets=["kind", "agency_code"])] * args.calls
    measure(reader, cached[:1000] + distinct[:200])  # warm up
    p50, p95, cpu = measure(reader, cached)
    print(f"cached query   ({args.calls} calls): p50 {p50:.1f} µs, p95 {p95:.1f} µs, CPU {cpu:.1f} µs")
    p50, p95, cpu = measure(reader, distinct)
    print(f"distinct query ({len(distinct)} calls): p50 {p50:.0f} µs, p95 {p95:.0f} µs, CPU {cpu:.0f} µs")
    reader.close()


if __name__ == "__main__":
    main()
