"""Precision and recall of redaction per category on the synthetic labelled corpus.

Run: .venv/bin/python bench/redaction_eval.py [N] [SEED]
"""

from __future__ import annotations

import sys
from collections import Counter

import msgspec

from gongshi.demo.corpus import generate
from gongshi.redaction import LeakGate, protected, redact
from gongshi.redaction.fold import compact

CHECKSUMMED = {"resident_id", "bank_account"}


def evaluate(n: int, seed: int, verbose: bool = False) -> dict[str, float]:
    """Run the corpus and print per-category figures; returns the headline numbers."""
    cases = generate(n, seed)
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    span_ok: Counter[str] = Counter()
    span_all: Counter[str] = Counter()
    keep_ok = keep_all = 0
    withheld_ok = withheld_all = status_ok = 0
    gate_blocked = gate_blocked_fresh = 0
    misses: list[str] = []
    for case in cases:
        intake = case.intake
        result = redact(intake)
        public_text = msgspec.json.encode(result.public).decode()
        public_compact = compact(public_text)
        for gold in case.gold:
            if compact(gold.text) in public_compact:
                fn[gold.category] += 1
                misses.append(f"{intake.source_id} {gold.category} {gold.text}")
            else:
                tp[gold.category] += 1
        for span in result.redactions:
            original = getattr(intake, span.field)
            removed = compact(original[span.start : span.end])
            span_all[span.category] += 1
            if any(removed and (removed in compact(g.text) or compact(g.text) in removed) for g in case.gold):
                span_ok[span.category] += 1
            elif verbose:
                misses.append(
                    f"{intake.source_id} FP {span.category}/{span.rule} {original[span.start : span.end]}"
                )
        for keep in case.must_keep:
            keep_all += 1
            if keep in public_text:
                keep_ok += 1
            elif verbose:
                misses.append(f"{intake.source_id} LOST {keep}")
        if case.expected_status == "withheld":
            withheld_all += 1
            withheld_ok += result.status == "withheld"
        status_ok += result.status == case.expected_status
        if result.status != "publishable":
            continue
        if LeakGate.for_intake(intake).scan(public_text):
            gate_blocked += 1
            misses.append(f"{intake.source_id} GATE (same process)")
        # The publisher gates in another process, with nothing remembered from this redaction.
        protected.forget()
        fresh = LeakGate.for_intake(intake).scan(public_text)
        if fresh:
            gate_blocked_fresh += 1
            misses += [f"{intake.source_id} GATE {h.rule} {public_text[h.start : h.end]}" for h in fresh]
    categories = sorted(set(tp) | set(fn) | set(span_all))
    print(f"{'category':<16}{'gold':>7}{'recall':>9}{'spans':>8}{'precision':>11}")
    for cat in categories:
        gold_n = tp[cat] + fn[cat]
        recall = tp[cat] / gold_n if gold_n else float("nan")
        precision = span_ok[cat] / span_all[cat] if span_all[cat] else float("nan")
        print(f"{cat:<16}{gold_n:>7}{recall:>9.4f}{span_all[cat]:>8}{precision:>11.4f}")
    total_tp, total_gold = sum(tp.values()), sum(tp.values()) + sum(fn.values())
    checks = sum(tp[c] for c in CHECKSUMMED), sum(tp[c] + fn[c] for c in CHECKSUMMED)
    figures = {
        "recall": total_tp / total_gold,
        "precision": sum(span_ok.values()) / max(1, sum(span_all.values())),
        "checksummed_recall": checks[0] / max(1, checks[1]),
        "must_keep": keep_ok / max(1, keep_all),
        "withheld": withheld_ok / max(1, withheld_all),
        "status": status_ok / len(cases),
        "gate_blocked_published": gate_blocked / len(cases),
        "gate_blocked_fresh_process": gate_blocked_fresh / len(cases),
    }
    print(
        f"{'overall':<16}{total_gold:>7}{figures['recall']:>9.4f}{sum(span_all.values()):>8}"
        f"{figures['precision']:>11.4f}"
    )
    keys = ("checksummed_recall", "must_keep", "withheld", "status")
    for key in (*keys, "gate_blocked_published", "gate_blocked_fresh_process"):
        print(f"{key:<28}{figures[key]:.4f}")
    if verbose:
        print("\n".join(misses[:80]))
    return figures


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    evaluate(int(args[0]) if args else 1000, int(args[1]) if len(args) > 1 else 20260305, "-v" in sys.argv)
