"""Several workers at once publish every approved record exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.domain.intake import decode_intake
from gongshi.publication import publisher
from gongshi.publication.intake import submit_batch
from gongshi.settings import Settings
from gongshi.storage.models import AuditEvent, Decision, Disclosure, OutboxEvent
from tests.factories import intake

ADMIN = Principal(actor="test", role="admin", agency_id=None)


def _approved(wf: Workflow, n: int) -> None:
    import msgspec

    items = [decode_intake(msgspec.json.encode(intake(source_id=f"C-{i}"))) for i in range(n)]
    with wf.db.write() as s:
        submit_batch(s, ADMIN, items, wf.calendar.get(), wf.clock())
    publisher.redact_received(wf, limit=n)
    with wf.db.write() as s:
        for d in s.scalars(select(Decision)):
            d.state = "approved"


@pytest.mark.parametrize("workers", [4])
def test_concurrent_workers_publish_each_record_once(settings: Settings, wf: Workflow, workers: int) -> None:
    n = 600
    _approved(wf, n)
    errors: list[BaseException] = []

    def work() -> None:
        own = Workflow.create(settings)  # each worker its own engine and connections
        own.clock = lambda: datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
        try:
            while publisher.publish_due(own, limit=50).claimed:
                pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.db.dispose()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Disclosure)) == n
        publishes = s.execute(
            select(AuditEvent.subject_id, func.count())
            .where(AuditEvent.action == "publish")
            .group_by(AuditEvent.subject_id)
        ).all()
        assert len(publishes) == n and all(c == 1 for _, c in publishes)
        assert s.scalar(select(func.count()).select_from(OutboxEvent)) == n
        assert s.scalar(select(func.count()).where(Decision.state != "published")) == 0
