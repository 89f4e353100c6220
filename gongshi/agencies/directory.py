"""The agency directory as read: profiles, enforcement bases, officers and logged changes, as API records."""

from __future__ import annotations

from datetime import date

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.agencies.schemas import (
    AgencyOut,
    BasisOut,
    ChangeOut,
    OfficerOut,
    OfficersOut,
    Profile,
)
from gongshi.auth.principal import Principal
from gongshi.errors import NotFound
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyChange, AgencyDirectory, AgencyOfficer, EnforcementBasis

_PROFILE_FIELDS = set(Profile.__struct_fields__)
PROFILE_LABELS = {
    "head": "负责人",
    "duties": "工作职责",
    "address": "办公地址",
    "postcode": "邮编",
    "phone": "联系电话",
    "email": "电子邮箱",
    "website": "网站",
    "service_hours": "办公时间",
    "supervision": "投诉监督渠道",
    "matters": "执法事项",
    "entrusted": "委托执法",
}


def profile_of(agency: Agency) -> Profile:
    """The stored profile; keys this version does not know are ignored."""
    data = {k: v for k, v in (agency.profile or {}).items() if k in _PROFILE_FIELDS}
    return msgspec.convert(data, Profile)


def find_agency(session: Session, principal: Principal, code: str) -> Agency:
    """The agency if the principal may see it; another agency's is a 404, like a missing one."""
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None or not principal.sees_agency(agency.id):
        raise NotFound(f"没有代码为 {code} 的机关", field="code", code="agency_not_found")
    return agency


def change_out(c: AgencyChange) -> ChangeOut:
    return ChangeOut(
        id=c.id,
        subject=c.subject,
        description=c.description,
        changed_on=c.changed_on,
        due_on=c.due_on,
        due_provisional=c.due_provisional,
        reported_at=c.reported_at,
        reported_by=c.reported_by,
        resolved_at=c.resolved_at,
        resolved_by=c.resolved_by,
        late=c.late,
    )


def officer_out(o: AgencyOfficer, today: date) -> OfficerOut:
    return OfficerOut(
        name=o.name,
        certificate_number=o.certificate_number,
        category=o.category,
        unit=o.unit,
        role=o.role,
        valid_from=o.valid_from,
        valid_until=o.valid_until,
        status=o.status,
        certificate_expired=o.valid_until < today,
    )


def basis_out(b: EnforcementBasis) -> BasisOut:
    return BasisOut(
        title=b.title,
        level=b.level,
        document_number=b.document_number,
        effective_on=b.effective_on,
        url=b.url,
    )


def bases_of(session: Session, agency_id: int) -> list[EnforcementBasis]:
    return list(
        session.scalars(
            select(EnforcementBasis)
            .where(EnforcementBasis.agency_id == agency_id)
            .order_by(EnforcementBasis.position)
        )
    )


def officers_of(session: Session, agency_id: int) -> list[AgencyOfficer]:
    return list(
        session.scalars(
            select(AgencyOfficer).where(AgencyOfficer.agency_id == agency_id).order_by(AgencyOfficer.position)
        )
    )


def agency_out(session: Session, agency: Agency) -> AgencyOut:
    directory = session.get(AgencyDirectory, agency.id)
    changes = list(
        session.scalars(
            select(AgencyChange).where(AgencyChange.agency_id == agency.id).order_by(AgencyChange.id.desc())
        )
    )
    return AgencyOut(
        code=agency.code,
        name=agency.name,
        region=agency.region,
        profile=profile_of(agency),
        bases=[basis_out(b) for b in bases_of(session, agency.id)],
        profile_updated_at=directory.profile_updated_at if directory else None,
        officers_updated_at=directory.officers_updated_at if directory else None,
        open_changes=[change_out(c) for c in reversed(changes) if c.resolved_at is None],
        recent_changes=[change_out(c) for c in changes if c.resolved_at is not None][:50],
        url=f"/api/v1/agencies/{agency.code}",
    )


def officers_view(session: Session, agency: Agency, today: date) -> OfficersOut:
    directory = session.get(AgencyDirectory, agency.id)
    return OfficersOut(
        code=agency.code,
        officers=[officer_out(o, today) for o in officers_of(session, agency.id)],
        officers_updated_at=directory.officers_updated_at if directory else None,
    )
