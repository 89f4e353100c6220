"""Full-process case records (issue 6): cases, entries, attachments."""

from __future__ import annotations

from gongshi.storage.models import Base  # noqa: F401
