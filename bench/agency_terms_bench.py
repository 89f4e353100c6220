"""Cost of applying an agency's accepted term lists, against the cost of redaction (issue 11).

    .venv/bin/python bench/agency_terms_bench.py [--terms 1000] [--runs 30]

The decision is review_bench's 10 KB one (40 spans). The lists hold `--terms` entries, half always-mask
(officers' names: 3-character names, 10 of them in the text) and half never-mask (place names and
brands; 10 of them are names the engine masks). Figures are per decision, CPU and wall, p50/p95:
`redact` is the engine with entities; `replay` is what `records.apply_redaction` adds on top, without
and with the lists (no reviewer edits). The requirement: lists cost < 10 % of redaction time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import percentile
from bench.review_bench import GIVEN, SURNAMES, _facts
from gongshi.domain.intake import decode_intake
from gongshi.redaction import edits, redact
from gongshi.redaction.entities import texts_of
from tests.factories import intake


def _terms(n: int, text: str) -> edits.AgencyTerms:
    officers = [
        f"{SURNAMES[i % 20]}{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'子丑寅卯辰巳午未申酉'[i // 10 % 10]}"
        for i in range(n // 2)
    ]
    always = [(o, "name") for o in officers]
    # Ten of the officers are named in the text.
    always[:10] = [(SURNAMES[i] + GIVEN[i % len(GIVEN)], "name") for i in range(10)]
    never = [f"{'东西南北中'[i % 5]}{'山河湖海岭'[i // 5 % 5]}{i}村" for i in range(n - n // 2)]
    never[:10] = [SURNAMES[10 + i] + GIVEN[(10 + i) % len(GIVEN)] for i in range(10)]
    assert all(o in text for o, _ in always[:10]) and all(v in text for v in never[:10])
    return edits.AgencyTerms(always=always, never=never)


def _timed(fn: object, runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    facts = _facts()
    i = decode_intake(msgspec.json.encode(intake(facts=facts)))
    texts = texts_of(i)
    terms = _terms(args.terms, facts)
    result = redact(i)
    with_terms = edits.replay(texts, result.redactions, result.doubts, [], terms)
    print(
        f"decision: {len(facts.encode())} bytes, {len(result.redactions)} engine spans; "
        f"{len(terms.always)} always + {len(terms.never)} never terms -> {len(with_terms.spans)} spans"
    )
    rows = {
        "redact (engine + entities)": _timed(lambda: redact(i), args.runs),
        "replay without lists": _timed(
            lambda: edits.replay(texts, result.redactions, result.doubts, []), args.runs
        ),
        "replay with lists": _timed(
            lambda: edits.replay(texts, result.redactions, result.doubts, [], terms), args.runs
        ),
    }
    for name, (walls, cpus) in rows.items():
        print(
            f"{name:<28} wall p50 {percentile(walls, 0.5):7.2f} ms p95 {percentile(walls, 0.95):7.2f} ms"
            f"   cpu p50 {percentile(cpus, 0.5):7.2f} ms p95 {percentile(cpus, 0.95):7.2f} ms"
        )
    base = percentile(rows["redact (engine + entities)"][1], 0.5)
    extra = percentile(rows["replay with lists"][1], 0.5) - percentile(rows["replay without lists"][1], 0.5)
    print(f"lists cost {extra:.2f} ms CPU p50 = {100 * extra / base:.1f} % of redaction")


if __name__ == "__main__":
    main()
