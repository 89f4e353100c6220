"""Portal-side records (issue 4): officers, enforcement bases, annual-report figures."""

from __future__ import annotations

from gongshi.storage.models import Base  # noqa: F401
