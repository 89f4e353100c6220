"""Portal fixtures: disclosures published through the real workflow, and a portal client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.domain.intake import decode_intake
from gongshi.portal.ratelimit import Limit
from gongshi.portal.reader import SearchReader
from gongshi.publication import review
from gongshi.publication.intake import submit_batch
from gongshi.search.indexer import SearchIndexer
from gongshi.settings import Settings
from gongshi.storage.models import Decision
from gongshi.worker import run_once
from tests.factories import intake

ADMIN = Principal(actor="test-admin", role="admin", agency_id=None)
NO_LIMITS = {"search": Limit(rate=0, burst=1), "form": Limit(rate=0, burst=1)}


class Publisher:
    """Submits intake objects, approves them and runs the worker, like the real deployment."""

    def __init__(self, wf: Workflow) -> None:
        self.wf = wf
        self.indexer = SearchIndexer(wf)

    def work(self) -> dict[str, int]:
        return run_once(self.wf, self.indexer.handlers())

    def publish(self, *bodies: dict[str, Any]) -> list[str]:
        """Publish each intake body; returns their public ids in order."""
        items = [decode_intake(json.dumps(b)) for b in bodies]
        with self.wf.db.write() as s:
            results = submit_batch(s, ADMIN, items, self.wf.calendar.get(), self.wf.clock())
            assert all(r.submitted for r in results), [r.error for r in results]
            ids = [r.submitted.decision.id for r in results if r.submitted]
        self.work()
        for decision_id in ids:
            with self.wf.db.write() as s:
                review.approve(self.wf, s, ADMIN, decision_id, review.ApproveBody(note="同意"))
        self.work()
        with self.wf.db.read() as s:
            rows = {d.id: d.public_id for d in s.scalars(select(Decision).where(Decision.id.in_(ids)))}
        public_ids = [rows[i] for i in ids]
        assert all(public_ids), "every test intake should publish"
        return public_ids  # type: ignore[return-value]

    def decision_id(self, public_id: str) -> int:
        with self.wf.db.read() as s:
            found = s.scalar(select(Decision.id).where(Decision.public_id == public_id))
        assert found is not None
        return found

    def withdraw(
        self, public_id: str, reason: str = "revoked", superseded_by: str | None = None, **kw: Any
    ) -> None:
        with self.wf.db.write() as s:
            review.withdraw(
                self.wf,
                s,
                ADMIN,
                self.decision_id(public_id),
                review.WithdrawBody(
                    reason=reason,  # type: ignore[arg-type]
                    ruling_received_on=kw.get("ruling_received_on", self.wf.today()),
                    explanation=kw.get("explanation", "复议机关已撤销原决定，现予撤下。"),
                    superseded_by=self.decision_id(superseded_by) if superseded_by else None,
                ),
            )
        self.work()

    def close(self) -> None:
        self.indexer.close()


@pytest.fixture
def publisher(wf: Workflow) -> Iterator[Publisher]:
    p = Publisher(wf)
    yield p
    p.close()


@pytest.fixture
def make_portal(settings: Settings, wf: Workflow) -> Iterator[Callable[..., TestClient[Any]]]:
    """Portal clients; by default without rate limits."""
    clients: list[TestClient[Any]] = []

    def make(**kwargs: Any) -> TestClient[Any]:
        from gongshi.portal import create_app

        kwargs.setdefault("rate_limits", NO_LIMITS)
        # The production reader: it reloads and drops its caches when the index's meta.json changes.
        kwargs.setdefault("search_reader", SearchReader.for_settings(settings))
        client = TestClient(create_app(settings, wf, **kwargs))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def portal(make_portal: Callable[..., TestClient[Any]]) -> TestClient[Any]:
    return make_portal()


def body(n: int, **overrides: Any) -> dict[str, Any]:
    """A distinct valid intake object number n."""
    return intake(source_id=f"T-{n:05d}", document_number=f"合市监罚〔2026〕{n}号", **overrides)
