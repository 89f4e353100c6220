"""The redaction engine: one intake and a policy in, the public record, spans, reasons and doubts out."""

from __future__ import annotations

from typing import NamedTuple

from gongshi.domain.intake import Intake
from gongshi.domain.public import PublicAgency, PublicDecision, PublicLicense, PublicParty, PublicPenalty
from gongshi.redaction import addresses, minors, names, protected, publicinfo
from gongshi.redaction.doubts import field_doubts
from gongshi.redaction.fold import compact, compact_with_index
from gongshi.redaction.identifiers import Found, find_identifiers
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


def _occurrences(
    text: str, needle: str, compacted: tuple[str, list[int]] | None = None
) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text`, ignoring width, spaces and dashes."""
    target = compact(needle)
    if len(target) < 2:
        return []
    haystack, index = compacted or compact_with_index(text)
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


def _merge_names(cuts: list[_Cut]) -> list[_Cut]:
    """Overlapping name cuts become one (向桂 and 桂依法 → 向桂依法), so neither name is left half visible."""
    names_ = sorted((c for c in cuts if c.source == "name"), key=lambda c: (c.start, -(c.end - c.start)))
    merged: list[_Cut] = []
    for c in names_:
        if merged and c.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = last._replace(end=max(last.end, c.end))
        else:
            merged.append(c)
    return [c for c in cuts if c.source != "name"] + merged


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


class _FieldScan(NamedTuple):
    kept: list[tuple[int, int]]
    identifiers: list[Found]
    sure: list[names.NameHit]
    maybe: list[names.NameHit]
    heads: set[str]
    published: list[str]


def _keep_strings(intake: Intake, policy: Policy) -> tuple[list[str], bool]:
    """Strings published as they are (party, agency, numbers…), and whether the party's name is hidden."""
    org = protected.is_organisation(intake)
    keep_strings = [s for s in protected.public_names(intake) if len(s) >= 2]
    keep_strings += [intake.document_number]
    if intake.license and intake.license.number:
        keep_strings.append(intake.license.number)
    if intake.party.id_type == "uscc" and intake.party.id_number:
        keep_strings.append(intake.party.id_number)
    if registration := protected.registration_number(intake):
        keep_strings.append(registration)
    if org and intake.party.address:
        keep_strings.append(intake.party.address)
    party_is_minor = intake.party.kind == "natural_person" and minors.structured_minor(intake) is not None
    hide_party_name = policy.minor_override and party_is_minor
    if hide_party_name and intake.party.name in keep_strings:
        keep_strings.remove(intake.party.name)
    return keep_strings, hide_party_name


def _public_phones(text: str, identifiers: list[Found]) -> list[Found]:
    """Landlines given as an organisation's public contact (an agency's footer, a product label, a
    contact block with a fax), the account a fine is paid to, and officers' certificate numbers that
    look like mobiles: 贾伟波(18060021044)、滕涛颖(18060021032)."""
    public = [
        f
        for f in identifiers
        if (f.category == "phone" and f.rule != "mobile" and publicinfo.public_phone(text, f.start))
        or (f.category == "bank_account" and publicinfo.public_account(text, f.start))
        or (f.category in ("phone", "email") and publicinfo.office_contact(text, f.start, f.end))
    ]
    bracketed = [
        f
        for f in identifiers
        if f.rule == "mobile"
        and text[f.start - 1 : f.start] in ("(", "（")
        and text[f.end : f.end + 1] in (")", "）")
    ]
    prefixes = [text[f.start : f.start + 7] for f in bracketed]
    # Two people's phones do not share seven leading digits; a series of certificate numbers does.
    public += [f for f, p in zip(bracketed, prefixes, strict=True) if prefixes.count(p) >= 2]
    return public


def _published_in(text: str, identifiers: list[Found]) -> tuple[list[Found], list[tuple[int, int]]]:
    """Public phones among `identifiers`, and the regions kept as they are (numbers, amounts, addresses)."""
    regions = [*publicinfo.kept_regions(text), *addresses.organisation_addresses(text)]
    return _public_phones(text, identifiers), regions


def _scan_field(text: str, keep_strings: list[str]) -> _FieldScan:
    kept = [r for s in keep_strings for r in _exact(text, s)]
    identifiers = find_identifiers(text)
    public, regions = _published_in(text, identifiers)
    kept += regions
    published = [text[f.start : f.end] for f in public] + [text[a:b] for a, b in regions if b - a >= 2]
    kept += [(f.start, f.end) for f in identifiers if f.keep or f in public]
    identifiers = [f for f in identifiers if f not in public]
    sure, maybe = names.find_names(text)
    # Heads of agencies and organisations named in their capacity are published (法定代表人：X).
    heads = {h.name for h in sure if publicinfo.public_head(text, h.start, h.end)}
    # A longer head (胡墨沐) covers a shorter guess inside it (胡墨).
    full = publicinfo.head_names(text)
    heads |= set(full) | {h.name for h in sure if any(h.name in f for f in full)}
    return _FieldScan(kept, identifiers, sure, maybe, heads, published)


def _names_to_mask(
    intake: Intake, policy: Policy, scans: dict[str, _FieldScan], keep_strings: list[str], hide_party: bool
) -> dict[str, bool]:
    """Every name masked in this decision (name -> found as an officer), the same for engine and gate."""
    hints = protected.hint_names(intake, policy)
    if hide_party:
        hints.append(intake.party.name)
    found: dict[str, bool] = {n: False for n in hints}
    officers = {p.name for p in intake.persons if p.role == "officer"}
    # A head the agency itself lists among the persons to protect stays protected.
    heads = {name for scan in scans.values() for name in scan.heads} - set(hints)
    for scan in scans.values():
        for hit in scan.sure:
            if _overlaps(hit.start, hit.end, scan.kept) or hit.name in keep_strings or hit.name in heads:
                continue
            if hit.officer:
                officers.add(hit.name)
            found.setdefault(hit.name, hit.officer)
    if policy.keep_officer_names:
        # An officer's name found by any rule stays, wherever it is mentioned.
        for name in officers:
            found.pop(name, None)
    return found


def masked_names(intake: Intake, policy: Policy | None = None) -> tuple[str, ...]:
    """The names `redact` masks in this intake, without the rest of the work (for a gate in a new process)."""
    policy = policy or Policy()
    keep_strings, hide_party = _keep_strings(intake, policy)
    scans = {f: _scan_field(t, keep_strings) for f in TEXT_FIELDS if (t := getattr(intake, f) or "")}
    return tuple(_names_to_mask(intake, policy, scans, keep_strings, hide_party))


def published_strings(intake: Intake, policy: Policy | None = None) -> list[str]:
    """Strings published as they are; a name or a public phone inside one of them is not a leak."""
    policy = policy or Policy()
    keep_strings, _ = _keep_strings(intake, policy)
    if intake.license and intake.license.name:
        keep_strings.append(intake.license.name)
    key = protected.intake_key(intake, policy)
    remembered = protected.recalled_published(key)
    if remembered is None:
        extra: list[str] = []
        for field in TEXT_FIELDS:
            text = getattr(intake, field) or ""
            if text:
                public, regions = _published_in(text, find_identifiers(text))
                extra += [text[f.start : f.end] for f in public]
                # Regions redaction keeps as they are: a name-shaped piece inside them was never masked there.
                extra += [text[a:b] for a, b in regions if b - a >= 2]
        remembered = tuple(extra)
        protected.remember_published(key, remembered)
    return keep_strings + list(remembered)


class _Context(NamedTuple):
    intake: Intake
    policy: Policy
    structured: list[tuple[str, str]]
    organisation: bool


def _phrase_cuts(ctx: _Context, field: str, text: str, scan: _FieldScan, minor_text: list[str]) -> list[_Cut]:
    """Identifiers, the intake's own strings, addresses, health, finance (and minors' ages) in one field."""
    intake, policy = ctx.intake, ctx.policy
    c = [_Cut(f.start, f.end, f.category, f.rule, "identifier") for f in scan.identifiers if not f.keep]
    for s, category in ctx.structured:
        c.extend(_Cut(a, b, category, "intake_field", "intake") for a, b in _occurrences(text, s))
    phrase_hits = list(addresses.personal_addresses(text, organisation=ctx.organisation))
    if field != "legal_basis":
        phrase_hits += list(addresses.health(text)) + list(addresses.finances(text))
        phrase_hits += list(addresses.finance_words(text))
        mentions = list(minors.minor_mentions(text, intake.decided_on))
        minor_text += [text[h.start : h.end] for h in mentions]
        if policy.minor_override:
            phrase_hits += [h for h in mentions if h.rule == "minor_age"]
    for h in phrase_hits:
        end = h.end
        if h.category in ("health", "finance"):
            # A description that runs into a kept string (满头鲜血的郝勇: the party) stops before it; one
            # that starts on a kept region (收入不足两千元: the amount) is the secret and goes.
            end = min((a for a, b in scan.kept if h.start < a < h.end), default=h.end)
        elif h.category == "address" and _overlaps(h.start, h.end, scan.kept):
            continue
        c.append(_Cut(h.start, end, h.category, h.rule, "phrase"))
    return c


def _repeat_addresses(
    texts: dict[str, str], scans: dict[str, _FieldScan], cuts: dict[str, list[_Cut]]
) -> None:
    """A home address found after a trigger (住址：…) goes wherever the decision repeats it (在…从事经营)."""
    found = {
        texts[f][c.start : c.end]
        for f, field_cuts in cuts.items()
        for c in field_cuts
        if c.category == "address" and c.source == "phrase" and c.end - c.start >= 6
    }
    for field, scan in scans.items():
        compacted = compact_with_index(texts[field])
        cuts[field] += [
            _Cut(a, b, "address", "address_repeated", "phrase")
            for address in found
            for a, b in _occurrences(texts[field], address, compacted)
            if not _overlaps(a, b, scan.kept)
        ]


def _name_cuts(text: str, by_length: list[str], kept: list[tuple[int, int]]) -> list[_Cut]:
    compacted = compact_with_index(text)
    return [
        _Cut(a, b, "name", "name", "name", name)
        for name in by_length
        for a, b in _occurrences(text, name, compacted)
        if not _overlaps(a, b, kept)
    ]


def _apply(
    field: str, text: str, cuts: list[_Cut], masker: names.NameMasker, placeholder: str
) -> tuple[str, list[Span], list[_Cut]]:
    """The field's public text, its spans and the cuts chosen (higher rank first, longer first)."""
    chosen: list[_Cut] = []
    for cut in sorted(_merge_names(cuts), key=lambda x: (_RANK[x.source], -(x.end - x.start), x.start)):
        if cut.end > cut.start and all(cut.end <= o.start or cut.start >= o.end for o in chosen):
            chosen.append(cut)
    chosen.sort(key=lambda x: x.start)
    pieces: list[str] = []
    spans: list[Span] = []
    pos = 0
    for cut in chosen:
        replacement = masker.mask(cut.name) if cut.source == "name" else placeholder
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
    return "".join(pieces), spans, chosen


def redact(intake: Intake, policy: Policy | None = None) -> RedactionResult:
    """Redact one intake record under `policy` (Art 14) and decide whether it is withheld (Art 15)."""
    policy = policy or Policy()
    texts = {f: getattr(intake, f) or "" for f in TEXT_FIELDS}
    keep_strings, hide_party_name = _keep_strings(intake, policy)
    scans = {field: _scan_field(text, keep_strings) for field, text in texts.items() if text}
    minor_text: list[str] = []
    ctx = _Context(
        intake, policy, protected.structured_strings(intake, policy), protected.is_business(intake)
    )
    cuts = {f: _phrase_cuts(ctx, f, texts[f], scan, minor_text) for f, scan in scans.items()}
    _repeat_addresses(texts, scans, cuts)
    found_names = _names_to_mask(intake, policy, scans, keep_strings, hide_party_name)
    heads = {name for scan in scans.values() for name in scan.heads}
    all_text = "".join(texts.values())
    # Longer names first, so 欧阳娜娜 is masked whole before 欧阳 could match inside it.
    ordered = sorted(found_names, key=lambda n: (all_text.find(n) if n in all_text else len(all_text), n))
    masker = names.NameMasker(ordered, all_text)
    by_length = sorted(found_names, key=len, reverse=True)
    spans: list[Span] = []
    out_text: dict[str, str] = dict(texts)
    doubts: list[Doubt] = []
    for field, scan in scans.items():
        text = texts[field]
        field_cuts = cuts[field] + _name_cuts(text, by_length, scan.kept)
        out_text[field], field_spans, chosen = _apply(field, text, field_cuts, masker, policy.placeholder)
        spans += field_spans
        unsure = [
            h
            for h in scan.maybe
            if not _overlaps(h.start, h.end, scan.kept) and h.name not in heads and h.name not in found_names
        ]
        removed = [(c.start, c.end) for c in chosen]
        sensitive = [(c.start, c.end) for c in chosen if c.category in ("health", "finance")]
        doubts += field_doubts(field, text, removed, scan.kept, unsure, sensitive)
    key = protected.intake_key(intake, policy)
    protected.remember(key, tuple(found_names))
    protected.remember_published(key, tuple(x for scan in scans.values() for x in scan.published))
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
