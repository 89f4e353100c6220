"""Full-process case records API and console pages (issue 6)."""

from __future__ import annotations

from typing import Any

# Route handlers and controllers this module adds to the internal app.
ROUTES: list[Any] = []
