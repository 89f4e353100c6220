"""Notifications: the outbox keeps messages for staff; the SMTP notifier sends them (a real local server)."""

from __future__ import annotations

import time
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import msgspec
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.parties import notify
from gongshi.settings import Settings
from gongshi.storage.models import Notification
from gongshi.worker import run_once
from tests.factories import token
from tests.parties.helpers import PERSON, Inbox, free_port, person_decision, portal_client


def _file(settings: Settings, wf: Workflow, contact: str) -> str:
    with portal_client(settings, wf) as portal:
        resp = portal.post(
            "/api/public/v1/requests/access",
            json={
                "document_number": "合市监罚〔2026〕900号",
                "name": "张建国",
                "id_number": PERSON["id_number"],
                "contact": contact,
            },
        )
    tracking: str = resp.json()["tracking_no"]
    return tracking


def test_outbox_keeps_messages_and_sends_nothing(client: Any, wf: Workflow, settings: Settings) -> None:
    person_decision(client, wf)
    tn = _file(settings, wf, "zhang@example.com")
    run_once(wf)
    with wf.db.read() as s:
        [row] = s.scalars(select(Notification).where(Notification.recipient == "zhang@example.com")).all()
    assert row.channel == "outbox" and row.sent_at is None and tn in row.body
    listed = client.get("/api/v1/notifications", headers=token(wf, "reviewer")).json()
    assert any(n["recipient"] == "zhang@example.com" for n in listed)
    assert client.get("/api/v1/notifications", headers=token(wf, "submitter")).status_code == 403


def test_smtp_sends_pending_mail(
    client: Any, wf: Workflow, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    wf.settings = msgspec.structs.replace(
        settings, smtp_host="127.0.0.1", smtp_port=port, smtp_from="gongshi@agency.example"
    )
    person_decision(client, wf)
    tn = _file(wf.settings, wf, "zhang@example.com")
    phone_tn = _file(wf.settings, wf, "13912345678")
    sender = notify.notifier_for(wf.settings)  # as the worker builds it, once
    assert run_once(wf)["parties"] == 0  # no sender given: nothing leaves
    assert run_once(wf, sender=sender)["parties"] == 1
    for _ in range(50):
        if inbox.messages:
            break
        time.sleep(0.05)
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["zhang@example.com"] and envelope.mail_from == "gongshi@agency.example"
    mail = message_from_bytes(envelope.content)
    assert tn in str(make_header(decode_header(mail["Subject"])))
    assert tn in mail.get_payload(decode=True).decode()
    with wf.db.read() as s:
        rows = {
            r.recipient: r
            for r in s.scalars(select(Notification).where(Notification.dedupe_key.like("access:%")))
        }
    assert rows["zhang@example.com"].sent_at is not None
    # A phone number cannot be e-mailed: it waits in the outbox for staff.
    assert rows["13912345678"].channel == "outbox" and rows["13912345678"].sent_at is None and phone_tn
    assert run_once(wf, sender=sender)["parties"] == 0  # nothing sent twice


def test_smtp_down_leaves_mail_pending(client: Any, wf: Workflow, settings: Settings) -> None:
    wf.settings = msgspec.structs.replace(settings, smtp_host="127.0.0.1", smtp_port=free_port())
    person_decision(client, wf)
    _file(wf.settings, wf, "zhang@example.com")
    assert run_once(wf, sender=notify.notifier_for(wf.settings))["parties"] == 0
    with wf.db.read() as s:
        row = s.scalar(select(Notification).where(Notification.recipient == "zhang@example.com"))
    assert row is not None and row.channel == notify.SMTP and row.sent_at is None
