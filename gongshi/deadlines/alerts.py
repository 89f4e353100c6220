"""Deadline alerts: one digest per agency per day for overdue and due-today decisions."""

from __future__ import annotations

from sqlalchemy import select

from gongshi.auth.principal import WORKER
from gongshi.core.context import Workflow
from gongshi.deadlines.board import deadlines
from gongshi.storage.models import Agency, Notification
from gongshi.storage.upsert import insert_ignore


def raise_deadline_alerts(wf: Workflow) -> int:
    """Store today's digests; the unique dedupe key keeps it at one per agency per day across workers."""
    today = wf.today()
    now = wf.clock()
    raised = 0
    with wf.db.write() as session:
        board = deadlines(session, WORKER, wf.calendar.get(), today, due_soon_working_days=0)
        ids = {code: id_ for code, id_ in session.execute(select(Agency.code, Agency.id))}
        for entry in board.agencies:
            # Directory items: overdue and due today, plus the annual-report reminder from 2 January.
            info = [i for i in entry.agency_info if i.bucket != "due_soon" or i.kind == "annual_report"]
            # Withdrawals after a ruling and access requests, overdue or due today (issue 5).
            parties = [i for i in entry.parties if i.bucket != "due_soon"]
            if not entry.overdue and not entry.due_today and not info and not parties:
                continue
            lines = [f"逾期 {len(entry.overdue)} 件，今日到期 {len(entry.due_today)} 件。"]
            lines += [
                f"· [逾期] {i.document_number} 期限 {i.publish_by.isoformat()}" for i in entry.overdue[:50]
            ]
            lines += [f"· [今日] {i.document_number}" for i in entry.due_today[:50]]
            labels = {"overdue": "逾期", "due_today": "今日", "due_soon": "提醒"}
            lines += [f"· [{labels[i.bucket]}] {i.title}，期限 {i.due_on.isoformat()}" for i in info[:50]]
            lines += [f"· [{labels[i.bucket]}] {i.title}，期限 {i.due_on.isoformat()}" for i in parties[:50]]
            raised += insert_ignore(
                session,
                Notification,
                {
                    "dedupe_key": f"deadline:{entry.agency}:{today.isoformat()}",
                    "channel": "outbox",
                    "recipient": f"agency:{entry.agency}",
                    "agency_id": ids.get(entry.agency),
                    "subject": f"{entry.agency_name}：公示期限提醒（{today.isoformat()}）",
                    "body": "\n".join(lines),
                    "created_at": now,
                    "sent_at": None,
                },
            )
    return raised
