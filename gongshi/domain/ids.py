"""Record ids as the database holds them: 64-bit integers."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# An id in a request body; a larger number could name no row, and the database refuses to compare it.
RecordId = Annotated[int, Meta(ge=1, le=INT64_MAX)]
