"""Notifications to requesters: stored with the change that causes them, delivered by a `Notifier`.

Every message is first a row in `notifications`, written in the same transaction as the state
change (so nothing is lost and nothing is announced that did not happen). A `Notifier` then
delivers pending rows of its channel: the SMTP notifier sends e-mail with the standard library;
rows of the outbox channel are never sent (staff read them in the console and pass them on).

A secret a message carries (the access code of a granted request) is never stored in clear: the
body holds the mark `SECRET` where it goes. For e-mail the secret is kept sealed (Fernet,
keyed from the deployment secret) in `notifications.sealed`, put into the body only on the way
out, and the seal is cleared once the mail is sent. Outbox rows keep no secret at all (the head
who granted the request is shown the code once and passes it on). Staff reading notifications
see `staff_body`: the mark explained, never the secret.
"""

from __future__ import annotations

import base64
import logging
import re
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
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
SECRET = "〔访问码〕"  # where the message's secret goes in a stored body
HIDDEN = {SMTP: "〔访问码仅随邮件发给申请人〕", OUTBOX: "〔访问码由批准的负责人告知申请人〕"}
UNREADABLE = "〔访问码请向办理机关索取〕"  # the seal no longer opens (the secret key was changed)


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


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gongshi:notification-secret")
    return Fernet(base64.urlsafe_b64encode(key.derive(secret_key.encode())))


def seal(secret_key: str, secret: str) -> str:
    """The secret encrypted and authenticated with a key derived from the deployment secret."""
    return _fernet(secret_key).encrypt(secret.encode()).decode("ascii")


def unseal(secret_key: str, sealed: str) -> str | None:
    """The sealed secret, or None when the seal does not open with this key."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode("ascii")).decode()
    except InvalidToken:
        return None


def staff_body(row: Notification) -> str:
    """The body as staff may read it: where a secret goes, a note saying how it reaches the party."""
    return row.body.replace(SECRET, HIDDEN.get(row.channel, HIDDEN[OUTBOX]))


def outgoing_body(secret_key: str, row: Notification) -> str:
    """The body as it is sent: the sealed secret in its place."""
    if row.sealed is None:
        return row.body
    return row.body.replace(SECRET, unseal(secret_key, row.sealed) or UNREADABLE)


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
    secret: str | None = None,
) -> bool:
    """Store a message for delivery (once per dedupe key); True when it was new.

    `secret` goes where the body has `SECRET`; it is stored sealed, and only for e-mail.
    """
    assert secret is None or SECRET in body, "a secret needs its place in the body"
    channel = channel_for(settings, recipient)
    return insert_ignore(
        session,
        Notification,
        {
            "dedupe_key": dedupe_key[:200],
            "channel": channel,
            "recipient": recipient[:200],
            "agency_id": agency_id,
            "subject": subject[:500],
            "body": body,
            "sealed": seal(settings.secret_key, secret) if secret is not None and channel == SMTP else None,
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
                body = outgoing_body(wf.settings.secret_key, row)
                notifier.deliver(Message(recipient=row.recipient, subject=row.subject, body=body))
            except (smtplib.SMTPException, OSError) as exc:
                log.warning(
                    "notification %s to %s not delivered: %s (will retry)", row.id, row.recipient, exc
                )
                break
            row.sent_at, row.sealed = wf.clock(), None
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
