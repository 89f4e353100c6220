"""Spreadsheet import (issue 15): POST /api/v1/imports and the console upload with a progress page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.importer import import_file
from gongshi.errors import InvalidInput, NotFound
from gongshi.json_body import check_field
from gongshi.storage.models import Agency

Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def _upload(data: dict[str, Any]) -> tuple[bytes, str]:
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("请上传文件（字段 file：.xlsx 或 .csv）", field="file", code="missing_file")
    content = upload.file.read()
    if not content:
        raise InvalidInput("上传的文件是空的", field="file", code="empty_file")
    check_field("filename", upload.filename)  # the import job keeps it
    return content, upload.filename


def _agency_code(wf: Workflow, principal: Principal, given: Any) -> str:
    check_field("agency", given)
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


ROUTES = [create_import]
