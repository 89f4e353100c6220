"""/api/v1/security/audit: the audit chain of security events (login locks), for admins (issue 14)."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency

from gongshi.auth.principal import Principal
from gongshi.core import security
from gongshi.core.context import Workflow
from gongshi.internal_api.api.schemas import SecurityAuditOut, audit_out


@get(
    "/api/v1/security/audit",
    sync_to_thread=True,
    tags=["security"],
    summary="Security events (login locks) with chain check; admin only",
)
def security_audit(principal: NamedDependency[Principal], wf: NamedDependency[Workflow]) -> SecurityAuditOut:
    principal.require("security.read")
    with wf.db.read() as session:
        events, check = security.trail(session)
        return SecurityAuditOut(
            intact=check.intact, first_bad_seq=check.first_bad_seq, events=[audit_out(e) for e in events]
        )


ROUTES = [security_audit]
