"""Statutory windows: publish, withdraw, pre-announcement update, access request (SPEC §2.3)."""

from __future__ import annotations

from datetime import date

import pytest

from gongshi.domain.intake import KINDS, Kind
from gongshi.domain.windows import access_request_due, preannounce_update_by, publish_by, withdraw_by
from gongshi.domain.workdays import Deadline, WorkCalendar, package_years

D = date.fromisoformat
CAL = WorkCalendar()
needs_2027_uncovered = pytest.mark.skipif(2027 in package_years(), reason="package now covers 2027")


@pytest.mark.parametrize(
    ("kind", "decided_on", "expected"),
    [
        # 国庆 2026: Oct 1–7 off, Sat Oct 10 worked: 8, 9, 10, 12, 13, 14, 15.
        ("penalty", "2026-09-30", "2026-10-15"),
        ("licensing", "2026-09-30", "2026-10-15"),
        # 20 working days: …15 (7), 16, 19–23, 26–30, Nov 2, Nov 3.
        ("inspection", "2026-09-30", "2026-11-03"),
        # 春节 2026: Sat Feb 14 worked, Feb 15–23 off, Sat Feb 28 worked: 13, 14, 24, 25, 26, 27, 28.
        ("penalty", "2026-02-12", "2026-02-28"),
        # Decided on an ordinary Saturday: counting starts Monday.
        ("licensing", "2026-03-07", "2026-03-17"),
    ],
)
def test_publish_by(kind: Kind, decided_on: str, expected: str) -> None:
    assert publish_by(kind, D(decided_on), CAL) == Deadline(on=D(expected), provisional=False)


@pytest.mark.parametrize("kind", KINDS)
def test_publish_window_length_per_kind(kind: Kind) -> None:
    start = D("2026-03-02")
    n = 7 if kind in ("licensing", "penalty") else 20
    assert CAL.working_days_between(start, publish_by(kind, start, CAL).on) == n


@needs_2027_uncovered
def test_publish_by_across_the_year_end_is_provisional() -> None:
    assert publish_by("penalty", D("2026-12-28"), CAL) == Deadline(on=D("2027-01-06"), provisional=True)
    official = WorkCalendar(official_years=[2027])
    assert publish_by("penalty", D("2026-12-28"), official).provisional is False


@pytest.mark.parametrize(
    ("kind", "received_on", "expected"),
    [
        # Friday before 春节 2026: Sat Feb 14 worked, Feb 15–23 off: 14, 24, 25.
        ("coercion", "2026-02-13", "2026-02-25"),
        ("licensing", "2026-02-13", "2026-02-25"),
        # A penalty: 3 calendar days (行政处罚法 Art 48) is stricter.
        ("penalty", "2026-02-13", "2026-02-16"),
        # An ordinary Friday: Mon, Tue, Wed vs. Monday.
        ("other", "2026-03-06", "2026-03-11"),
        ("penalty", "2026-03-06", "2026-03-09"),
        # Received on a Monday: both rules give Thursday.
        ("penalty", "2026-03-09", "2026-03-12"),
        ("inspection", "2026-03-09", "2026-03-12"),
        # Friday before 国庆 2025 (Sun Sep 28 worked): 28, 29, 30 vs. Monday Sep 29.
        ("confirmation", "2025-09-26", "2025-09-30"),
        ("penalty", "2025-09-26", "2025-09-29"),
    ],
)
def test_withdraw_by(kind: Kind, received_on: str, expected: str) -> None:
    assert withdraw_by(kind, D(received_on), CAL) == Deadline(on=D(expected), provisional=False)


@pytest.mark.parametrize("kind", KINDS)
def test_penalty_withdrawal_is_never_later_than_three_working_days(kind: Kind) -> None:
    day = D("2024-01-01")
    while day.year < 2027:
        deadline = withdraw_by(kind, day, CAL)
        assert deadline.on <= CAL.add_working_days(day, 3).on
        if kind == "penalty":
            assert (deadline.on - day).days <= 3
        day = date.fromordinal(day.toordinal() + 11)


@needs_2027_uncovered
def test_withdraw_by_at_year_end() -> None:
    # Working days: Dec 31, Fri Jan 1 (guess), Mon Jan 4 — provisional; calendar days are not.
    assert withdraw_by("other", D("2026-12-30"), CAL) == Deadline(on=D("2027-01-04"), provisional=True)
    assert withdraw_by("penalty", D("2026-12-30"), CAL) == Deadline(on=D("2027-01-02"), provisional=False)


def test_preannounce_update_by() -> None:
    assert preannounce_update_by(D("2026-09-30"), CAL) == Deadline(on=D("2026-11-03"), provisional=False)


@pytest.mark.parametrize(
    ("extended", "expected"),
    [
        (False, "2026-11-03"),
        # 20 more: Nov 4–6, 9–13, 16–20, 23–27, 30, Dec 1.
        (True, "2026-12-01"),
    ],
)
def test_access_request_due(extended: bool, expected: str) -> None:
    due = access_request_due(D("2026-09-30"), CAL, extended=extended)
    assert due == Deadline(on=D(expected), provisional=False)
