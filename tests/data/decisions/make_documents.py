"""Build the decision-document test set: real published penalty decisions as .docx and .pdf files.

Run: .venv/bin/python tests/data/decisions/make_documents.py --part dev|test|heldout2 [--corpus FILE]
     (the corpus comes from bench/data/real/build.py, whose dev/test split is a fixed hash rule)

`--part dev` writes the first 40 dev documents here (the set the extraction rules were written
against); `--part test` writes every test-part document that passes the same selection into
heldout/ (the held-out set: no rule may be written or changed while looking at it).

Each document is laid out the way agencies issue them: the agency's name and the title as headings,
the 〔〕 document number, the published text (from the party block on, verbatim as published, with
the masked slots filled by the corpus builder), then the signature block with the agency's name, the
date in Chinese numerals and the seal text. expected.json holds the fields an extractor must find,
taken from the corpus' intake object (not from any extractor); for the held-out set every document
was read and heldout/labels.json records the values reading gave where they differ, and why.

`--part heldout2` builds the second held-out set (heldout2/, see its README.md) from its own sources,
heldout2/src/*.json: real decisions that are not in the corpus, in the corpus' src format (masked data
as ⟦…⟧ tags), filled by the corpus builder's own filler. Its expected values are not derived from
anything: heldout2/labels.json holds every field of every document as labelled by hand; the builder
only fills the tags in them and checks that each party value occurs in the document's text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
NUMBER = re.compile(r"〔\d{4}〕\s*[^\s]{0,12}?\d+\s*号$")
_DIGITS = "〇一二三四五六七八九"
COUNT = 40


def chinese_date(d: date) -> str:
    """2024-10-15 → 二〇二四年十月十五日 (as signature blocks write it)."""

    def small(n: int) -> str:
        if n < 10:
            return _DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")

    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{small(d.month)}月{small(d.day)}日"


def body_of(intake: dict[str, Any]) -> list[str] | None:
    """The published text from the party's first mention on (the heading is laid out anew)."""
    text: str = intake["full_text"]
    name = intake["party"]["name"]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        if name in line and intake["document_number"] not in line and "决定书" not in line:
            return lines[i:]
    return None


def heldout2_sources() -> set[str]:
    """The pages heldout2 was built from: never taken into the dev or the first held-out set (the
    corpus took two of the same pages in later, for redaction)."""
    return {
        json.loads(f.read_text(encoding="utf-8"))["source_url"]
        for f in (HERE / "heldout2" / "src").glob("*.json")
    }


def select(corpus: Path, part: str) -> list[dict[str, Any]]:
    docs = []
    excluded = heldout2_sources()
    for line in corpus.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        intake = row["intake"]
        if row["part"] != part or intake["kind"] != "penalty" or row["source_url"] in excluded:
            continue
        if not NUMBER.search(intake["document_number"]) or "决定书" not in intake["title"]:
            continue
        body = body_of(intake)
        if body is None or len("".join(body)) < 200:
            continue
        docs.append({"id": row["id"], "source_url": row["source_url"], "intake": intake, "body": body})
    docs.sort(key=lambda d: d["id"])
    return docs[:COUNT] if part == "dev" else docs


def expected(doc: dict[str, Any]) -> dict[str, Any]:
    intake, body = doc["intake"], "\n".join(doc["body"])
    party = intake["party"]

    def present(value: str | None) -> str | None:
        return value if value and value in body else None

    return {
        "id": doc["id"],
        "document_number": intake["document_number"],
        "title": intake["title"],
        "agency": intake["agency"]["name"],
        "party_name": party["name"],
        "party_id": present(party.get("id_number")),
        "party_address": present(party.get("address")),
        "legal_representative": present(party.get("legal_representative")),
        "decided_on": intake["decided_on"],
    }


SIGN_OFF = (
    "如不服本处罚决定，可在收到本决定书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。"
)


def write_docx(doc: dict[str, Any], path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    intake = doc["intake"]
    d = Document()
    style = d.styles["Normal"]
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    style.font.size = Pt(16)

    def para(text: str, *, center: bool = False, right: bool = False, size: int | None = None) -> None:
        p = d.add_paragraph()
        run = p.add_run(text)
        if size:
            run.font.size = Pt(size)
            run.bold = True
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    para(intake["agency"]["name"], center=True, size=22)
    para(intake["title"], center=True, size=22)
    para(intake["document_number"], center=True)
    for line in doc["body"]:
        para(line)
    para(SIGN_OFF)
    para(intake["agency"]["name"], right=True)
    para(chinese_date(date.fromisoformat(intake["decided_on"])), right=True)
    para("（印章）", right=True)
    d.core_properties.author = intake["agency"]["name"]
    d.save(str(path))


def write_pdf(doc: dict[str, Any], path: Path) -> None:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24
    )
    head = ParagraphStyle(
        "head", parent=body, fontSize=18, leading=28, alignment=TA_CENTER, firstLineIndent=0
    )
    center = ParagraphStyle("center", parent=body, alignment=TA_CENTER, firstLineIndent=0)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0)
    intake = doc["intake"]

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    story = [
        Paragraph(esc(intake["agency"]["name"]), head),
        Paragraph(esc(intake["title"]), head),
        Paragraph(esc(intake["document_number"]), center),
        Spacer(1, 12),
        *[Paragraph(esc(line), body) for line in doc["body"]],
        Paragraph(SIGN_OFF, body),
        Spacer(1, 24),
        Paragraph(esc(intake["agency"]["name"]), right),
        Paragraph(chinese_date(date.fromisoformat(intake["decided_on"])), right),
        Paragraph("（印章）", right),
    ]
    SimpleDocTemplate(
        str(path), pagesize=A4, title=intake["title"], author=intake["agency"]["name"], invariant=1
    ).build(story)


