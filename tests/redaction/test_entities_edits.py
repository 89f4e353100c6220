"""Entities and reviewer edits, pure: grouping, propagation, numbering, linking, undo, revision carry-over."""

from __future__ import annotations

from typing import Any

import msgspec

from gongshi.domain.intake import decode_intake
from gongshi.redaction import edits as ed
from gongshi.redaction import redact
from gongshi.redaction.entities import entity_id, entity_key, texts_of
from gongshi.redaction.types import RedactionResult
from tests.factories import intake

# The engine masks 王建国, 李四, the ID number and the village 王庄 (as a name); it misses 小明 and
# asks about 家庭住址.
FACTS = (
    "经查，当事人雇员王建国于2026年3月在门店销售过期食品，证人王建国、李四称其身份证号码为"
    "110101199003077777。顾客小明在场。执法人员前往王庄调查。当事人称其已经将经营场所转让给他人经营，"
    "此后由本局继续调查处理，当事人告知其家庭住址后离开现场。"
)


def _redacted(**overrides: Any) -> tuple[dict[str, str], RedactionResult]:
    body = intake(facts=FACTS, **overrides)
    i = decode_intake(msgspec.json.encode(body))
    return texts_of(i), redact(i)


def _redacted_facts(facts: str) -> tuple[dict[str, str], RedactionResult]:
    i = decode_intake(msgspec.json.encode(intake(facts=facts)))
    return texts_of(i), redact(i)


def _replay(edits: list[ed.Edit], **overrides: Any) -> ed.Reviewed:
    texts, r = _redacted(**overrides)
    return ed.replay(texts, r.redactions, r.doubts, edits)


def _by_text(out: ed.Reviewed) -> dict[str, Any]:
    return {e.mentions[0].text: e for e in out.entities}


def test_engine_spans_group_into_entities_with_every_mention() -> None:
    _, r = _redacted()
    wang = next(e for e in r.entities if e.mentions[0].text == "王建国")
    assert [m.start for m in wang.mentions] == [FACTS.index("王建国"), FACTS.index("王建国", 20)]
    assert wang.id == entity_id(entity_key("王建国")) and wang.source == "engine"
    assert wang.replacement == "王某1"
    assert all(q.id and q.status == "open" for q in r.doubts)


def test_mask_applies_to_every_occurrence_in_every_field_with_a_pseudonym() -> None:
    out = _replay([ed.Mask(text="小明", category="name")], title="关于小明反映情况的处罚决定")
    ming = _by_text(out)["小明"]
    assert {m.field for m in ming.mentions} == {"title", "facts"}
    assert ming.source == "reviewer" and ming.replacement == "小某"
    assert "小明" not in out.texts["facts"] and "顾客小某在场" in out.texts["facts"]
    assert "小明" not in out.texts["title"]
    assert out.masked == ["小明"]


def test_mask_matches_any_width_and_spacing_and_can_untick_one_place() -> None:
    texts, r = _redacted(result="警告。抄送小 明、ｘｉａｏ明。")
    start = texts["result"].index("小")
    out = ed.replay(
        texts,
        r.redactions,
        r.doubts,
        [ed.Mask(text="小明", category="name", skip=[ed.MentionRef(field="result", start=start)])],
    )
    assert "小明" not in out.texts["facts"]
    assert "小 明" in out.texts["result"]  # unticked: published there on purpose
    assert any("小 明" in p for p in out.published)
    spaced = ed.replay(texts, r.redactions, r.doubts, [ed.Mask(text="小明", category="name")])
    assert "明" not in spaced.texts["result"].replace("ｘｉａｏ明", "")


def test_two_masked_names_of_one_surname_are_numbered() -> None:
    out = _replay([ed.Mask(text="王小二", category="name")], result="警告。王小二签收。")
    names = _by_text(out)
    assert [names[n].replacement for n in ("王建国", "王庄", "王小二")] == ["王某1", "王某2", "王某3"]
    assert "王某3签收" in out.texts["result"]


