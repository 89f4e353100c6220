"""Field extraction from decision documents: accuracy per field and format, on three sets.

Run: .venv/bin/python bench/extract_eval.py [--part dev|heldout1|heldout2|pool|all] [--show-misses]
The documents and their expected.json are built by tests/data/decisions/make_documents.py:
- dev (tests/data/decisions/): 40 real decisions of the corpus' dev part, the set the rules were
  first written against;
- heldout1 (tests/data/decisions/heldout/): the corpus' test part, labelled by hand; measured once
  (94.4 %), then its misses were read, so it is development data now ("pool" = dev + heldout1);
- heldout2 (tests/data/decisions/heldout2/): 30 real decisions from pages the corpus never used,
  every field labelled by hand before the first run; no rule may be written or changed while
  looking at it, so it is the set that reports the figure.
A field is right when the extracted value equals the expected one (both empty counts as right:
nothing invented).

Heading fields (number, title, agency, date) are laid out by the builder around the published text;
party fields are read from the published text itself, so they are reported apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongshi.credit.documents import extract_file  # noqa: E402

SETS = {
    "dev": ROOT / "tests/data/decisions",
    "heldout1": ROOT / "tests/data/decisions/heldout",
    "heldout2": ROOT / "tests/data/decisions/heldout2",
}
HEADING = ("document_number", "title", "agency", "decided_on")
PARTY = ("party_name", "party_id", "party_address", "legal_representative")
FIELDS = HEADING + PARTY
FORMATS = ("docx", "pdf")


def got(intake: dict[str, object]) -> dict[str, object]:
    party = intake["party"]
    assert isinstance(party, dict)
    agency = intake["agency"]
    assert isinstance(agency, dict)
    return {
        "document_number": intake["document_number"] or None,
        "title": intake["title"] or None,
        "agency": agency["name"] or None,
        "party_name": party.get("name") or None,
        "party_id": party.get("id_number"),
        "party_address": party.get("address"),
        "legal_representative": party.get("legal_representative"),
        "decided_on": intake["decided_on"],
    }


def score(data: Path) -> tuple[Counter[str], Counter[str], list[tuple[object, ...]], int]:
    """(right, total) per "field (format)", the misses, and the number of documents."""
    expected = json.loads((data / "expected.json").read_text(encoding="utf-8"))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[tuple[object, ...]] = []
    for exp in expected:
        for ext in FORMATS:
            path = data / f"{exp['id']}.{ext}"
            values = got(extract_file(path.read_bytes(), path.name).intake)
            for f in FIELDS:
                key = f"{f} ({ext})"
                total[key] += 1
                if values[f] == exp[f]:
                    right[key] += 1
                else:
                    misses.append((exp["id"], ext, f, exp[f], values[f]))
    return right, total, misses, len(expected)


def _share(right: Counter[str], total: Counter[str], fields: tuple[str, ...], ext: str | None) -> str:
    keys = [f"{f} ({e})" for f in fields for e in FORMATS if ext in (None, e)]
    r, t = sum(right[k] for k in keys), sum(total[k] for k in keys)
    return f"{r / t:6.1%} ({r}/{t})"


def report(name: str, data: Path, show_misses: bool) -> None:
    t = time.perf_counter()
    right, total, misses, n = score(data)
    print(f"\n{name}: {n} documents × 2 formats, {time.perf_counter() - t:.1f} s  ({data.relative_to(ROOT)})")
    print(f"{'field':<24} {'docx':>16} {'pdf':>16}")
    for f in FIELDS:
        print(f"{f:<24} {_share(right, total, (f,), 'docx'):>16} {_share(right, total, (f,), 'pdf'):>16}")
    print(f"{'heading fields':<24} {_share(right, total, HEADING, None):>33}")
    print(f"{'party fields':<24} {_share(right, total, PARTY, None):>33}")
    print(f"{'overall':<24} {_share(right, total, FIELDS, None):>33}")
    if show_misses:
        for m in misses:
            print("MISS", *m)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=[*SETS, "pool", "all"], default="all")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    for name, data in SETS.items():
        if args.part in (name, "all") or (args.part == "pool" and name != "heldout2"):
            report(name, data, args.show_misses)


if __name__ == "__main__":
    main()
