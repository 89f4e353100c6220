"""The real-text corpus builder: tags filled with valid, consistent values; gold and keep spans exact."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import msgspec
import pytest

from gongshi.domain.intake import Intake
from gongshi.redaction.fold import fold_width
from gongshi.redaction.identifiers import digits_of, luhn_valid, resident_id_birth, resident_id_valid
from gongshi.redaction.minors import age_on

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).with_name("fixtures") / "real_src"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_build", ROOT / "bench" / "data" / "real" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_build"] = module
    spec.loader.exec_module(module)
    return module


build = _builder()


def _check_invariants(docs: list[dict]) -> None:
    for d in docs:
        intake = msgspec.convert(d["intake"], Intake)
        fields = {"full_text": intake.full_text or "", "title": intake.title}
        assert d["part"] == build.part_of(d["source_group"])
        for g in d["gold"]:
            assert g["spans"], g
            for fld, a, b, _visible in g["spans"]:
                assert fields[fld][a:b] == g["text"], (d["id"], g)
            digits = digits_of(g["text"])
            if g["category"] == "resident_id":
                assert resident_id_valid(digits), g
                age = re.search(r"age=(\d+)", json.dumps(d))
                if age and g["role"] == "party":
                    birth = resident_id_birth(digits)
                    assert birth and age_on(birth, intake.decided_on) == int(age.group(1))
            if g["category"] == "bank_account":
                assert 16 <= len(digits) <= 19 and luhn_valid(digits), g
            if g["category"] == "phone" and not g["text"].startswith(("0", "（")):
                assert re.fullmatch(r"1[3-9][0-9]{9}", digits), g
            if g["category"] == "plate":
                assert re.fullmatch(r"[\u4e00-\u9fff][A-Z][ ·]?[A-Z0-9]{5,6}", g["text"]), g
        for k in d["keep"]:
            for fld, a, b in k["spans"]:
                assert fields[fld][a:b] == k["text"], (d["id"], k)
            gold_spans = [(a, b) for g in d["gold"] for f, a, b, _ in g["spans"] if f == "full_text"]
            for fld, a, b in k["spans"]:
                if fld == "full_text":
                    assert not any(a < y and x < b for x, y in gold_spans), (d["id"], k)


def test_fixtures_build_with_valid_values() -> None:
    docs = build.build(FIXTURES)
    assert len(docs) == 2
    _check_invariants(docs)
    first = next(d for d in docs if d["id"] == "x-np-0001")
    text = first["intake"]["full_text"]
    cats = {g["category"] for g in first["gold"]}
    assert {
        "resident_id",
        "phone",
        "bank_account",
        "plate",
        "address",
        "name",
        "handle",
        "passport",
        "property_cert",
        "health",
        "finance",
    } <= cats
    # The party's name is published; the witness's given name only in 甘经理-like surname form is no item.
    party = first["intake"]["party"]["name"]
    assert {"text": party, "kind": "person_public"} in [
        {"text": k["text"], "kind": k["kind"]} for k in first["keep"]
    ]
    assert party not in [g["text"] for g in first["gold"]]
    # Structured values and the text agree (same KEY, same person).
    assert first["intake"]["party"]["id_number"] in fold_width(text).replace(" ", "")
    assert re.search(r"0551[- ）]?\d{7,8}", text.replace("（", "")), text
    kinds = {k["kind"] for k in first["keep"]}
    assert {"document_number", "agency_name", "statute", "amount", "date", "amount_cn", "place"} <= kinds
    minor = next(d for d in docs if d["id"] == "x-org-0002")
    assert minor["expected_status"] == "withheld" and minor["withhold_reason"] == "minor"
    minor_id = next(g for g in minor["gold"] if g["category"] == "resident_id")
    birth = resident_id_birth(minor_id["text"])
    assert birth and age_on(birth, date(2022, 11, 30)) == 15


def test_build_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    build.write(build.build(FIXTURES), a)
    build.write(build.build(FIXTURES), b)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("⟦name:stranger:p1⟧", "unknown role 'stranger'"),
        ("⟦phone:third⟧", "expected TYPE:ROLE:KEY"),
        ("⟦tel:third:p1:city=火星⟧", "no area code known"),
        ("⟦keep:colour:红⟧", "unknown keep kind"),
        ("⟦idcard:third:p1⟧", "unknown tag type"),
        ("⟦id:third:p1:age=abc⟧", "age must be"),
    ],
)
def test_bad_tag_names_file_and_tag(tmp_path: Path, tag: str, message: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    doc = json.loads((FIXTURES / "x-np-0001.json").read_text(encoding="utf-8"))
    doc["text"] += tag
    (src / "x-np-0001.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(build.SrcError) as err:
        build.build(src)
    assert (
        "x-np-0001.json" in str(err.value) and tag.strip("⟦⟧") in str(err.value) and message in str(err.value)
    )


def test_file_name_must_match_id(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(FIXTURES / "x-np-0001.json", src / "x-np-0009.json")
    with pytest.raises(build.SrcError, match="file name must be"):
        build.build(src)


def test_real_src_builds_with_valid_values() -> None:
    """Every real src document follows the format, and its filled values pass their checks."""
    src = ROOT / "bench" / "data" / "real" / "src"
    if not src.is_dir() or not any(src.glob("*.json")):
        pytest.skip("no real src documents yet")
    _check_invariants(build.build(src))
