"""A demo case as planned: its steps, each at the time it was recorded, and the facts every stage draws on."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from gongshi.cases.entries import (
    CaseIn,
    DecisionRef,
    Officer,
    PersonRef,
)
from gongshi.demo.case_scenarios import Scenario
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.intake import Intake
from gongshi.storage.models import Agency, Decision


@dataclass
class Step:
    """One thing the agency system recorded, at the time it recorded it."""

    at: datetime
    entry: Any = None
    key: str = ""
    attach: tuple[str, str, str, bytes, datetime] | None = (
        None  # entry key, name, media type, bytes, captured
    )
    late_reason: str | None = None
    returned_at: datetime | None = None
    link: DecisionRef | None = None
    corrects: str = ""


@dataclass
class Plan:
    case_in: CaseIn
    opened_at: datetime
    steps: list[Step] = field(default_factory=list)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


@dataclass
class CaseFacts:
    """What every stage of one planned case draws on: the decision, its agency and party, and the dice."""

    decision: Decision
    intake: Intake
    agency: Agency
    index: int
    rng: random.Random
    abbrev: str
    scenario: Scenario
    head: str
    fine: Decimal | None
    serious: bool
    opened: date
    case_number: str
    channel: str
    source_detail: str
    officers: list[Officer]
    names: str
    finding: str
    place: str
    speaker: PersonRef
    steps: list[Step] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.opened.year

    @property
    def result(self) -> str:
        return self.intake.result or "决定给予警告。"
