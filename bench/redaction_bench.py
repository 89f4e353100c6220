"""Redaction throughput, latency and start-up; leak-gate cost per record.

Run: .venv/bin/python bench/redaction_bench.py [N]
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import msgspec

# The fresh process reads a stored intake (bench/data/startup_intake.json, generate(1, 5)[0]) rather than
# importing the demo generator, which pulls in SQLAlchemy and the demo loader (~1.1 s) that a process
# redacting decisions never needs.
SAMPLE = Path(__file__).resolve().parent / "data" / "startup_intake.json"
STARTUP = (
    "import time; t=time.perf_counter();"
    "import msgspec; from gongshi.redaction import redact; from gongshi.domain.intake import Intake;"
    f"c=msgspec.json.decode(open({str(SAMPLE)!r}, 'rb').read(), type=Intake);"
    "s=time.perf_counter(); redact(c);"
    "print(f'{time.perf_counter()-t:.3f} {time.perf_counter()-s:.3f}')"
)


def startup() -> tuple[float, float, float]:
    """Wall time of a fresh process importing the engine, reading one intake and redacting it; the
    first redaction's own wall time; and the process's CPU time (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", STARTUP], check=True, capture_output=True, text=True).stdout
    total = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return total, float(out.split()[1]), cpu


def main(n: int) -> None:
    """Print the figures."""
    from gongshi.demo.corpus import generate
    from gongshi.redaction import LeakGate, redact

    totals = [startup() for _ in range(5)]
    print(
        f"process start + first redaction (best of 5): {min(t for t, _, _ in totals):.3f} s wall, "
        f"{min(c for _, _, c in totals):.3f} s CPU "
        f"(first redaction incl. dictionary load {min(f for _, f, _ in totals):.3f} s)"
    )
    cases = [c.intake for c in generate(n, 99)]
    # Pad every decision with its own sentences to about 3 KB of intake JSON, the size the target names.
    padded = []
    for intake in cases:
        base = msgspec.structs.replace(intake, full_text=None)
        sentences = [x + "。" for x in intake.facts.split("。") if x]
        facts = intake.facts
        k = 0
        while len(msgspec.json.encode(msgspec.structs.replace(base, facts=facts))) < 3000 and sentences:
            facts += sentences[k % len(sentences)]
            k += 1
        padded.append(msgspec.structs.replace(base, facts=facts))
    size = statistics.mean(len(msgspec.json.encode(i)) for i in padded)
    redact(padded[0])
    latencies = []
    cpu_latencies = []
    start, cpu_start = time.perf_counter(), time.process_time()
    for intake in padded:
        t, c = time.perf_counter(), time.thread_time()
        redact(intake)
        latencies.append((time.perf_counter() - t) * 1000)
        cpu_latencies.append((time.thread_time() - c) * 1000)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    for label, values, seconds in (("wall", latencies, elapsed), ("CPU", cpu_latencies, cpu)):
        values.sort()
        p50, p99 = values[len(values) // 2], values[int(len(values) * 0.99) - 1]
        print(
            f"redact ({label} time): {n} decisions of {size / 1024:.1f} KB in {seconds:.2f} s = "
            f"{n / seconds:.0f} decisions/s (one core); p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"max {values[-1]:.1f} ms"
        )
    # On a machine shared with other work, wall time counts the waiting for a core; CPU time does not.
    outputs = [msgspec.json.encode(redact(i).public) for i in padded[:500]]
    gates = [LeakGate.for_intake(i) for i in padded[:500]]
    start = time.perf_counter()
    for intake in padded[:500]:
        LeakGate.for_intake(intake)
    build = (time.perf_counter() - start) / 500 * 1000
    start = time.perf_counter()
    hits = sum(bool(g.scan(o)) for g, o in zip(gates, outputs, strict=True))
    scan = (time.perf_counter() - start) / 500 * 1000
    blocked = [i.source_id for g, o, i in zip(gates, outputs, padded, strict=False) if g.scan(o)]
    out_size = statistics.mean(len(o) for o in outputs)
    print(
        f"leak gate: for_intake {build:.3f} ms, scan {scan:.3f} ms per {out_size / 1024:.1f} KB record "
        f"({hits} of 500 redacted records blocked: {blocked[:5]})"
    )
    # In the publisher's process nothing is remembered: the gate finds the masked names again.
    from gongshi.redaction import protected

    fresh_blocked = 0
    start = time.perf_counter()
    for intake, out in zip(padded[:200], outputs[:200], strict=False):
        protected.forget()
        fresh_blocked += bool(LeakGate.for_intake(intake).scan(out))
    fresh = (time.perf_counter() - start) / 200 * 1000
    print(
        f"leak gate in a new process (names found again): {fresh:.2f} ms/record, {fresh_blocked}/200 blocked"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
