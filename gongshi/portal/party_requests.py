"""Portal forms and pages for access and correction requests (issue 5)."""

from __future__ import annotations

from typing import Any

# Route handlers and controllers this module adds to the portal app.
ROUTES: list[Any] = []
