"""The redaction engine: one intake and a policy in, the public record, spans, reasons and doubts out."""

from __future__ import annotations

from typing import NamedTuple

from gongshi.domain.intake import Intake
from gongshi.domain.public import PublicAgency, PublicDecision, PublicLicense, PublicParty, PublicPenalty
from gongshi.redaction import addresses, minors, names, protected
from gongshi.redaction.doubts import field_doubts
from gongshi.redaction.fold import compact, compact_with_index
from gongshi.redaction.identifiers import find_identifiers
from gongshi.redaction.types import Doubt, Policy, Reason, RedactionResult, Span, WithholdCode

TEXT_FIELDS = ("title", "facts", "legal_basis", "result", "full_text")
# Lower wins when two removals overlap: identifiers, then intake strings, then phrases, then names.
_RANK = {"identifier": 0, "intake": 1, "phrase": 2, "name": 3}


class _Cut(NamedTuple):
    start: int
    end: int
    category: str
    rule: str
    source: str
    name: str = ""


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text`, ignoring width, spaces and dashes."""
    target = compact(needle)
    if len(target) < 2:
        return []
    haystack, index = compact_with_index(text)
    out = []
    i = haystack.find(target)
    while i >= 0:
        out.append((index[i], index[i + len(target) - 1] + 1))
        i = haystack.find(target, i + len(target))
    return out


def _exact(text: str, needle: str) -> list[tuple[int, int]]:
    out = []
    i = text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + len(needle))
    return out


def _overlaps(a: int, b: int, regions: list[tuple[int, int]]) -> bool:
    return any(a < y and x < b for x, y in regions)


def _withhold_reasons(intake: Intake, policy: Policy, minor_text: list[str]) -> list[Reason]:
    s = intake.sensitivity
    flags: tuple[tuple[WithholdCode, bool, str], ...] = (
        ("state_secret", s.state_secret, "机关标注涉及国家秘密（第十五条第一项）"),
        ("trade_secret", s.trade_secret, "机关标注涉及商业秘密（第十五条第二项）"),
        ("privacy_harm", s.privacy_harm, "机关标注公开会损害第三人合法权益（第十五条第二项）"),
        ("public_security", s.public_security, "机关标注公开可能危及公共安全（第十五条第四项）"),
    )
    reasons = [Reason(code=code, detail=detail) for code, flagged, detail in flags if flagged]
    if not policy.minor_override:
        why = minors.structured_minor(intake)
        if why:
            reasons.append(Reason(code="minor", detail=f"{why}（第十五条第三项）"))
        elif minor_text:
            reasons.append(
                Reason(code="minor", detail=f"正文提及未成年人：「{minor_text[0]}」（第十五条第三项）")
            )
    return reasons


def redact(intake: Intake, policy: Policy | None = None) -> RedactionResult:
    """Redact one intake record under `policy` (Art 14) and decide whether it is withheld (Art 15)."""
    policy = policy or Policy()
    org = protected.is_organisation(intake)
    texts = {f: getattr(intake, f) or "" for f in TEXT_FIELDS}
    keep_strings = [s for s in protected.public_names(intake) if len(s) >= 2]
    keep_strings += [intake.document_number]
    if intake.license and intake.license.number:
        keep_strings.append(intake.license.number)
    if intake.party.id_type == "uscc" and intake.party.id_number:
        keep_strings.append(intake.party.id_number)
    if org and intake.party.address:
        keep_strings.append(intake.party.address)
    party_is_minor = intake.party.kind == "natural_person" and minors.structured_minor(intake) is not None
    hide_party_name = policy.minor_override and party_is_minor
    if hide_party_name:
        keep_strings.remove(intake.party.name)

    structured = protected.structured_strings(intake, policy)
    hints = protected.hint_names(intake, policy)
    if hide_party_name:
        hints.append(intake.party.name)
    cuts: dict[str, list[_Cut]] = {}
    keeps: dict[str, list[tuple[int, int]]] = {}
    found_names: dict[str, bool] = {n: False for n in hints}  # name -> officer
    unsure: dict[str, list[names.NameHit]] = {}
    minor_text: list[str] = []
    officers = {p.name for p in intake.persons if p.role == "officer"}
    for field, text in texts.items():
        if not text:
            continue
        kept = [r for s in keep_strings for r in _exact(text, s)]
        keeps[field] = kept
        c: list[_Cut] = []
        for f in find_identifiers(text):
            if f.keep:
                kept.append((f.start, f.end))
            else:
                c.append(_Cut(f.start, f.end, f.category, f.rule, "identifier"))
        for s, category in structured:
            c.extend(_Cut(a, b, category, "intake_field", "intake") for a, b in _occurrences(text, s))
        phrase_hits = list(addresses.personal_addresses(text, organisation=org))
        if field != "legal_basis":
            phrase_hits += list(addresses.health(text)) + list(addresses.finances(text))
            mentions = list(minors.minor_mentions(text, intake.decided_on))
            minor_text += [text[h.start : h.end] for h in mentions]
            if policy.minor_override:
                phrase_hits += [h for h in mentions if h.rule == "minor_age"]
        c.extend(
            _Cut(h.start, h.end, h.category, h.rule, "phrase")
            for h in phrase_hits
            if not (h.category == "address" and _overlaps(h.start, h.end, kept))
        )
        cuts[field] = c
        sure, maybe = names.find_names(text)
        for hit in sure:
            if _overlaps(hit.start, hit.end, kept) or hit.name in keep_strings:
                continue
            if hit.officer:
                officers.add(hit.name)
            found_names.setdefault(hit.name, hit.officer)
        unsure[field] = [h for h in maybe if not _overlaps(h.start, h.end, kept)]

    if policy.keep_officer_names:
        # An officer's name found by any rule stays, wherever it is mentioned.
        for name in officers:
            found_names.pop(name, None)
    all_text = "".join(texts.values())
    # Longer names first, so 欧阳娜娜 is masked whole before 欧阳 could match inside it.
    ordered = sorted(found_names, key=lambda n: (all_text.find(n) if n in all_text else len(all_text), n))
    masker = names.NameMasker(ordered, all_text)
    by_length = sorted(found_names, key=len, reverse=True)
    for field, text in texts.items():
        if not text:
            continue
        for name in by_length:
            for a, b in _exact(text, name):
                if not _overlaps(a, b, keeps[field]):
                    cuts[field].append(_Cut(a, b, "name", "name", "name", name))

    spans: list[Span] = []
    out_text: dict[str, str] = {}
    doubts: list[Doubt] = []
    for field, text in texts.items():
        if not text:
            out_text[field] = text
            continue
        chosen: list[_Cut] = []
        for cut in sorted(cuts[field], key=lambda x: (_RANK[x.source], -(x.end - x.start), x.start)):
            if cut.end > cut.start and all(cut.end <= o.start or cut.start >= o.end for o in chosen):
                chosen.append(cut)
        chosen.sort(key=lambda x: x.start)
        pieces: list[str] = []
        pos = 0
        for cut in chosen:
            replacement = masker.mask(cut.name) if cut.source == "name" else policy.placeholder
            spans.append(
                Span(
                    field=field,
                    start=cut.start,
                    end=cut.end,
                    category=cut.category,
                    rule=cut.rule,
                    replacement=replacement,
                )
            )
            pieces += [text[pos : cut.start], replacement]
            pos = cut.end
        pieces.append(text[pos:])
        out_text[field] = "".join(pieces)
        doubts += field_doubts(
            field,
            text,
            [(c.start, c.end) for c in chosen],
            keeps[field],
            [h for h in unsure[field] if h.name not in found_names],
        )
    protected.remember(protected.intake_key(intake, policy), tuple(found_names))
    reasons = _withhold_reasons(intake, policy, minor_text)
    return RedactionResult(
        status="withheld" if reasons else "publishable",
        reasons=reasons,
        public=_public(intake, out_text, masker.mask(intake.party.name) if hide_party_name else None),
        redactions=spans,
        doubts=doubts,
    )


def _public(intake: Intake, texts: dict[str, str], masked_party: str | None) -> PublicDecision:
    party = intake.party
    natural = party.kind == "natural_person"
    uscc = party.id_type == "uscc" and not natural
    public_party = PublicParty(
        kind=party.kind,
        name=masked_party or party.name,
        id_type="uscc" if uscc else None,
        id_number=party.id_number if uscc else None,
        legal_representative=None if natural else party.legal_representative,
        address=party.address if protected.is_organisation(intake) else None,
    )
    penalty = intake.penalty
    license_ = intake.license
    return PublicDecision(
        agency=PublicAgency(code=intake.agency.code, name=intake.agency.name),
        kind=intake.kind,
        document_number=intake.document_number,
        title=texts["title"],
        decided_on=intake.decided_on,
        party=public_party,
        facts=texts["facts"],
        legal_basis=texts["legal_basis"],
        result=texts["result"],
        penalty=PublicPenalty(
            categories=list(penalty.categories),
            fine_yuan=penalty.fine_yuan,
            confiscated_yuan=penalty.confiscated_yuan,
        )
        if penalty
        else None,
        license=PublicLicense(
            name=license_.name,
            number=license_.number,
            valid_from=license_.valid_from,
            valid_until=license_.valid_until,
        )
        if license_
        else None,
        full_text=texts["full_text"] if intake.full_text is not None else None,
    )
