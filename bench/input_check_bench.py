"""CPU cost of the input walk (control characters, date range) on decoding an intake.

Run: .venv/bin/python bench/input_check_bench.py [--n 2000]

Compares, in the same process, msgspec's decode alone with `decode_intake` (decode, the walk over
every string and date, the cross-field checks), on the corpus's realistic decisions and on one
with an 84 KB full text. CPU time per intake is the figure; wall time is printed beside it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import msgspec

from gongshi.demo.corpus import demo_intakes
from gongshi.domain.intake import _decoder, decode_intake


def _time(label: str, raws: list[bytes], call: Callable[[bytes], object], n: int) -> None:
    for raw in raws:
        call(raw)
    c0, w0 = time.process_time(), time.perf_counter()
    for i in range(n):
        call(raws[i % len(raws)])
    cpu, wall = (time.process_time() - c0) / n * 1e6, (time.perf_counter() - w0) / n * 1e6
    print(f"  {label:<28} {cpu:8.1f} µs CPU  {wall:8.1f} µs wall")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    intakes = demo_intakes(500, seed=11)
    corpus = [msgspec.json.encode(i) for i in intakes]
    long_text = msgspec.structs.replace(intakes[0], full_text="当事人经营超过保质期的食品。" * 2000)
    big = msgspec.json.encode(long_text)
    average = sum(map(len, corpus)) // len(corpus)
    for name, raws in (
        (f"corpus decisions (avg {average} bytes)", corpus),
        (f"one of {len(big)} bytes", [big]),
    ):
        print(name)
        _time("msgspec decode only", raws, _decoder.decode, n)
        _time("decode_intake (with walk)", raws, decode_intake, n)


if __name__ == "__main__":
    main()
