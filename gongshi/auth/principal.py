"""The acting principal and what each role may do."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

from gongshi.errors import Forbidden

Role = Literal["submitter", "reviewer", "head", "admin"]
ROLES: tuple[Role, ...] = ("submitter", "reviewer", "head", "admin")

# What each role may do; a head can do all a reviewer can, an admin everything.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "decision.submit": frozenset({"submitter", "admin"}),
    "decision.read": frozenset({"submitter", "reviewer", "head", "admin"}),
    "decision.review": frozenset({"reviewer", "head", "admin"}),
    "decision.override_withhold": frozenset({"head", "admin"}),
    # An agency's always-mask / never-mask lists change what redaction does: a head accepts entries.
    "terms.decide": frozenset({"head", "admin"}),
    # Which decisions need a second reviewer (gongshi.publication.second_review) is the head's call.
    "review.rule": frozenset({"head", "admin"}),
    "deadlines.read": frozenset({"submitter", "reviewer", "head", "admin"}),
    # Full-process case records (记录办法): agency systems and staff record; only a head releases
    # a record outside the agency (Art 20).
    "case.read": frozenset({"submitter", "reviewer", "head", "admin"}),
    "case.write": frozenset({"submitter", "reviewer", "head", "admin"}),
    "case.release": frozenset({"head", "admin"}),
    # Parties and the public (issue 5): a reviewer checks requests, a head releases records (记录办法 Art 20).
    "request.review": frozenset({"reviewer", "head", "admin"}),
    "request.release": frozenset({"head", "admin"}),
    "notifications.read": frozenset({"reviewer", "head", "admin"}),
    # The agency system or a reviewer records that a revoking ruling arrived (starts the Art 12 clock).
    "decision.ruling": frozenset({"submitter", "reviewer", "head", "admin"}),
    # Agency directory (Art 9): agency systems may push officer lists; reports (Art 17) are the head's.
    "agency.read": frozenset({"submitter", "reviewer", "head", "admin"}),
    "agency.edit": frozenset({"submitter", "reviewer", "head", "admin"}),
    "report.edit": frozenset({"head", "admin"}),
    "report.publish": frozenset({"head", "admin"}),
    # 双公示 exports carry the parties' identifiers for the credit platform: a head's decision (issue 15).
    "credit.export": frozenset({"head", "admin"}),
    "security.read": frozenset({"admin"}),
}


class Principal(Struct, frozen=True, kw_only=True):
    actor: str  # "token:12", "user:alice", "worker"
    role: Role
    # None only for admin: every agency.
    agency_id: int | None

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(f"角色 {self.role} 无权执行此操作 ({permission})", code="forbidden")

    def sees_agency(self, agency_id: int | None) -> bool:
        """Admins see everything; others their own agency (a record of no agency is the admin's)."""
        return self.agency_id is None or self.agency_id == agency_id


WORKER = Principal(actor="worker", role="admin", agency_id=None)