_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _plain(s: str) -> str:
    return re.sub(r"\s+", "", s.translate(_FULL_DIGITS))


def heldout2(where: Path) -> list[dict[str, Any]]:
    """The second held-out set: its sources filled by the corpus builder, its labels as written by hand."""
    sys.path.insert(0, str(ROOT / "bench/data/real"))
    import build as corpus  # the corpus builder (bench/data/real/build.py), not a package

    labels: dict[str, dict[str, str | None]] = json.loads(
        (where / "labels.json").read_text(encoding="utf-8")
    )["labels"]
    docs = []
    for path in sorted((where / "src").glob("*.json")):
        src = json.loads(path.read_text(encoding="utf-8"))
        line = corpus.build_doc(src, path.name)
        if src["id"] not in labels:
            raise SystemExit(f"{path.name}: no labels in labels.json")
        # Replay the builder's filling order (party fields first) so a tag in a label gets the same value.
        filler = corpus.Filler(src, corpus.TAG.sub("", src["text"]))
        for key in ("name", "id_type", "id_number", "legal_representative", "address", "phone"):
            if isinstance(src["party"].get(key), str):
                corpus.fill(src["party"][key], filler, path.name, plain=True)
        exp: dict[str, Any] = {"id": src["id"]}
        for field, value in labels[src["id"]].items():
            exp[field] = corpus.fill(value, filler, path.name, plain=True).text if value else None
        intake = line["intake"]
        body = [ln.strip() for ln in intake["full_text"].splitlines() if ln.strip()]
        text = _plain("".join(body))
        for field in ("party_name", "party_id", "party_address", "legal_representative"):
            if exp[field] and _plain(exp[field]) not in text:
                raise SystemExit(f"{path.name}: label {field}={exp[field]!r} does not occur in the text")
        heading = {
            "document_number": intake["document_number"].replace(" ", ""),
            "title": intake["title"],
            "agency": intake["agency"]["name"],
            "decided_on": intake["decided_on"],
        }
        for field, value in heading.items():
            if exp[field] != value:
                raise SystemExit(f"{path.name}: label {field}={exp[field]!r} but the heading has {value!r}")
        docs.append({"id": src["id"], "intake": intake, "body": body, "expected": exp})
    unknown = set(labels) - {d["id"] for d in docs}
    if unknown:
        raise SystemExit(f"labels.json names documents with no source: {sorted(unknown)}")
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "bench/data/real/corpus.jsonl")
    ap.add_argument("--part", choices=["dev", "test", "heldout2"], required=True)
    args = ap.parse_args()
    if args.part == "heldout2":
        where = HERE / "heldout2"
        docs = heldout2(where)
        for doc in docs:
            write_docx(doc, where / f"{doc['id']}.docx")
            write_pdf(doc, where / f"{doc['id']}.pdf")
        (where / "expected.json").write_text(
            json.dumps([d["expected"] for d in docs], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"{len(docs)} documents (.docx and .pdf) and expected.json in {where}")
        return
    docs = select(args.corpus, args.part)
    if len(docs) < 30:
        raise SystemExit(f"only {len(docs)} usable documents in {args.corpus}; rebuild the corpus first")
    where = HERE if args.part == "dev" else HERE / "heldout"
    corrections: dict[str, dict[str, str]] = {}
    if args.part == "test":
        corrections = json.loads((where / "labels.json").read_text(encoding="utf-8"))["corrections"]
    out = []
    for doc in docs:
        write_docx(doc, where / f"{doc['id']}.docx")
        write_pdf(doc, where / f"{doc['id']}.pdf")
        fixed = {k: v for k, v in corrections.get(doc["id"], {}).items() if k != "why"}
        out.append({**expected(doc), **fixed})
    unknown = set(corrections) - {d["id"] for d in docs}
    if unknown:
        raise SystemExit(f"labels.json names documents not in the set: {sorted(unknown)}")
    (where / "expected.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(docs)} documents (.docx and .pdf) and expected.json in {where}")


if __name__ == "__main__":
    main()
