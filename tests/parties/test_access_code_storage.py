"""The access code is stored nowhere in clear: every column of every table is read after a grant.

The party still gets it: in the mail (sealed in the outbox until sent) or from the head who granted.
"""

from __future__ import annotations

from email.header import decode_header, make_header
from typing import Any

import msgspec
from sqlalchemy import inspect, select

from gongshi.core.context import Workflow
from gongshi.parties import notify
from gongshi.settings import Settings
from gongshi.storage.metadata import metadata
from gongshi.storage.models import Notification
from gongshi.worker import run_once
from tests.factories import token
from tests.parties.helpers import PERSON, Inbox, person_decision, portal_client


def _as_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, dict | list):
        return msgspec.json.encode(value).decode()
    return str(value)


def _stored_in(wf: Workflow, secret: str) -> set[str]:
    """table.column of every stored value that contains `secret` (any case, with or without its dash)."""
    needles = {secret.upper(), secret.upper().replace("-", "")}
    found = set()
    with wf.db.read() as session:
        tables = set(inspect(session.get_bind()).get_table_names())
        # Nothing in the database escapes the scan: every table there is one the models declare.
        assert tables - {"alembic_version"} <= set(metadata.tables), tables - set(metadata.tables)
        for table in metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is not None and any(n in _as_text(value).upper() for n in needles):
                        found.add(f"{table.name}.{column}")
    return found


def _grant(client: Any, wf: Workflow, settings: Settings) -> tuple[str, str]:
    """A matching request filed, checked and granted; (tracking number, access code)."""
    person_decision(client, wf)
    with portal_client(settings, wf) as portal:
        tn = portal.post(
            "/api/public/v1/requests/access",
            json={
                "document_number": "合市监罚〔2026〕900号",
                "name": "张建国",
                "id_number": PERSON["id_number"],
                "contact": "zhang@example.com",
            },
        ).json()["tracking_no"]
    [item] = client.get("/api/v1/requests/access", headers=token(wf, "reviewer")).json()
    checked = client.post(
        f"/api/v1/requests/access/{item['id']}/check", json={}, headers=token(wf, "reviewer")
    )
    assert checked.status_code == 200, checked.text
    granted = client.post(f"/api/v1/requests/access/{item['id']}/approve", json={}, headers=token(wf, "head"))
    assert granted.status_code == 200, granted.text
    code: str = granted.json()["access_code"]
    return tn, code


def _reads(settings: Settings, wf: Workflow, tn: str, code: str) -> int:
    with portal_client(settings, wf) as portal:
        resp = portal.post(
            f"/api/public/v1/requests/{tn}/records",
            json={"id_number": PERSON["id_number"], "access_code": code},
        )
    status: int = resp.status_code
    return status


def _granted_notice(client: Any, wf: Workflow) -> dict[str, Any]:
    listed = client.get("/api/v1/notifications", headers=token(wf, "reviewer")).json()
    [notice] = [n for n in listed if n["subject"].endswith("已获批准")]
    return notice  # type: ignore[no-any-return]


def test_outbox_keeps_no_code_the_head_hands_it_over(client: Any, wf: Workflow, settings: Settings) -> None:
    tn, code = _grant(client, wf, settings)
    run_once(wf)
    assert _stored_in(wf, code) == set()
    # The scan does read the tables, the notification bodies too: the tracking number is found.
    assert {"access_requests.tracking_no", "notifications.body"} <= _stored_in(wf, tn)
    notice = _granted_notice(client, wf)
    assert code not in notice["body"] and notify.HIDDEN[notify.OUTBOX] in notice["body"]
    assert notice["channel"] == notify.OUTBOX
    # The code the head was given opens the records.
    assert _reads(settings, wf, tn, code) == 200


def test_mail_carries_the_code_sealed_until_sent(
    client: Any, wf: Workflow, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    wf.settings = msgspec.structs.replace(
        settings, smtp_host="127.0.0.1", smtp_port=port, smtp_from="gongshi@agency.example"
    )
    tn, code = _grant(client, wf, wf.settings)
    assert _stored_in(wf, code) == set()
    with wf.db.read() as s:
        sealed = s.scalars(select(Notification.sealed).where(Notification.sealed.is_not(None))).all()
    assert len(sealed) == 1 and notify.unseal(settings.secret_key, sealed[0]) == code
    assert notify.HIDDEN[notify.SMTP] in _granted_notice(client, wf)["body"]

    run_once(wf, sender=notify.notifier_for(wf.settings))
    mails = {str(make_header(decode_header(m["Subject"]))): m for m in inbox.wait(3)}
    [granted] = [m for subject, m in mails.items() if subject.endswith("已获批准")]
    text = granted.get_payload(decode=True).decode()
    assert f"访问码 {code} 查看" in text and notify.SECRET not in text
    # Sent: the seal is gone too, and staff still read no code.
    with wf.db.read() as s:
        assert s.scalar(select(Notification.id).where(Notification.sealed.is_not(None))) is None
    assert _stored_in(wf, code) == set()
    assert code not in _granted_notice(client, wf)["body"]
    assert _reads(wf.settings, wf, tn, code) == 200


def test_a_seal_opens_only_with_its_secret_key() -> None:
    sealed = notify.seal("k" * 32, "ABCDE-FGHJK")
    assert "ABCDE" not in sealed and notify.unseal("k" * 32, sealed) == "ABCDE-FGHJK"
    assert notify.unseal("other-" + "k" * 26, sealed) is None
    row = Notification(channel=notify.SMTP, body=f"访问码 {notify.SECRET} 查看", sealed=sealed)
    assert notify.outgoing_body("other-" + "k" * 26, row) == f"访问码 {notify.UNREADABLE} 查看"
    assert notify.outgoing_body("k" * 32, row) == "访问码 ABCDE-FGHJK 查看"
    assert notify.staff_body(row) == f"访问码 {notify.HIDDEN[notify.SMTP]} 查看"
