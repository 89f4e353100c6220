"""双公示 export for the credit platforms (issue 15): the API and the console page."""

from __future__ import annotations

import os
import tempfile
from datetime import date

from litestar import get
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import File

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.export import MEDIA_TYPES, check_options, filename, run_export
from gongshi.errors import InvalidInput


def _since(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.replace("/", "-"))
    except ValueError as exc:
        raise InvalidInput(f"since 日期“{raw}”格式不正确，应为 YYYY-MM-DD", field="since") from exc


def _export_file(
    wf: Workflow, principal: Principal, agency: str, since: str | None, template: str | None, fmt: str
) -> File:
    principal.require("credit.export")
    t, f = check_options(template or None, fmt)
    day = _since(since)
    fd, path = tempfile.mkstemp(prefix="gongshi-export-", suffix=f".{f}")
    try:
        with os.fdopen(fd, "wb") as out:
            result = run_export(wf, principal, agency, out=out, template=t, fmt=f, since=day)
    except BaseException:
        os.unlink(path)
        raise
    return File(
        path=path,
        filename=filename(agency, t, f, wf.today()),
        media_type=MEDIA_TYPES[f],
        headers={
            "X-Export-Id": str(result.export_id),
            "X-Export-Rows": str(result.rows),
            "X-Export-Rejected": str(result.rejected),
        },
        background=BackgroundTask(os.unlink, path),
    )


@get(
    "/api/v1/exports/shuanggongshi",
    sync_to_thread=True,
    tags=["credit"],
    summary="双公示 export for the credit platform (head or admin; what is new or changed)",
)
def export_shuanggongshi(
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    agency: FromQuery[str],
    since: FromQuery[str | None] = None,
    template: FromQuery[str | None] = None,
    format: FromQuery[str] = "xlsx",
) -> File:
    return _export_file(wf, principal, agency, since, template, format)


def _agency_code(wf: Workflow, principal: Principal, agency: str | None) -> str:
    from sqlalchemy import select

    from gongshi.storage.models import Agency

    if agency:
        return agency
    if principal.agency_id is None:
        return ""
    with wf.db.read() as session:
        return session.scalar(select(Agency.code).where(Agency.id == principal.agency_id)) or ""


ROUTES = [export_shuanggongshi]
