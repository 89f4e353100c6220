"""The public portal (issue 4): search, disclosures, open data, agency directory, request forms."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so feature modules (agencies, party_requests) can import portal helpers
    # without importing the app, which imports them.
    if name == "create_app":
        from gongshi.portal.app import create_app

        return create_app
    raise AttributeError(name)
