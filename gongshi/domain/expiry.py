"""Publication end dates (公示截止期, SPEC §2.4) and the earliest credit-repair date.

Defaults follow the national 《信用修复管理办法》 in force from 2026-04-01: minor penalties
3 months, ordinary ones 1 year, serious ones 3 years, the longest when a decision has several,
counted from the decision date. Licensing decisions stay up while the licence is valid.

Overriding the durations: build an `ExpiryRules` per agency (the caller picks the agency's rules;
`None` means the national defaults), for example from JSON with `decode_expiry_rules`::

    {"serious_months": 60,
     "by_category": {"fine": 24},
     "by_kind": {"inspection": 12}}

- `minor_months` / `ordinary_months` / `serious_months`: the three penalty tiers.
- `by_category`: months for a penalty category, replacing its tier (for `fine`, this replaces
  both the ordinary and the large-fine tier); the longest across categories still wins.
- `by_kind`: months for a non-penalty kind; for licensing only when the licence has no end date.
- `other_months`: non-penalty, non-licensing kinds not in `by_kind`.
- `minor_repair_months` / `repair_months`: when a party may first apply for credit repair.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from gongshi.domain.intake import Intake, Kind, PenaltyCategory

Months = Annotated[int, Meta(ge=0, le=1200)]

MINOR_CATEGORIES: frozenset[PenaltyCategory] = frozenset({"warning", "circulated_criticism"})
SERIOUS_CATEGORIES: frozenset[PenaltyCategory] = frozenset(
    {"revoke_license", "order_suspension", "order_closure", "restrict_employment", "detention"}
)


class ExpiryRules(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Publication periods in months; see the module docstring for how overrides apply."""

    minor_months: Months = 3
    ordinary_months: Months = 12
    serious_months: Months = 36
    other_months: Months = 36
    by_kind: dict[Kind, Months] = {}
    by_category: dict[PenaltyCategory, Months] = {}
    minor_repair_months: Months = 3
    repair_months: Months = 12


DEFAULT_RULES = ExpiryRules()


def decode_expiry_rules(raw: str | bytes) -> ExpiryRules:
    """Load an agency's expiry rules from JSON; a typo in a key is an error, not a default."""
    return msgspec.json.decode(raw, type=ExpiryRules)


class ExpiryConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The deployment's file (GONGSHI_EXPIRY_RULES_FILE): rules for every agency, and per agency code.

    {"default": {"ordinary_months": 12}, "agencies": {"11340100MB0000000X": {"serious_months": 60}}}
    An agency's entry replaces the default entry as a whole (it does not merge with it).
    """

    default: ExpiryRules | None = None
    agencies: dict[str, ExpiryRules] = {}


def read_expiry_config(path: str | None) -> ExpiryConfig:
    """The deployment's file, read once when settings are loaded; unreadable or invalid is an error."""
    if not path:
        return ExpiryConfig()
    with open(path, "rb") as fh:
        return msgspec.json.decode(fh.read(), type=ExpiryConfig)


def agency_rules(config: ExpiryConfig | None, agency_code: str | None) -> ExpiryRules | None:
    """The rules that apply to an agency: its own entry, else the file's default, else None (national)."""
    if config is None:
        return None
    if agency_code is not None and agency_code in config.agencies:
        return config.agencies[agency_code]
    return config.default


def add_months(d: date, months: int) -> date:
    """`d` plus whole months, clamped to the month end (2026-11-30 + 3 → 2027-02-28)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


Tier = Literal["minor", "ordinary", "serious"]


def _tiers(intake: Intake, serious_fine_yuan: int) -> dict[PenaltyCategory | None, Tier]:
    """Each penalty category's tier (key None when no category was given)."""
    penalty = intake.penalty
    categories = list(penalty.categories) if penalty else []
    # Simple procedure (当场处罚: a warning or a small fine) is a minor matter as a whole.
    simple = penalty is not None and penalty.procedure == "simple"
    large_fine = (
        penalty is not None and penalty.fine_yuan is not None and penalty.fine_yuan >= serious_fine_yuan
    )
    tiers: dict[PenaltyCategory | None, Tier] = {}
    for category in categories:
        if category in SERIOUS_CATEGORIES or (category == "fine" and large_fine):
            tiers[category] = "serious"
        elif category in MINOR_CATEGORIES or simple:
            tiers[category] = "minor"
        else:
            tiers[category] = "ordinary"
    if not tiers:
        tiers[None] = "minor" if simple else ("serious" if large_fine else "ordinary")
    return tiers


def _penalty_months(intake: Intake, serious_fine_yuan: int, rules: ExpiryRules) -> int:
    by_tier: dict[Tier, int] = {
        "minor": rules.minor_months,
        "ordinary": rules.ordinary_months,
        "serious": rules.serious_months,
    }
    return max(
        rules.by_category[category] if category in rules.by_category else by_tier[tier]
        for category, tier in _tiers(intake, serious_fine_yuan).items()
    )


def publication_end(
    intake: Intake, *, serious_fine_yuan: int, rules: ExpiryRules | None = None
) -> date | None:
    """The last day a decision stays published; None when it has no end (a licence without one)."""
    rules = rules or DEFAULT_RULES
    if intake.kind == "penalty":
        return add_months(intake.decided_on, _penalty_months(intake, serious_fine_yuan, rules))
    if intake.kind == "licensing":
        if intake.license is not None and intake.license.valid_until is not None:
            return intake.license.valid_until
        months = rules.by_kind.get("licensing")
        return add_months(intake.decided_on, months) if months is not None else None
    return add_months(intake.decided_on, rules.by_kind.get(intake.kind, rules.other_months))


def earliest_credit_repair(
    intake: Intake, *, serious_fine_yuan: int, rules: ExpiryRules | None = None
) -> date | None:
    """The first day a penalised party may apply for early removal; None for other kinds."""
    rules = rules or DEFAULT_RULES
    if intake.kind != "penalty":
        return None
    minor = all(tier == "minor" for tier in _tiers(intake, serious_fine_yuan).values())
    months = rules.minor_repair_months if minor else rules.repair_months
    repair = add_months(intake.decided_on, months)
    end = publication_end(intake, serious_fine_yuan=serious_fine_yuan, rules=rules)
    # Nothing to repair once publication has ended anyway (e.g. a minor matter at 3 months).
    return min(repair, end) if end is not None else repair
