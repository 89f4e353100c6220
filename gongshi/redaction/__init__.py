"""Redaction: what the law protects is stripped, what may not be published is withheld.

Pure library: imports neither Litestar nor SQLAlchemy. One entry point, `redact(intake, policy)`,
and the `LeakGate` that re-checks the exact bytes about to leave the system.
"""

from gongshi.domain.intake import Intake
from gongshi.redaction import engine, entities
from gongshi.redaction.gate import LeakGate
from gongshi.redaction.types import (
    Doubt,
    Entity,
    LeakHit,
    Mention,
    Policy,
    Reason,
    RedactionResult,
    Span,
    as_builtins,
)

# Change whenever a rule changes: stored results say which rules produced them.
REDACTION_VERSION = "2026.2"


def redact(intake: Intake, policy: Policy | None = None) -> RedactionResult:
    """Redact one intake under `policy`: the engine's result with its spans grouped into entities."""
    return entities.attach(engine.redact(intake, policy), entities.texts_of(intake))


__all__ = [
    "REDACTION_VERSION",
    "Doubt",
    "Entity",
    "LeakGate",
    "LeakHit",
    "Mention",
    "Policy",
    "Reason",
    "RedactionResult",
    "Span",
    "as_builtins",
    "redact",
]
