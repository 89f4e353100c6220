"""The reviewer corrects the redaction: mask, unmask, recategorise, link, resolve a doubt, undo (issue 11).

One service for the API (`POST /api/v1/decisions/{id}/redactions`) and the console. Every edit is
stored (`Decision.redaction_edits`), replayed over the engine's output, and written to the audit
trail with the spans it added and removed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain.intake import Party
from gongshi.errors import Conflict, Forbidden, InvalidInput, NotFound
from gongshi.publication import agency_terms, records
from gongshi.redaction import edits as ed
from gongshi.redaction.entities import CATEGORY_LABELS, IDENTIFIER_CATEGORIES, entity_id, entity_key, texts_of
from gongshi.redaction.fold import compact
from gongshi.storage.models import Decision

Action = Literal["mask", "unmask", "recategorise", "link", "resolve_doubt", "undo"]
Text = Annotated[str, Meta(max_length=200)]
Category = Annotated[str, Meta(max_length=40)]
EDITABLE_STATES = frozenset({"in_review"})


class MentionIn(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    field: Annotated[str, Meta(max_length=40)]
    start: Annotated[int, Meta(ge=0)]


class EditBody(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    action: Action
    text: Text | None = None
    category: Category | None = None
    all_occurrences: bool = True
    # Occurrences of `text` the reviewer unticked (mask), or the one mention to unmask.
    skip: Annotated[list[MentionIn], Meta(max_length=500)] = []
    mention: MentionIn | None = None
    entity_id: Annotated[str, Meta(max_length=40)] | None = None
    entity_ids: Annotated[list[Annotated[str, Meta(max_length=40)]], Meta(max_length=50)] = []
    reason: Annotated[str, Meta(max_length=2000)] = ""
    doubt_id: Annotated[str, Meta(max_length=40)] | None = None
    resolution: Literal["mask", "keep"] | None = None


def _entities(d: Decision) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in (d.redaction or {}).get("entities", [])}


def _entity(d: Decision, eid: str | None) -> dict[str, Any]:
    found = _entities(d).get(eid or "")
    if found is None:
        raise NotFound(f"脱敏对象 {eid} 不存在", field="entity_id")
    return found


def _key(e: dict[str, Any]) -> str:
    """The entity's key: the mention whose folded text gives its id (the canonical spelling)."""
    keys = [entity_key(m["text"]) for m in e["mentions"]]
    return next((k for k in keys if entity_id(k) == e["id"]), keys[0])


def _hashes(texts: dict[str, str], fields: set[str]) -> dict[str, str]:
    return {f: ed.field_hash(texts[f]) for f in sorted(fields) if f in texts}


def _category(raw: str | None) -> str:
    if raw not in CATEGORY_LABELS:
        raise InvalidInput(f"未知类别 {raw}，可选：{'、'.join(CATEGORY_LABELS)}", field="category")
    return raw


# The party block's fields as a reviewer knows them. A mask works on the text fields only; which
# party fields the public version shows is the law's (SPEC 2.2, the engine's `_public`), not the reviewer's.
_REPRESENTATIVE = {"legal_person": "法定代表人", "individual_business": "经营者", "other_org": "负责人"}


def _party_labels(party: Party) -> dict[str, str]:
    natural = party.kind == "natural_person"
    return {
        "name": "当事人姓名" if natural else "当事人名称",
        "legal_representative": _REPRESENTATIVE.get(party.kind, "法定代表人"),
        "id_number": "统一社会信用代码" if party.id_type == "uscc" else "当事人证件号码",
        "address": "当事人住所",
        "phone": "当事人电话",
    }


def _not_in_texts(text: str, party: Party, public_party: dict[str, Any]) -> InvalidInput:
    """Why `text` cannot be masked here, naming the party field (in Chinese) that holds it if one does."""
    for name, label in _party_labels(party).items():
        value = getattr(party, name)
        if not (value and ed.occurrences(value, text)):
            continue
        if ed.occurrences(public_party.get(name) or "", text):
            # An organisation's name, credit code, legal representative (an individual business's
            # operator) and registered address are registration facts that SPEC 2.2 (公示办法 Art 14)
            # publishes; so is a natural-person party's own name.
            why = f"「{text}」是当事人信息中的{label}，按规定公开，不能在此遮蔽；如有误，请通过更正修改"
        else:
            why = f"「{text}」是当事人信息中的{label}，公开版本不显示该项，无须遮蔽"
        return InvalidInput(why, field=f"party.{name}")
    return InvalidInput(f"原文中没有「{text}」", field="text")


