"""Spreadsheet import (issue 15): POST /api/v1/imports and the console upload with a progress page."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.importer import import_file, run_job
from gongshi.errors import GongshiError, InvalidInput, NotFound
from gongshi.storage.credit_models import ImportJob
from gongshi.storage.models import Agency

Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def _upload(data: dict[str, Any]) -> tuple[bytes, str]:
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("请上传文件（字段 file：.xlsx 或 .csv）", field="file", code="missing_file")
    content = upload.file.read()
    if not content:
        raise InvalidInput("上传的文件是空的", field="file", code="empty_file")
    return content, upload.filename


def _agency_code(wf: Workflow, principal: Principal, given: Any) -> str:
    if isinstance(given, str) and given.strip():
        return given.strip()
    if principal.agency_id is None:
        raise InvalidInput("请指定机关代码（agency）", field="agency")
    with wf.db.read() as session:
        code = session.scalar(select(Agency.code).where(Agency.id == principal.agency_id))
    if code is None:
        raise NotFound("令牌所属机关不存在", field="agency")
    return code


@post(
    "/api/v1/imports",
    sync_to_thread=True,
    status_code=200,
    tags=["imports"],
    summary="Store the rows of a 双公示 spreadsheet (multipart: file; agency optional)",
)
def create_import(
    data: Multipart, principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> dict[str, Any]:
    principal.require("decision.submit")
    content, filename = _upload(data)
    code = _agency_code(wf, principal, data.get("agency"))
    return import_file(wf, principal, code, content, filename).to_builtins()


def _page(request: Request[Any, Any, Any], name: str, **context: Any) -> Template:
    from gongshi.internal_api.console import LABELS, user_name

    return Template(
        template_name=f"console/{name}",
        context={
            "user": user_name(request),
            "labels": LABELS,
            "flash": request.session.pop("flash", None) if request.session else None,
            **context,
        },
    )


@get("/console/imports", sync_to_thread=True, include_in_schema=False)
def import_form(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> Template:
    query = select(ImportJob).order_by(ImportJob.id.desc()).limit(20)
    if principal.agency_id is not None:
        query = query.where(ImportJob.agency_id == principal.agency_id)
    with wf.db.read() as session:
        jobs = session.scalars(query).all()
    return _page(
        request, "import_form.html", jobs=jobs, error=None, can_submit=principal.can("decision.submit")
    )


@post("/console/imports", sync_to_thread=True, include_in_schema=False)
def import_upload(
    request: Request[Any, Any, Any],
    data: Multipart,
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    try:
        principal.require("decision.submit")
        content, filename = _upload(data)
        code = _agency_code(wf, principal, data.get("agency"))
        with wf.db.write() as session:
            agency = session.scalar(select(Agency).where(Agency.code == code))
            if agency is None or not principal.sees_agency(agency.id):
                raise NotFound(f"没有代码为 {code} 的机关", field="agency")
            job = ImportJob(
                agency_id=agency.id,
                actor=principal.actor,
                filename=filename[:500],
                state="queued",
                total=0,
                processed=0,
                stored=0,
                duplicates=0,
                errors=[],
                message="",
                created_at=wf.clock(),
            )
            session.add(job)
            session.flush()
            job_id = job.id
    except GongshiError as exc:
        return _page(request, "import_form.html", jobs=[], error=exc.message, can_submit=True)
    threading.Thread(
        target=run_job,
        args=(wf, principal, job_id, code, content, filename),
        daemon=True,
        name=f"import-{job_id}",
    ).start()
    return Redirect(f"/console/imports/{job_id}")


@get("/console/imports/{job_id:int}", sync_to_thread=True, include_in_schema=False)
def import_progress(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    job_id: FromPath[int],
) -> Template:
    with wf.db.read() as session:
        job = session.get(ImportJob, job_id)
        if job is None or not principal.sees_agency(job.agency_id):
            job = None
        agency = session.get(Agency, job.agency_id) if job else None
    return _page(request, "import_progress.html", job=job, agency=agency, job_id=job_id)


ROUTES = [create_import]
CONSOLE_ROUTES = [import_form, import_upload, import_progress]
