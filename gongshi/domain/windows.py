"""Statutory windows (SPEC §2.3): when a decision must be published, withdrawn or updated."""

from __future__ import annotations

from datetime import date

from gongshi.domain.intake import Kind
from gongshi.domain.workdays import Deadline, WorkCalendar

# Anhui 公示办法 Art 11: licensing and penalty decisions within 7 working days, the rest within 20.
PUBLISH_WORKING_DAYS: dict[Kind, int] = {
    "licensing": 7,
    "penalty": 7,
    "coercion": 20,
    "inspection": 20,
    "expropriation": 20,
    "confirmation": 20,
    "other": 20,
}
# Art 12: a revoked / illegal / to-be-re-made decision comes down within 3 working days of receipt.
WITHDRAW_WORKING_DAYS = 3
# 行政处罚法 (2021) Art 48: penalty information is withdrawn "within three days". SPEC §2.3 reads
# these as calendar days and lets the stricter rule win. Note: Art 85 of the same law says its
# "二日/三日/五日/七日" mean working days; if counsel confirms that reading, the two rules coincide
# and this constant only ever makes the deadline earlier than the law requires, never later.
PENALTY_WITHDRAW_CALENDAR_DAYS = 3
# Art 9: pre-announced information is updated within 20 working days of the change.
PREANNOUNCE_UPDATE_WORKING_DAYS = 20
# 政府信息公开条例 (2019) Art 33: answer within 20 working days, extendable by at most 20 more.
ACCESS_REQUEST_WORKING_DAYS = 20
ACCESS_REQUEST_EXTENSION_WORKING_DAYS = 20


def publish_by(kind: Kind, decided_on: date, cal: WorkCalendar) -> Deadline:
    """The last day to publish a decision (Art 11)."""
    return cal.add_working_days(decided_on, PUBLISH_WORKING_DAYS[kind])


def withdraw_by(kind: Kind, ruling_received_on: date, cal: WorkCalendar) -> Deadline:
    """The last day to take a decision down after receiving the ruling (Art 12; 行政处罚法 Art 48)."""
    working = cal.add_working_days(ruling_received_on, WITHDRAW_WORKING_DAYS)
    if kind != "penalty":
        return working
    calendar = cal.add_calendar_days(ruling_received_on, PENALTY_WITHDRAW_CALENDAR_DAYS)
    # The calendar-day rule is never later than the working-day one, but compare anyway so a
    # future change of either constant keeps "the stricter rule wins".
    return calendar if calendar.on <= working.on else working


def preannounce_update_by(changed_on: date, cal: WorkCalendar) -> Deadline:
    """The last day to update pre-announced agency, officer or basis information (Art 9)."""
    return cal.add_working_days(changed_on, PREANNOUNCE_UPDATE_WORKING_DAYS)


def access_request_due(received_on: date, cal: WorkCalendar, extended: bool = False) -> Deadline:
    """The last day to answer a party's access request (政府信息公开条例 Art 33)."""
    n = ACCESS_REQUEST_WORKING_DAYS + (ACCESS_REQUEST_EXTENSION_WORKING_DAYS if extended else 0)
    return cal.add_working_days(received_on, n)
