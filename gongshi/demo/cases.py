"""Demo case records for `make run`: a dozen full-process records (记录办法) behind penalty decisions.

Each case belongs to a published or in-review penalty decision of a demo agency, and goes through
the stages as an agency's case-handling system would report them: the source and the filing, the
inspection, inquiry and evidence (with the officers and their certificate numbers from the agency
directory), the rights notice, legal review and approval, service, performance, closure and
archiving. A few small attachments are made in memory (a PNG photograph, a WAV recording, a text
record). Some cases have deliberate problems, so the console's compliance flags have something to
show: a recording stored three days after it was made, a concluded case without its service record,
and a case concluded long ago but never archived.

Everything goes through `gongshi.cases.records`, so every row is in the case's audit chain and
`GET /api/v1/cases/{id}/verify` proves each demo record intact. Entries and attachments carry the
times they would have been recorded at, not the time the demo was loaded.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.cases import records
from gongshi.cases.store import AttachmentStore, attachment_store
from gongshi.core.context import Workflow
from gongshi.demo.case_plan import plan_case
from gongshi.demo.case_steps import Plan
from gongshi.storage.case_models import Case
from gongshi.storage.models import Decision

CASES = 12
ACTOR = "demo"


def load_cases(wf: Workflow, seed: int = 20261125) -> Iterator[str]:
    """Record demo cases behind penalty decisions; does nothing when any case exists."""
    with wf.db.read() as s:
        existing = s.scalar(select(func.count()).select_from(Case)) or 0
        if existing:
            yield f"demo cases already loaded ({existing} cases)"
            return
        plans = [
            (d.agency_id, plan_case(s, d, i, random.Random(f"{seed}:{d.id}")))
            for i, d in enumerate(_choose(s))
        ]
    if not plans:
        return
    store = attachment_store(wf.settings.data_dir)
    now = wf.clock()
    for agency_id, plan in plans:
        principal = Principal(actor=ACTOR, role="submitter", agency_id=agency_id)
        with wf.db.write() as s:
            _record(s, principal, store, plan, now)
    yield f"demo cases: {len(plans)} full-process case records"


def _choose(session: Session) -> list[Decision]:
    """Up to CASES penalty decisions (published first, then in review), spread over the agencies.

    Position 2 (the case never archived) goes to the oldest decision, so its closure is long past.
    """
    rows = session.scalars(
        select(Decision)
        .where(Decision.kind == "penalty", Decision.state.in_(("published", "in_review")))
        .order_by(Decision.state.desc(), Decision.id)  # published before in_review
    ).all()
    by_agency: dict[int, list[Decision]] = {}
    for d in rows:
        by_agency.setdefault(d.agency_id, []).append(d)
    picked: list[Decision] = []
    for depth in range(CASES):
        for agency_id in sorted(by_agency):
            if depth < len(by_agency[agency_id]) and len(picked) < CASES:
                picked.append(by_agency[agency_id][depth])
    if len(picked) > 2:
        oldest = min(range(len(picked)), key=lambda i: (picked[i].decided_on, picked[i].id))
        picked[2], picked[oldest] = picked[oldest], picked[2]
    return picked


def _record(
    session: Session, principal: Principal, store: AttachmentStore, plan: Plan, now: datetime
) -> None:
    """Record a planned case through the case services, step by step in time order."""
    case = records.open_case(session, principal, plan.case_in, _utc(plan.opened_at, now)).case
    entries: dict[str, Any] = {}
    for step in sorted(plan.steps, key=lambda s: s.at):
        at = _utc(step.at, now)
        if step.entry is not None:
            entry = step.entry
            if step.corrects:
                entry = msgspec.structs.replace(entry, corrects=entries[step.corrects].id)
            row = records.add_entry(session, principal, case, entry, at).entry
            if step.key:
                entries[step.key] = row
        elif step.attach is not None:
            key, filename, media_type, content, captured = step.attach
            writer = store.writer()
            writer.write(content)
            sha256 = writer.commit()
            stored = records.StoredFile(
                sha256=sha256,
                size=len(content),
                media_type=media_type,
                filename=filename,
                captured_at=captured.astimezone(UTC),
                late_reason=step.late_reason,
                returned_at=step.returned_at.astimezone(UTC) if step.returned_at else None,
            )
            records.add_attachment(session, principal, case, entries[key], stored, at)
        elif step.link is not None:
            records.link_decision(session, principal, case, step.link, at)


def _utc(at: datetime, now: datetime) -> datetime:
    """A recording time in UTC, whole seconds, never after the real clock."""
    return min(at.astimezone(UTC), now).replace(microsecond=0)
