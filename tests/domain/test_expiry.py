"""Publication end dates and earliest credit repair (SPEC §2.4, 《信用修复管理办法》 2026)."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from gongshi.domain.expiry import (
    ExpiryRules,
    add_months,
    decode_expiry_rules,
    earliest_credit_repair,
    publication_end,
)
from gongshi.domain.intake import AgencyRef, Intake, Kind, License, Party, Penalty, PenaltyCategory, Procedure

D = date.fromisoformat
SERIOUS = 100_000


def make_intake(
    kind: Kind = "penalty",
    decided_on: str = "2026-05-10",
    penalty: Penalty | None = None,
    license: License | None = None,
) -> Intake:
    return Intake(
        source_id="S-1",
        agency=AgencyRef(code="A1", name="某市市场监督管理局"),
        kind=kind,
        document_number="某市监罚〔2026〕1号",
        title="行政处罚决定书",
        decided_on=D(decided_on),
        party=Party(kind="legal_person", name="某某有限公司"),
        penalty=penalty,
        license=license,
    )


def penalty(
    *categories: PenaltyCategory, fine: int | None = None, procedure: Procedure | None = None
) -> Penalty:
    return msgspec.convert(
        {"categories": list(categories), "fine_yuan": fine, "procedure": procedure}, Penalty
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # Minor: 3 months.
        (penalty("warning"), "2026-08-10"),
        (penalty("circulated_criticism"), "2026-08-10"),
        (penalty("warning", "circulated_criticism"), "2026-08-10"),
        (penalty("fine", fine=200, procedure="simple"), "2026-08-10"),
        (penalty("warning", procedure="simple"), "2026-08-10"),
        (penalty(procedure="simple"), "2026-08-10"),
        # Ordinary: 1 year.
        (penalty("fine", fine=5000, procedure="ordinary"), "2027-05-10"),
        (penalty("fine", fine=99_999), "2027-05-10"),
        (penalty("warning", "fine", fine=5000), "2027-05-10"),
        (penalty("confiscation"), "2027-05-10"),
        (penalty("suspend_license"), "2027-05-10"),
        (penalty(), "2027-05-10"),
        (None, "2027-05-10"),
        # Serious: 3 years; the longest wins.
        (penalty("fine", fine=100_000), "2029-05-10"),
        (penalty("warning", "revoke_license"), "2029-05-10"),
        (penalty("fine", "order_suspension", fine=1000), "2029-05-10"),
        (penalty("order_closure"), "2029-05-10"),
        (penalty("restrict_employment"), "2029-05-10"),
        (penalty("detention"), "2029-05-10"),
        # A large fine is serious even if (implausibly) tagged simple procedure.
        (penalty("fine", fine=200_000, procedure="simple"), "2029-05-10"),
    ],
)
def test_penalty_publication_end(given: Penalty | None, expected: str) -> None:
    intake = make_intake(penalty=given)
    assert publication_end(intake, serious_fine_yuan=SERIOUS) == D(expected)


def test_serious_fine_threshold_is_the_callers() -> None:
    intake = make_intake(penalty=penalty("fine", fine=50_000))
    assert publication_end(intake, serious_fine_yuan=50_000) == D("2029-05-10")
    assert publication_end(intake, serious_fine_yuan=50_001) == D("2027-05-10")


@pytest.mark.parametrize(
    ("decided_on", "months", "expected"),
    [
        ("2026-11-30", 3, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2028-02-29", 36, "2031-02-28"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-05-10", 0, "2026-05-10"),
    ],
)
def test_add_months_clamps_to_month_end(decided_on: str, months: int, expected: str) -> None:
    assert add_months(D(decided_on), months) == D(expected)


def test_minor_end_clamps() -> None:
    intake = make_intake(decided_on="2026-11-30", penalty=penalty("warning"))
    assert publication_end(intake, serious_fine_yuan=SERIOUS) == D("2027-02-28")


@pytest.mark.parametrize(
    ("license", "rules", "expected"),
    [
        (License(name="食品经营许可证", valid_until=D("2031-03-05")), None, "2031-03-05"),
        (License(name="食品经营许可证"), None, None),
        (None, None, None),
        (License(name="食品经营许可证"), ExpiryRules(by_kind={"licensing": 60}), "2031-05-10"),
        # The licence's own end date wins over a configured period.
        (
            License(name="食品经营许可证", valid_until=D("2031-03-05")),
            ExpiryRules(by_kind={"licensing": 12}),
            "2031-03-05",
        ),
    ],
)
def test_licensing_stays_while_valid(
    license: License | None, rules: ExpiryRules | None, expected: str | None
) -> None:
    intake = make_intake(kind="licensing", license=license)
    end = publication_end(intake, serious_fine_yuan=SERIOUS, rules=rules)
    assert end == (D(expected) if expected else None)


@pytest.mark.parametrize("kind", ["coercion", "inspection", "expropriation", "confirmation", "other"])
def test_other_kinds_use_the_configurable_default(kind: Kind) -> None:
    intake = make_intake(kind=kind)
    assert publication_end(intake, serious_fine_yuan=SERIOUS) == D("2029-05-10")
    assert publication_end(intake, serious_fine_yuan=SERIOUS, rules=ExpiryRules(other_months=24)) == D(
        "2028-05-10"
    )
    rules = ExpiryRules(by_kind={kind: 6})
    assert publication_end(intake, serious_fine_yuan=SERIOUS, rules=rules) == D("2026-11-10")


@pytest.mark.parametrize(
    ("given", "rules", "expected"),
    [
        (penalty("fine", fine=5000), ExpiryRules(by_category={"fine": 24}), "2028-05-10"),
        # by_category replaces the large-fine tier too.
        (penalty("fine", fine=500_000), ExpiryRules(by_category={"fine": 24}), "2028-05-10"),
        # The longest still wins across categories.
        (penalty("warning", "fine", fine=10), ExpiryRules(by_category={"warning": 18}), "2027-11-10"),
        (penalty("revoke_license"), ExpiryRules(serious_months=60), "2031-05-10"),
        (penalty("warning"), ExpiryRules(minor_months=1), "2026-06-10"),
        (penalty("confiscation"), ExpiryRules(ordinary_months=6), "2026-11-10"),
    ],
)
def test_rules_override_durations(given: Penalty, rules: ExpiryRules, expected: str) -> None:
    intake = make_intake(penalty=given)
    assert publication_end(intake, serious_fine_yuan=SERIOUS, rules=rules) == D(expected)


def test_decode_expiry_rules() -> None:
    rules = decode_expiry_rules('{"serious_months": 60, "by_category": {"fine": 24}}')
    assert rules.serious_months == 60
    assert rules.by_category == {"fine": 24}
    assert rules.ordinary_months == 12
    with pytest.raises(msgspec.ValidationError, match="serious_month"):
        decode_expiry_rules('{"serious_month": 60}')
    with pytest.raises(msgspec.ValidationError):
        decode_expiry_rules('{"minor_months": -1}')
    with pytest.raises(msgspec.ValidationError):
        decode_expiry_rules('{"by_category": {"fines": 24}}')


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (penalty("warning"), "2026-08-10"),
        (penalty("fine", fine=200, procedure="simple"), "2026-08-10"),
        (penalty("fine", fine=5000), "2027-05-10"),
        (penalty("warning", "fine", fine=5000), "2027-05-10"),
        (penalty("revoke_license"), "2027-05-10"),
        (penalty("fine", fine=100_000), "2027-05-10"),
        (None, "2027-05-10"),
    ],
)
def test_earliest_credit_repair(given: Penalty | None, expected: str) -> None:
    intake = make_intake(penalty=given)
    assert earliest_credit_repair(intake, serious_fine_yuan=SERIOUS) == D(expected)


def test_credit_repair_never_after_publication_end() -> None:
    intake = make_intake(penalty=penalty("confiscation"))
    rules = ExpiryRules(ordinary_months=6)
    assert earliest_credit_repair(intake, serious_fine_yuan=SERIOUS, rules=rules) == D("2026-11-10")


@pytest.mark.parametrize("kind", ["licensing", "inspection", "other"])
def test_no_credit_repair_outside_penalties(kind: Kind) -> None:
    assert earliest_credit_repair(make_intake(kind=kind), serious_fine_yuan=SERIOUS) is None
