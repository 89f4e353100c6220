"""Deadline alerts: one digest per agency per day for overdue and due-today decisions."""

from __future__ import annotations

from sqlalchemy import select

from gongshi.auth.principal import WORKER
from gongshi.publication.context import Workflow
from gongshi.publication.deadlines import deadlines
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
            if not entry.overdue and not entry.due_today:
                continue
            lines = [f"逾期 {len(entry.overdue)} 件，今日到期 {len(entry.due_today)} 件。"]
            lines += [
                f"· [逾期] {i.document_number} 期限 {i.publish_by.isoformat()}" for i in entry.overdue[:50]
            ]
            lines += [f"· [今日] {i.document_number}" for i in entry.due_today[:50]]
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