def _mask(body: EditBody, d: Decision, texts: dict[str, str], party: Party, stamp: dict[str, str]) -> ed.Edit:
    text = (body.text or "").strip()
    if len(compact(text)) < 2:
        raise InvalidInput("要遮蔽的文字至少两个字", field="text")
    places = [(f, a) for f, v in texts.items() for a, _ in ed.occurrences(v, text)]
    if not places:
        raise _not_in_texts(text, party, ((d.redaction or {}).get("public") or {}).get("party") or {})
    skip = [ed.MentionRef(field=m.field, start=m.start) for m in body.skip]
    if not body.all_occurrences:
        if body.mention is None:
            raise InvalidInput("只遮蔽一处时须指明 mention", field="mention")
        skip = [
            ed.MentionRef(field=f, start=a)
            for f, a in places
            if (f, a) != (body.mention.field, body.mention.start)
        ]
    fields = {f for f, _ in places}
    return ed.Mask(
        text=text, category=_category(body.category), skip=skip, fields=_hashes(texts, fields), **stamp
    )


def _unmask(
    principal: Principal, d: Decision, body: EditBody, texts: dict[str, str], stamp: dict[str, str]
) -> ed.Edit:
    if len(body.reason.strip()) < 2:
        raise InvalidInput("取消遮蔽须说明理由", field="reason")
    if body.entity_id is None and body.mention is not None:
        owner = next(
            (
                e
                for e in _entities(d).values()
                for m in e["mentions"]
                if (m["field"], m["start"]) == (body.mention.field, body.mention.start)
            ),
            None,
        )
        if owner is None:
            raise NotFound("该处没有遮蔽", field="mention")
        entity = owner
    else:
        entity = _entity(d, body.entity_id)
    mentions = entity["mentions"]
    if body.mention is not None:
        mentions = [
            m for m in mentions if (m["field"], m["start"]) == (body.mention.field, body.mention.start)
        ]
        if not mentions:
            raise NotFound("该对象在此处没有出现", field="mention")
    if entity["category"] in IDENTIFIER_CATEGORIES and not principal.can("decision.override_withhold"):
        raise Forbidden("取消遮蔽证件号码、账号、电话、车牌或权证编号须由负责人批准", code="head_required")
    ref = ed.MentionRef(field=body.mention.field, start=body.mention.start) if body.mention else None
    return ed.Unmask(
        key=_key(entity),
        reason=body.reason.strip(),
        mention=ref,
        category=entity["category"],
        fields=_hashes(texts, {m["field"] for m in mentions}),
        **stamp,
    )


def _build(
    principal: Principal,
    d: Decision,
    body: EditBody,
    texts: dict[str, str],
    party: Party,
    stamp: dict[str, str],
) -> ed.Edit:
    if body.action == "mask":
        return _mask(body, d, texts, party, stamp)
    if body.action == "unmask":
        return _unmask(principal, d, body, texts, stamp)
    if body.action == "recategorise":
        entity = _entity(d, body.entity_id)
        fields = {m["field"] for m in entity["mentions"]}
        return ed.Recategorise(
            key=_key(entity), category=_category(body.category), fields=_hashes(texts, fields), **stamp
        )
    if body.action == "link":
        if len(set(body.entity_ids)) < 2:
            raise InvalidInput("合并须选择至少两个对象", field="entity_ids")
        linked = [_entity(d, i) for i in dict.fromkeys(body.entity_ids)]
        fields = {m["field"] for e in linked for m in e["mentions"]}
        return ed.Link(keys=[_key(e) for e in linked], fields=_hashes(texts, fields), **stamp)
    doubt = next((q for q in (d.redaction or {}).get("doubts", []) if q.get("id") == body.doubt_id), None)
    if doubt is None:
        raise NotFound(f"待核对事项 {body.doubt_id} 不存在", field="doubt_id")
    if doubt.get("status", "open") != "open":
        raise Conflict("该事项已处理", code="doubt_resolved")
    if body.resolution is None:
        raise InvalidInput("须选择遮蔽或保留", field="resolution")
    category = _category(body.category) if body.category else ""
    return ed.Resolve(
        doubt_id=doubt["id"],
        resolution=body.resolution,
        category=category,
        text=texts.get(doubt["field"], "")[doubt["start"] : doubt["end"]],
        fields=_hashes(texts, {doubt["field"]}),
        **stamp,
    )


