"""Field extraction from decision documents: accuracy per field on tests/data/decisions (.docx and .pdf).

Run: .venv/bin/python bench/extract_eval.py [--show-misses]
The documents and expected.json are built by tests/data/decisions/make_documents.py from the real
published texts of the corpus (dev part). A field is right when the extracted value equals the
expected one (both empty counts as right: nothing invented).
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

DATA = ROOT / "tests/data/decisions"
FIELDS = (
    "document_number",
    "title",
    "agency",
    "party_name",
    "party_id",
    "party_address",
    "legal_representative",
    "decided_on",
)


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    t = time.perf_counter()
    for exp in expected:
        for ext in ("docx", "pdf"):
            path = DATA / f"{exp['id']}.{ext}"
            values = got(extract_file(path.read_bytes(), path.name).intake)
            for f in FIELDS:
                key = f"{f} ({ext})"
                total[key] += 1
                if values[f] == exp[f]:
                    right[key] += 1
                else:
                    misses.append((exp["id"], ext, f, exp[f], values[f]))
    elapsed = time.perf_counter() - t
    print(f"{len(expected)} documents × 2 formats, {elapsed:.1f} s")
    print(f"{'field':<28} {'docx':>8} {'pdf':>8}")
    for f in FIELDS:
        cells = []
        for ext in ("docx", "pdf"):
            key = f"{f} ({ext})"
            cells.append(f"{right[key] / total[key]:8.1%}")
        print(f"{f:<28} {cells[0]} {cells[1]}")
    overall = sum(right.values()) / sum(total.values())
    print(f"{'overall':<28} {overall:17.1%}  ({sum(right.values())}/{sum(total.values())})")
    if args.show_misses:
        for m in misses:
            print("MISS", *m)


if __name__ == "__main__":
    main()
