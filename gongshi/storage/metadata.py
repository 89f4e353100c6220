"""Every mapped table in one MetaData, for Alembic and the drift test.

Each feature keeps its models in its own module on the shared `Base`; importing them here
registers their tables.
"""

from __future__ import annotations

from gongshi.storage import (  # noqa: F401
    auth_models,
    case_models,
    credit_models,
    models,
    portal_models,
    request_models,
    term_models,
)

metadata = models.Base.metadata
