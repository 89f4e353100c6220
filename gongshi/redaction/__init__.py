"""Redaction: what the law protects is stripped, what may not be published is withheld.

Pure library: imports neither Litestar nor SQLAlchemy. One entry point, `redact(intake, policy)`,
and the `LeakGate` that re-checks the exact bytes about to leave the system.
"""

from gongshi.redaction.engine import redact
from gongshi.redaction.gate import LeakGate
from gongshi.redaction.types import Doubt, LeakHit, Policy, Reason, RedactionResult, Span, as_builtins

# Change whenever a rule changes: stored results say which rules produced them.
REDACTION_VERSION = "2026.2"

__all__ = [
    "REDACTION_VERSION",
    "Doubt",
    "LeakGate",
    "LeakHit",
    "Policy",
    "Reason",
    "RedactionResult",
    "Span",
    "as_builtins",
    "redact",
]
