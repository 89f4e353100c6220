"""Access and correction requests as staff handle them: API and console pages (issue 5)."""

from __future__ import annotations

from typing import Any

# Route handlers and controllers this module adds to the internal app.
ROUTES: list[Any] = []
