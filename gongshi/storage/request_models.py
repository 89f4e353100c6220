"""Parties and the public (issue 5): access requests, correction requests."""

from __future__ import annotations

from gongshi.storage.models import Base  # noqa: F401