def test_unmask_entity_or_one_mention() -> None:
    texts, r = _redacted()
    wang = next(e for e in r.entities if e.mentions[0].text == "王建国")
    whole = ed.replay(texts, r.redactions, r.doubts, [ed.Unmask(key="王庄", reason="地名")])
    assert "前往王庄调查" in whole.texts["facts"] and "王建国" not in whole.texts["facts"]
    # One 王某 is left: it is numbered no more.
    assert "雇员王某于" in whole.texts["facts"]
    one = ed.replay(
        texts,
        r.redactions,
        r.doubts,
        [
            ed.Unmask(
                key="王建国", reason="x", mention=ed.MentionRef(field="facts", start=wang.mentions[1].start)
            )
        ],
    )
    assert one.texts["facts"].count("王建国") == 1


def test_recategorise_and_link_act_on_the_entity() -> None:
    out = _replay(
        [
            ed.Mask(text="建国", category="name"),
            ed.Link(keys=["王建国", "建国"]),
            ed.Recategorise(key="李四", category="other"),
        ],
        result="警告。建国签收。",
    )
    wang = _by_text(out)["王建国"]
    assert {m.text for m in wang.mentions} == {"王建国", "建国"}
    assert wang.replacement == "王某1" and "王某1签收" in out.texts["result"]
    assert _by_text(out)["李四"].category == "other"
    assert "李四" not in out.texts["facts"] and "××" in out.texts["facts"]


def test_resolving_a_doubt_masks_or_keeps_it() -> None:
    texts, r = _redacted()
    assert r.doubts, "the sample text gives the engine something to ask about"
    first = r.doubts[0]
    kept = ed.replay(texts, r.redactions, r.doubts, [ed.Resolve(doubt_id=first.id, resolution="keep")])
    assert next(q for q in kept.doubts if q.id == first.id).status == "kept"
    masked = ed.replay(texts, r.redactions, r.doubts, [ed.Resolve(doubt_id=first.id, resolution="mask")])
    assert next(q for q in masked.doubts if q.id == first.id).status == "masked"
    assert texts[first.field][first.start : first.end] in masked.masked


def test_undo_is_replaying_one_edit_fewer() -> None:
    texts, r = _redacted()
    base = ed.replay(texts, r.redactions, r.doubts, [])
    assert base.texts == {f: getattr(r.public, f) or "" for f in texts}
    stored = ed.dump([ed.Mask(text="赵小明", category="name")])
    assert ed.load(stored)[0] == ed.Mask(text="赵小明", category="name")
    assert ed.replay(texts, r.redactions, r.doubts, ed.load(stored)[:-1]).spans == base.spans


def test_a_correction_keeps_unchanged_edits_and_reasks_changed_ones() -> None:
    texts, _ = _redacted()
    unmask = ed.Unmask(key="王庄", reason="地名", fields={"facts": ed.field_hash(texts["facts"])})
    keep_title = ed.Recategorise(
        key="王建国", category="other", fields={"title": ed.field_hash(texts["title"])}
    )
    mask = ed.Mask(text="赵小明", category="name", fields={"facts": ed.field_hash(texts["facts"])})
    # Same text: all kept.
    assert ed.rebase([unmask, keep_title, mask], texts) == [unmask, keep_title, mask]
    changed_facts = FACTS.replace("销售", "出售")
    changed, r = _redacted_facts(changed_facts)
    rebased = ed.rebase([unmask, keep_title, mask], changed)
    recheck = rebased[0]
    assert rebased[1:] == [keep_title, mask]
    assert isinstance(recheck, ed.Recheck) and recheck.previous == unmask
    assert changed["facts"][recheck.start : recheck.end] == "王庄"
    out = ed.replay(changed, r.redactions, r.doubts, rebased)
    asked = [q for q in out.doubts if q.kind == "recheck"]
    assert len(asked) == 1 and asked[0].status == "open"
    assert "王庄" not in out.texts["facts"]  # until answered, the engine's (safer) mask stands
    # Kept on the re-ask: the earlier unmask applies again.
    again = ed.replay(
        changed, r.redactions, r.doubts, [*rebased, ed.Resolve(doubt_id=asked[0].id, resolution="keep")]
    )
    assert next(q for q in again.doubts if q.kind == "recheck").status == "kept"
    assert "前往王庄调查" in again.texts["facts"]
