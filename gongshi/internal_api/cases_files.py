"""Case attachments over HTTP: streamed multipart upload, and download with byte ranges (video)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.response import Stream
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.cases import records, views
from gongshi.cases.store import AttachmentStore, attachment_store, read_range
from gongshi.cases.upload import receive_upload
from gongshi.errors import GongshiError, InvalidInput, NotFound, TooLarge, Unprocessable
from gongshi.internal_api.errors import error_body
from gongshi.publication.context import Workflow
from gongshi.storage.case_models import CaseAttachment

ATTACHMENTS = "/api/v1/cases/{case_id:int}/entries/{entry_id:int}/attachments"
# Multipart framing and the small text fields around the file.
FORM_OVERHEAD = 1024 * 1024
# Recording devices' clocks drift; a capture time this far ahead of ours is still accepted.
CLOCK_SKEW = timedelta(minutes=10)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _aware(fields: dict[str, str], name: str, *, required: bool) -> datetime | None:
    raw = fields.get(name, "").strip()
    if not raw:
        if required:
            raise InvalidInput(f"缺少表单字段 {name}（ISO 8601 时间，带时区）", field=name)
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"{name} 不是 ISO 8601 时间：{raw}", field=name) from exc
    if value.tzinfo is None:
        raise InvalidInput(f"{name} 须带时区，例如 2026-11-25T10:00:00+08:00", field=name)
    return value


def _check_target(wf: Workflow, principal: Principal, case_id: int, entry_id: int) -> None:
    with wf.db.read() as session:
        case = records.load_case(session, principal, case_id)
        records.load_entry(session, case, entry_id)


@post(
    ATTACHMENTS,
    status_code=201,
    request_max_body_size=None,  # the attachment limit below applies instead of the app's body limit
    tags=["cases"],
    summary="Attach a file to an entry (multipart: file, captured_at; late_reason, returned_at)",
)
async def upload_attachment(
    request: Request[Any, Any, Any], case_id: int, entry_id: int, principal: Principal, wf: Workflow
) -> Response[views.AttachmentOut]:
    principal.require("case.write")
    limit = wf.settings.max_attachment_bytes
    # Refuse before reading the body when the client announces it is too large.
    announced = request.headers.get("content-length")
    if announced and announced.isdigit() and int(announced) > limit + FORM_OVERHEAD:
        raise TooLarge(f"附件超过大小上限 {limit} 字节", field="file", code="too_large")
    media_type, options = request.content_type
    boundary = options.get("boundary")
    if media_type != "multipart/form-data" or not boundary:
        raise InvalidInput(
            "请以 multipart/form-data 上传（文件字段 file）", field="file", code="invalid_multipart"
        )
    await anyio.to_thread.run_sync(_check_target, wf, principal, case_id, entry_id)

    upload = await receive_upload(
        request.stream(), boundary.encode(), attachment_store(wf.settings.data_dir), max_file_bytes=limit
    )
    try:
        captured_at = _aware(upload.fields, "captured_at", required=True)
        returned_at = _aware(upload.fields, "returned_at", required=False)
    except GongshiError:
        await upload.abort()
        raise
    assert captured_at is not None
    if captured_at > wf.clock() + CLOCK_SKEW:
        await upload.abort()
        raise Unprocessable(f"拍摄时间 {captured_at.isoformat()} 晚于当前时间", field="captured_at")
    sha256 = await upload.commit()
    stored = records.StoredFile(
        sha256=sha256,
        size=upload.size,
        media_type=upload.media_type,
        filename=upload.filename,
        captured_at=captured_at.astimezone(UTC),
        late_reason=upload.fields.get("late_reason", "").strip() or None,
        returned_at=returned_at.astimezone(UTC) if returned_at else None,
    )
    return await anyio.to_thread.run_sync(_record, wf, principal, case_id, entry_id, stored)


def _record(
    wf: Workflow, principal: Principal, case_id: int, entry_id: int, stored: records.StoredFile
) -> Response[views.AttachmentOut]:
    now = wf.clock()
    with wf.db.write() as session:
        case = records.load_case(session, principal, case_id, for_update=True)
        entry = records.load_entry(session, case, entry_id)
        row, created = records.add_attachment(session, principal, case, entry, stored, now)
        out = views.attachment_out(row)
    return Response(out, status_code=201 if created else 200)


def find_attachment(
    wf: Workflow, principal: Principal, case_id: int, entry_id: int, ref: str
) -> CaseAttachment:
    """An attachment of the entry by id or SHA-256, in the principal's scope."""
    principal.require("case.read")
    with wf.db.read() as session:
        case = records.load_case(session, principal, case_id)
        entry = records.load_entry(session, case, entry_id)
        for att in session.scalars(select(CaseAttachment).where(CaseAttachment.entry_id == entry.id)):
            if (ref.isdigit() and att.id == int(ref)) or (_SHA256.fullmatch(ref) and att.sha256 == ref):
                return att
    raise NotFound(f"记录 {entry_id} 没有附件 {ref}", code="not_found")


def stream_attachment(store: AttachmentStore, att: CaseAttachment, range_header: str | None) -> Response[Any]:
    """The file, whole (200) or one byte range (206); 416 for a range outside it."""
    size = store.size(att.sha256)
    if size is None:
        raise NotFound(f"附件 {att.id} 的文件不在存储中", code="file_missing")
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{att.sha256}"',
        "Content-Disposition": "inline; filename*=UTF-8''" + quote(att.filename or att.sha256, safe=""),
        "Cache-Control": "private, no-store",
    }
    start, end, status = 0, size - 1, 200
    match = _RANGE.fullmatch(range_header.strip()) if range_header else None
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # a suffix: the last N bytes
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            return Response(
                error_body("range_not_satisfiable", f"请求的范围超出文件大小 {size} 字节", "Range"),
                status_code=416,
                headers={**headers, "Content-Range": f"bytes */{size}"},
            )
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(end - start + 1)
    return Stream(
        read_range(store, att.sha256, start, end) if size else iter(()),
        status_code=status,
        media_type=att.media_type,
        headers=headers,
    )


@get(ATTACHMENTS + "/{ref:str}", sync_to_thread=True, tags=["cases"], summary="Download (Range supported)")
def download_attachment(
    request: Request[Any, Any, Any], case_id: int, entry_id: int, ref: str, principal: Principal, wf: Workflow
) -> Response[Any]:
    att = find_attachment(wf, principal, case_id, entry_id, ref)
    return stream_attachment(attachment_store(wf.settings.data_dir), att, request.headers.get("range"))


ROUTES: list[Any] = [upload_attachment, download_attachment]
