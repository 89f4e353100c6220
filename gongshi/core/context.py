"""What the workflow needs from its surroundings, built once per process and passed explicitly."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from gongshi.core.calendar_store import CalendarStore
from gongshi.domain.clock import SHANGHAI, utcnow
from gongshi.redaction import Policy, segment
from gongshi.settings import Settings
from gongshi.storage.db import Database


def new_public_id() -> str:
    """13 lowercase base32 characters: unguessable, so public ids reveal no counts."""
    return base64.b32encode(secrets.token_bytes(8)).decode().rstrip("=").lower()


@dataclass
class Workflow:
    settings: Settings
    db: Database
    calendar: CalendarStore
    clock: Callable[[], datetime] = field(default=utcnow)

    @classmethod
    def create(cls, settings: Settings, db: Database | None = None) -> Workflow:
        db = db or Database(settings.database_url)
        # The segmenter and gazetteer caches are per process: place them before anything redacts.
        segment.use_cache_dir(settings.cache_dir)
        return cls(settings=settings, db=db, calendar=CalendarStore(db))

    def today(self) -> date:
        """Today in Asia/Shanghai, where dates and deadlines live."""
        return self.clock().astimezone(SHANGHAI).date()

    def policy(self, *, minor_override: bool = False) -> Policy:
        return Policy(keep_officer_names=self.settings.keep_officer_names, minor_override=minor_override)
