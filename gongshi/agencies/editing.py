"""Saving the agency directory: the profile and its enforcement bases, the officers, announced changes.

Every save is logged against the 20-working-day rule (`rule.log_change`) and recorded in the
agency's audit chain.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gongshi.agencies import rule
from gongshi.agencies.directory import (
    PROFILE_LABELS,
    bases_of,
    change_out,
    find_agency,
    officers_of,
    profile_of,
)
from gongshi.agencies.schemas import (
    SUBJECT_LABELS,
    AgencyPut,
    BasisIn,
    ChangeIn,
    ChangeOut,
    OfficerIn,
    OfficersPut,
    SaveResult,
)
from gongshi.agencies.validation import check_agency, check_bases, check_officers
from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.errors import NotFound, Unprocessable
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyDirectory, AgencyOfficer, EnforcementBasis
from gongshi.storage.upsert import insert_ignore

_CODE = re.compile(r"^[0-9A-Z]{18}$")


def _directory_row(session: Session, agency_id: int) -> AgencyDirectory:
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


def _changed_fields(agency: Agency, body: AgencyPut, new_profile: dict[str, Any]) -> list[str]:
    """The labels of what the save changes in the agency's name, profile and region, in display order."""
    old_profile = msgspec.to_builtins(profile_of(agency))
    changed = [PROFILE_LABELS[k] for k in PROFILE_LABELS if old_profile.get(k) != new_profile.get(k)]
    if body.name is not None and body.name != agency.name:
        changed.insert(0, "机关名称")
    if body.region is not None and body.region != agency.region:
        changed.append("行政区划")
    return changed


def _apply_profile(agency: Agency, body: AgencyPut, new_profile: dict[str, Any]) -> None:
    agency.profile = new_profile
    if body.name is not None:
        agency.name = body.name
    if body.region is not None:
        agency.region = body.region


def _bases_diff(old: list[EnforcementBasis], new: list[BasisIn]) -> tuple[int, int, bool]:
    """How many bases a save adds and removes, and whether the list changes at all (order included)."""
    old_keys = [_basis_key(b) for b in old]
    new_keys = [_basis_key(b) for b in new]
    return len(set(new_keys) - set(old_keys)), len(set(old_keys) - set(new_keys)), old_keys != new_keys


def _replace_bases(session: Session, agency_id: int, bases: list[BasisIn]) -> None:
    session.execute(delete(EnforcementBasis).where(EnforcementBasis.agency_id == agency_id))
    session.add_all(
        EnforcementBasis(
            agency_id=agency_id,
            position=i,
            level=b.level,
            title=b.title,
            document_number=b.document_number,
            effective_on=b.effective_on,
            url=b.url,
        )
        for i, b in enumerate(bases)
    )


def _replace_officers(session: Session, agency_id: int, officers: list[OfficerIn]) -> None:
    session.execute(delete(AgencyOfficer).where(AgencyOfficer.agency_id == agency_id))
    session.flush()
    session.add_all(
        AgencyOfficer(
            agency_id=agency_id,
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


def _profile_save_description(
    created: bool, changed_fields: list[str], bases_changed: bool, added: int, removed: int, note: str
) -> str:
    """What the change log says about a profile save (新建机关信息；执法依据新增 1 项、删除 0 项…)."""
    parts = []
    if created:
        parts.append("新建机关信息")
    elif changed_fields:
        parts.append("更新" + "、".join(changed_fields))
    if bases_changed and not created:
        parts.append(
            f"执法依据新增 {added} 项、删除 {removed} 项" if added or removed else "执法依据调整顺序"
        )
    return "；".join(parts) + (f"。说明：{note}" if note else "")


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
    directory = _directory_row(session, agency.id)
    if not created:
        session.refresh(agency)  # read the profile under the lock: concurrent saves compare in turn
    new_profile = msgspec.to_builtins(body.profile)
    changed_fields = _changed_fields(agency, body, new_profile)
    added, removed, bases_changed = _bases_diff(bases_of(session, agency.id), bases)
    resolved = rule.resolve(session, agency.id, body.resolves, principal.actor, now)
    if not changed_fields and not bases_changed and not created:
        _audit_resolved(session, directory, principal, resolved, body.note, now)
        return SaveResult(changed=False, change=None, resolved=resolved)

    _apply_profile(agency, body, new_profile)
    if bases_changed:
        _replace_bases(session, agency.id, bases)
    change = rule.log_change(
        session,
        agency_id=agency.id,
        subject="profile" if changed_fields or created else "bases",
        description=_profile_save_description(
            created, changed_fields, bases_changed, added, removed, body.note
        ),
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
    directory = _directory_row(session, agency.id)
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
    _replace_officers(session, agency.id, officers)
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
    directory = _directory_row(session, agency.id)
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
