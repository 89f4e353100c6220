"""Staff console pages for case records: list, timeline, compliance report, head-approved release."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Response, Template

from gongshi.auth.principal import Principal
from gongshi.cases import chain, compliance, records, release, report, views
from gongshi.cases.store import AttachmentStore
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.domain.ids import INT64_MAX
from gongshi.errors import GongshiError
from gongshi.internal_api.api.attachments import find_attachment, stream_attachment
from gongshi.internal_api.console.render import Form, flash, render_page

CASE_LABELS = {
    "stage": {
        "initiation": "程序启动",
        "investigation": "调查取证",
        "decision": "审查决定",
        "service": "送达执行",
        "archive": "归档",
    },
    "source": {"ex_officio": "依职权", "application": "依申请", "complaint": "投诉举报", "referral": "移送"},
    "entry": compliance.LABELS,
    "issue": {
        "av_stored_late": "音像记录超 24 小时存储",
        "av_stored_late_after_return": "返回后超 24 小时存储",
        "archive_overdue": "逾期未归档",
        "archived_late": "归档超期",
        "missing_entries": "缺少必要记录",
    },
    "retention": {"case_file": "案卷（文字记录）", "audio_video": "音像记录"},
    "recipient": {"party": "当事人", "outside_body": "外部单位"},
}


@get("/console/cases", sync_to_thread=True, include_in_schema=False)
def case_list(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    agency: FromQuery[str | None] = None,
    flagged: FromQuery[bool] = False,
    after_id: Annotated[int | None, QueryParameter(ge=0, le=INT64_MAX)] = None,
) -> Template | Redirect:
    with wf.db.read() as session:
        rows = report.case_rows(
            session, principal, wf.today(), agency_code=agency, limit=201, after_id=after_id
        )
    more = len(rows) > 200
    rows = rows[:200]
    shown = [r for r in rows if not flagged or not r.compliance.ok]
    return render_page(
        "cases/list.html",
        request,
        rows=shown,
        flagged=flagged,
        agency=agency,
        next_after_id=rows[-1].id if more and rows else None,
        case_labels=CASE_LABELS,
    )


@get("/console/cases/report", sync_to_thread=True, include_in_schema=False)
def compliance_report(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    agency: FromQuery[str | None] = None,
) -> Template | Redirect:
    with wf.db.read() as session:
        board = report.agency_report(session, principal, wf.today(), agency_code=agency)
    return render_page("cases/report.html", request, report=board, case_labels=CASE_LABELS)


@get("/console/cases/{case_id:int}", sync_to_thread=True, include_in_schema=False)
def case_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[int],
    wf: NamedDependency[Workflow],
    attachments: NamedDependency[AttachmentStore],
    files: FromQuery[bool] = False,
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            case = records.load_case(session, principal, case_id)
        except GongshiError:
            return render_page("cases/missing.html", request, case_id=case_id)
        out = views.case_out(session, case, wf.today())
        # Rows are always checked; re-hashing every file is on request (large video takes a while).
        check = chain.verify(session, case, attachments if files else None)
    return render_page(
        "cases/case.html",
        request,
        c=out,
        check=check,
        case_labels=CASE_LABELS,
        local=local_time,
        can_release=principal.can("case.release"),
        record_json={
            e.id: msgspec.json.format(msgspec.json.encode(e.record), indent=2).decode() for e in out.entries
        },
    )


@get(
    "/console/cases/{case_id:int}/entries/{entry_id:int}/attachments/{ref:str}",
    sync_to_thread=True,
    include_in_schema=False,
)
def attachment(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[int],
    entry_id: FromPath[int],
    ref: FromPath[str],
    wf: NamedDependency[Workflow],
    attachments: NamedDependency[AttachmentStore],
) -> Response[Any] | Redirect:
    att = find_attachment(wf, principal, case_id, entry_id, ref)
    return stream_attachment(attachments, att, request.headers.get("range"))


@post("/console/cases/{case_id:int}/release", sync_to_thread=True, include_in_schema=False)
def release_record(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    case_id: FromPath[int],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    try:
        body = text.convert(
            {k: data.get(k, "") for k in ("recipient_kind", "recipient", "purpose")}, release.ReleaseIn
        )
        with wf.db.write() as session:
            case = records.load_case(session, principal, case_id, for_update=True)
            view = release.approve_release(session, principal, case, body, wf.clock())
    except (GongshiError, msgspec.ValidationError) as exc:
        flash(request, f"未能提供：{getattr(exc, 'message', exc)}", "error")
        return Redirect(f"/console/cases/{case_id}")
    return render_page("cases/released.html", request, view=view, case_labels=CASE_LABELS)


ROUTES: list[Any] = [case_list, compliance_report, case_page, attachment, release_record]
