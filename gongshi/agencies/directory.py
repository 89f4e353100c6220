"""Maintaining the agency directory: profile, enforcement bases, officers; every save logged and audited."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gongshi.agencies import rule
from gongshi.agencies.schemas import (
    SUBJECT_LABELS,
    AgencyOut,
    AgencyPut,
    BasisIn,
    BasisOut,
    ChangeIn,
    ChangeOut,
    OfficerIn,
    OfficerOut,
    OfficersOut,
    OfficersPut,
    Profile,
    SaveResult,
)
from gongshi.agencies.validation import check_agency, check_bases, check_officers
from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.errors import NotFound, Unprocessable
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyChange, AgencyDirectory, AgencyOfficer, EnforcementBasis
from gongshi.storage.upsert import insert_ignore

_PROFILE_FIELDS = set(Profile.__struct_fields__)
_CODE = re.compile(r"^[0-9A-Z]{18}$")
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


def _directory(session: Session, agency_id: int) -> AgencyDirectory:
    """The agency's directory row, created on first use and locked for this transaction."""
    insert_ignore(
        session,
        AgencyDirectory,
        {
            "id": agency_id,
            "profile_updated_at": None,
            "officers_updated_at": None,
            "audit_seq": 0,
            "audit_head": "",
        },
    )
    row = session.get(AgencyDirectory, agency_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


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


def _basis_key(b: BasisIn | EnforcementBasis) -> tuple[Any, ...]:
    return (b.title, b.level, b.document_number, b.effective_on, b.url)


def _officer_key(o: OfficerIn | AgencyOfficer) -> tuple[Any, ...]:
    return (o.name, o.category, o.unit, o.role, o.valid_from, o.valid_until, o.status)


def _agency_for_save(
    session: Session, principal: Principal, code: str, body: AgencyPut
) -> tuple[Agency, bool]:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is not None:
        return find_agency(session, principal, code), False
    if principal.agency_id is not None:
        raise NotFound(f"没有代码为 {code} 的机关", field="code", code="agency_not_found")
    if not _CODE.match(code):
        raise Unprocessable(f"机关代码“{code}”应为 18 位统一社会信用代码（数字和大写字母）", field="code")
    if body.name is None:
        raise Unprocessable("新建机关需要提供机关名称 name", field="name")
    # The unified social credit code carries the registering region in characters 3–8.
    region = body.region or (code[2:8] if code[2:8].isdigit() else "")
    return Agency(code=code, name=body.name, region=region, profile={}), True


def _audit_resolved(
    session: Session,
    directory: AgencyDirectory,
    principal: Principal,
    resolved: list[int],
    note: str,
    now: datetime,
) -> None:
    """A save that changed nothing but closed announced changes (entered earlier) is still on record."""
    if resolved:
        audit.record(
            session,
            "agency",
            directory,
            actor=principal.actor,
            action="changes_resolved",
            reason=note,
            data={"resolves": resolved},
            at=now,
        )


def save_agency(
    wf: Workflow, session: Session, principal: Principal, code: str, body: AgencyPut
) -> SaveResult:
    """Replace the profile and the basis list; log the change against the 20-working-day rule."""
    principal.require("agency.edit")
    check_agency(body)
    bases = check_bases(body.bases)
    now, today = wf.clock(), wf.today()
    agency, created = _agency_for_save(session, principal, code, body)
    if created:
        agency.created_at = now
        session.add(agency)
        session.flush()
    directory = _directory(session, agency.id)
    if not created:
        session.refresh(agency)  # read the profile under the lock: concurrent saves compare in turn
    old_profile = msgspec.to_builtins(profile_of(agency))
    new_profile = msgspec.to_builtins(body.profile)
    old_bases = bases_of(session, agency.id)
    changed_fields = [PROFILE_LABELS[k] for k in PROFILE_LABELS if old_profile.get(k) != new_profile.get(k)]
    if body.name is not None and body.name != agency.name:
        changed_fields.insert(0, "机关名称")
    if body.region is not None and body.region != agency.region:
        changed_fields.append("行政区划")
    old_keys = [_basis_key(b) for b in old_bases]
    new_keys = [_basis_key(b) for b in bases]
    added = len(set(new_keys) - set(old_keys))
    removed = len(set(old_keys) - set(new_keys))
    bases_changed = old_keys != new_keys
    resolved = rule.resolve(session, agency.id, body.resolves, principal.actor, now)
    if not changed_fields and not bases_changed and not created:
        _audit_resolved(session, directory, principal, resolved, body.note, now)
        return SaveResult(changed=False, change=None, resolved=resolved)

    agency.profile = new_profile
    if body.name is not None:
        agency.name = body.name
    if body.region is not None:
        agency.region = body.region
    if bases_changed:
        session.execute(delete(EnforcementBasis).where(EnforcementBasis.agency_id == agency.id))
        session.add_all(
            EnforcementBasis(
                agency_id=agency.id,
                position=i,
                level=b.level,
                title=b.title,
                document_number=b.document_number,
                effective_on=b.effective_on,
                url=b.url,
            )
            for i, b in enumerate(bases)
        )
    parts = []
    if created:
        parts.append("新建机关信息")
    elif changed_fields:
        parts.append("更新" + "、".join(changed_fields))
    if bases_changed and not created:
        parts.append(
            f"执法依据新增 {added} 项、删除 {removed} 项" if added or removed else "执法依据调整顺序"
        )
    description = "；".join(parts) + (f"。说明：{body.note}" if body.note else "")
    change = rule.log_change(
        session,
        agency_id=agency.id,
        subject="profile" if changed_fields or created else "bases",
        description=description,
        changed_on=body.changed_on or today,
        cal=wf.calendar.get(),
        actor=principal.actor,
        now=now,
        resolved=True,
    )
    directory.profile_updated_at = now
    audit.record(
        session,
        "agency",
        directory,
        actor=principal.actor,
        action="profile_saved",
        reason=body.note,
        data={
            "change_id": change.id,
            "fields": changed_fields,
            "bases_added": added,
            "bases_removed": removed,
            "bases_total": len(bases),
            "resolves": resolved,
        },
        at=now,
    )
    return SaveResult(changed=True, change=change_out(change), resolved=resolved)


def save_officers(
    wf: Workflow, session: Session, principal: Principal, code: str, body: OfficersPut
) -> SaveResult:
    """Replace the officer list; certificate numbers identify officers across saves."""
    principal.require("agency.edit")
    today, now = wf.today(), wf.clock()
    officers = check_officers(body.officers, today)
    agency = find_agency(session, principal, code)
    directory = _directory(session, agency.id)
    old = {o.certificate_number: o for o in officers_of(session, agency.id)}
    new = {o.certificate_number: o for o in officers}
    added = [n for n in new if n not in old]
    removed = [n for n in old if n not in new]
    modified = [n for n in new if n in old and _officer_key(new[n]) != _officer_key(old[n])]
    reordered = [o.certificate_number for o in officers] != list(old)
    resolved = rule.resolve(session, agency.id, body.resolves, principal.actor, now)
    if not added and not removed and not modified and not reordered:
        _audit_resolved(session, directory, principal, resolved, body.note, now)
        return SaveResult(changed=False, change=None, resolved=resolved)
    session.execute(delete(AgencyOfficer).where(AgencyOfficer.agency_id == agency.id))
    session.flush()
    session.add_all(
        AgencyOfficer(
            agency_id=agency.id,
            position=i,
            name=o.name,
            certificate_number=o.certificate_number,
            category=o.category,
            unit=o.unit,
            role=o.role,
            valid_from=o.valid_from,
            valid_until=o.valid_until,
            status=o.status,
        )
        for i, o in enumerate(officers)
    )
    description = f"执法人员新增 {len(added)} 人、移除 {len(removed)} 人、信息变更 {len(modified)} 人"
    if body.note:
        description += f"。说明：{body.note}"
    change = rule.log_change(
        session,
        agency_id=agency.id,
        subject="officers",
        description=description,
        changed_on=body.changed_on or today,
        cal=wf.calendar.get(),
        actor=principal.actor,
        now=now,
        resolved=True,
    )
    directory.officers_updated_at = now
    audit.record(
        session,
        "agency",
        directory,
        actor=principal.actor,
        action="officers_saved",
        reason=body.note,
        data={
            "change_id": change.id,
            "added": added,
            "removed": removed,
            "modified": modified,
            "total": len(officers),
            "resolves": resolved,
        },
        at=now,
    )
    return SaveResult(changed=True, change=change_out(change), resolved=resolved)


def announce_change(
    wf: Workflow, session: Session, principal: Principal, code: str, body: ChangeIn
) -> ChangeOut:
    """Record a change that took effect (or will) but is not entered yet; it is due in 20 working days."""
    principal.require("agency.edit")
    agency = find_agency(session, principal, code)
    directory = _directory(session, agency.id)
    now = wf.clock()
    description = body.description.strip()
    if not description:
        raise Unprocessable("变更说明不能为空", field="description")
    change = rule.log_change(
        session,
        agency_id=agency.id,
        subject=body.subject,
        description=f"{SUBJECT_LABELS[body.subject]}：{description}",
        changed_on=body.changed_on,
        cal=wf.calendar.get(),
        actor=principal.actor,
        now=now,
        resolved=False,
    )
    audit.record(
        session,
        "agency",
        directory,
        actor=principal.actor,
        action="change_announced",
        reason=description,
        data={"change_id": change.id, "subject": body.subject, "changed_on": body.changed_on},
        at=now,
    )
    return change_out(change)
