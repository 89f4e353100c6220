"""Agency directory, officers, statistics and annual reports: API and console pages (issue 4)."""

from __future__ import annotations

from typing import Any

# Route handlers and controllers this module adds to the internal app.
ROUTES: list[Any] = []
