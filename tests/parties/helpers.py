"""Helpers for the parties tests: a published decision, a portal client on the same database, an inbox."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.portal.app import create_app as create_portal
from gongshi.portal.ratelimit import FORM, SEARCH, Limit
from gongshi.portal.reader import SearchReader
from gongshi.settings import Settings
from gongshi.storage.models import Decision
from gongshi.worker import run_once
from tests.factories import approve, intake, token

NO_LIMITS = {SEARCH: Limit(rate=0, burst=1), FORM: Limit(rate=0, burst=1)}

PERSON = {
    "kind": "natural_person",
    "name": "张建国",
    "id_type": "resident_id",
    "id_number": "34010419900101128X",
    "address": "合肥市蜀山区长江西路100号",
    "phone": "13912345678",
}
PERSON_FACTS = (
    "当事人张建国（住合肥市蜀山区长江西路100号，电话13912345678）在店内销售过期食品，"
    "证人王小明（身份证号340104198501011230）在场。"
)


@contextmanager
def portal_client(settings: Settings, wf: Workflow, limits: Any = None) -> Iterator[TestClient[Any]]:
    # These tests do not test search: the null engine (lists come from the read model).
    app = create_portal(
        settings, wf, rate_limits=NO_LIMITS if limits is None else limits, search_reader=SearchReader.null()
    )
    with TestClient(app) as client:
        yield client


def publish(client: Any, wf: Workflow, **overrides: Any) -> tuple[int, str]:
    """Submit, redact, approve and publish one decision; returns (decision id, public id)."""
    body = intake(**overrides)
    decision_id: int = client.post(
        "/api/v1/decisions", json=body, headers=token(wf, "submitter", body["agency"])
    ).json()["id"]
    run_once(wf)
    resp = approve(client, wf, decision_id, body["agency"])
    assert resp.status_code == 200, resp.text
    run_once(wf)
    with wf.db.read() as s:
        public_id = s.scalar(select(Decision.public_id).where(Decision.id == decision_id))
    assert public_id
    return decision_id, public_id


def person_decision(client: Any, wf: Workflow, **overrides: Any) -> tuple[int, str]:
    return publish(
        client,
        wf,
        source_id=overrides.pop("source_id", "HF-SJ-2026-000900"),
        document_number=overrides.pop("document_number", "合市监罚〔2026〕900号"),
        title="张建国行政处罚决定书",
        party=PERSON,
        facts=PERSON_FACTS,
        **overrides,
    )


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"

    def wait(self, count: int = 1, seconds: float = 2.5) -> list[Message]:
        """The mails received so far, once there are `count` of them (or the time is up)."""
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return [message_from_bytes(e.content) for e in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