def _span_keys(d: Decision) -> dict[tuple[str, int, int], dict[str, Any]]:
    return {(s["field"], s["start"], s["end"]): s for s in (d.redaction or {}).get("redactions", [])}


def _diff(
    before: dict[tuple[str, int, int], dict[str, Any]],
    after: dict[tuple[str, int, int], dict[str, Any]],
    texts: dict[str, str],
) -> dict[str, list[dict[str, Any]]]:
    def view(k: tuple[str, int, int], s: dict[str, Any]) -> dict[str, Any]:
        return {
            "field": k[0],
            "start": k[1],
            "end": k[2],
            "category": s["category"],
            "replacement": s["replacement"],
            "text": texts.get(k[0], "")[k[1] : k[2]],
        }

    changed = [
        k
        for k in after
        if k in before
        and (after[k]["category"], after[k]["replacement"])
        != (before[k]["category"], before[k]["replacement"])
    ]
    return {
        "added": [view(k, s) for k, s in after.items() if k not in before],
        "removed": [view(k, s) for k, s in before.items() if k not in after],
        "changed": [{"before": view(k, before[k]), "after": view(k, after[k])} for k in changed],
    }


def _propose_term(session: Session, d: Decision, new: ed.Edit, actor: str, now: datetime) -> None:
    """A mask proposes an always-mask entry, an entity unmask a never-mask entry; a head decides."""
    if isinstance(new, ed.Mask):
        term = agency_terms.TermIn(term=new.text, kind="always", category=new.category)
    elif isinstance(new, ed.Unmask) and new.mention is None:
        text = next(
            (
                m["text"]
                for e in _entities(d).values()
                for m in e["mentions"]
                if entity_key(m["text"]) == new.key
            ),
            "",
        )
        if len(compact(text)) < 2:
            return
        term = agency_terms.TermIn(term=text, kind="never", note=new.reason[:2000])
    else:
        return
    agency_terms.propose(session, d.agency_id, term, actor, now, source_decision_id=d.id)


def edit(wf: Workflow, session: Session, principal: Principal, decision_id: int, body: EditBody) -> Decision:
    """Apply one reviewer edit (or undo the last one) and audit it with the before/after spans."""
    principal.require("decision.review")
    d = records.load(session, principal, decision_id, for_update=True)
    if d.state not in EDITABLE_STATES or d.redaction is None:
        raise Conflict("只有审核中的决定可以修改脱敏结果", code="not_editable")
    intake = records.stored_intake(d)
    records.ensure_reviewable(d, intake)
    texts = texts_of(intake)
    now = wf.clock()
    stored = ed.load(d.redaction_edits)
    if body.action == "undo":
        if not stored:
            raise Conflict("没有可撤销的修改", code="nothing_to_undo")
        undone, stored = stored[-1], stored[:-1]
        data_edit = msgspec.to_builtins(undone)
    else:
        new = _build(
            principal, d, body, texts, intake.party, {"actor": principal.actor, "at": now.isoformat()}
        )
        stored = [*stored, new]
        _propose_term(session, d, new, principal.actor, now)
        data_edit = msgspec.to_builtins(new)
    before = _span_keys(d)
    d.redaction_edits = ed.dump(stored) or None
    records.reapply_edits(d, intake)
    d.updated_at = now
    audit.record(
        session,
        "decision",
        d,
        actor=principal.actor,
        action="redaction_undo" if body.action == "undo" else "redaction_edit",
        reason=str(data_edit.get("reason", "")),
        before=d.state,
        after=d.state,
        data={"edit": data_edit, **_diff(before, _span_keys(d), texts)},
        at=now,
    )
    return d
