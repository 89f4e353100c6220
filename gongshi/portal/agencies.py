"""Portal pages for the agency directory, statistics and annual reports (issue 4)."""

from __future__ import annotations

from typing import Any

# Route handlers and controllers this module adds to the portal app.
ROUTES: list[Any] = []
