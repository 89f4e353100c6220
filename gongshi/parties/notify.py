"""Notifications to requesters: stored with the change that causes them, delivered by a `Notifier`.

Every message is first a row in `notifications`, written in the same transaction as the state
change (so nothing is lost and nothing is announced that did not happen). A `Notifier` then
delivers pending rows of its channel: the SMTP notifier sends e-mail with the standard library;
rows of the outbox channel are never sent (staff read them in the console and pass them on).
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.core.context import Workflow
from gongshi.settings import Settings
from gongshi.storage.models import Notification
from gongshi.storage.upsert import insert_ignore

log = logging.getLogger("gongshi.notify")

OUTBOX = "outbox"
SMTP = "smtp"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,22}[0-9]$")


class Message(Struct, frozen=True, kw_only=True):
    recipient: str
    subject: str
    body: str


class Notifier(Protocol):
    """Delivers stored notifications of one channel; raises when a message could not be delivered."""

    channel: str

    def deliver(self, message: Message) -> None: ...


class Sender(Protocol):
    """A notifier that opens its connection for one delivery batch (`with sender as notifier`)."""

    channel: str

    def __enter__(self) -> Notifier: ...

    def __exit__(self, *_: object) -> None: ...


class SmtpNotifier:
    """Sends e-mail through an SMTP server (GONGSHI_SMTP_*), one connection per delivery batch."""

    channel = SMTP

    def __init__(self, settings: Settings) -> None:
        assert settings.smtp_host, "SMTP is not configured"
        self.settings = settings
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpNotifier:
        s = self.settings
        assert s.smtp_host
        conn = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30)
        if s.smtp_starttls:
            conn.starttls()
        if s.smtp_user:
            conn.login(s.smtp_user, s.smtp_password or "")
        self._conn = conn
        return self

    def __exit__(self, *_: object) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except smtplib.SMTPException:
                self._conn.close()
            self._conn = None

    def deliver(self, message: Message) -> None:
        assert self._conn is not None, "use the notifier as a context manager"
        mail = EmailMessage()
        mail["From"] = self.settings.smtp_from
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=self.settings.smtp_from.rpartition("@")[2] or None)
        mail.set_content(message.body)
        self._conn.send_message(mail)


def valid_contact(contact: str) -> bool:
    return bool(EMAIL.match(contact) or PHONE.match(contact))


def channel_for(settings: Settings, recipient: str) -> str:
    """E-mail addresses go out by SMTP when it is configured; everything else waits in the outbox."""
    return SMTP if settings.smtp_host and EMAIL.match(recipient) else OUTBOX


def queue(
    session: Session,
    settings: Settings,
    *,
    dedupe_key: str,
    recipient: str,
    subject: str,
    body: str,
    now: datetime,
    agency_id: int | None = None,
) -> bool:
    """Store a message for delivery (once per dedupe key); True when it was new."""
    return insert_ignore(
        session,
        Notification,
        {
            "dedupe_key": dedupe_key[:200],
            "channel": channel_for(settings, recipient),
            "recipient": recipient[:200],
            "agency_id": agency_id,
            "subject": subject[:500],
            "body": body,
            "created_at": now,
            "sent_at": None,
        },
    )


def deliver_pending(wf: Workflow, notifier: Notifier, limit: int = 100) -> int:
    """Deliver this channel's pending messages; a failure leaves the rest pending for the next pass."""
    if notifier.channel == OUTBOX:
        return 0
    sent = 0
    with wf.db.write() as session:
        query = (
            select(Notification)
            .where(Notification.channel == notifier.channel, Notification.sent_at.is_(None))
            .order_by(Notification.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for row in session.scalars(query):
            try:
                notifier.deliver(Message(recipient=row.recipient, subject=row.subject, body=row.body))
            except (smtplib.SMTPException, OSError) as exc:
                log.warning(
                    "notification %s to %s not delivered: %s (will retry)", row.id, row.recipient, exc
                )
                break
            row.sent_at = wf.clock()
            sent += 1
    return sent


def notifier_for(settings: Settings) -> SmtpNotifier | None:
    """The deployment's sender, built once by the worker: SMTP when configured, else None (every
    message stays in the outbox for staff)."""
    return SmtpNotifier(settings) if settings.smtp_host else None


def send_pending(wf: Workflow, sender: Sender | None) -> int:
    """The worker's step: send pending messages of the sender's channel; without a sender, nothing leaves."""
    if sender is None:
        return 0
    with wf.db.read() as session:
        pending = session.scalar(
            select(Notification.id)
            .where(Notification.channel == sender.channel, Notification.sent_at.is_(None))
            .limit(1)
        )
    if pending is None:
        return 0
    try:
        with sender as notifier:
            return deliver_pending(wf, notifier)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("%s server unavailable: %s (will retry)", sender.channel, exc)
        return 0
