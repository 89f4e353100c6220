"""Redaction: what the law protects is stripped, what may not be published is withheld.

Pure library: imports neither Litestar nor SQLAlchemy. One entry point, `redact(intake, policy)`,
and the `LeakGate` that re-checks the exact bytes about to leave the system.
"""

from gongshi.redaction.interim import VERSION as REDACTION_VERSION
from gongshi.redaction.interim import LeakGate, redact
from gongshi.redaction.types import Doubt, LeakHit, Policy, Reason, RedactionResult, Span, as_builtins

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
