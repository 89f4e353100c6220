"""Spreadsheet import in the console: the upload form and the progress page (issue 15)."""

from __future__ import annotations

import threading
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.importer import run_job
from gongshi.errors import GongshiError, NotFound
from gongshi.internal_api.api.imports import Multipart, _agency_code, _upload
from gongshi.internal_api.console.render import render_page
from gongshi.storage.credit_models import ImportJob
from gongshi.storage.models import Agency


@get("/console/imports", sync_to_thread=True, include_in_schema=False)
def import_form(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> Template:
    query = select(ImportJob).order_by(ImportJob.id.desc()).limit(20)
    if principal.agency_id is not None:
        query = query.where(ImportJob.agency_id == principal.agency_id)
    with wf.db.read() as session:
        jobs = session.scalars(query).all()
    return render_page(
        "import_form.html", request, jobs=jobs, error=None, can_submit=principal.can("decision.submit")
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
        return render_page("import_form.html", request, jobs=[], error=exc.message, can_submit=True)
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
    return render_page("import_progress.html", request, job=job, agency=agency, job_id=job_id)


ROUTES = [import_form, import_upload, import_progress]
