"""Case attachments over HTTP: streamed multipart upload, and download with byte ranges (video)."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Stream
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.cases import records, views
from gongshi.cases.store import AttachmentStore, read_range
from gongshi.cases.upload import Upload, receive_upload
from gongshi.core.context import Workflow
from gongshi.errors import GongshiError, InvalidInput, NotFound, TooLarge, Unprocessable
from gongshi.internal_api.errors import error_body
from gongshi.storage.case_models import CaseAttachment

log = logging.getLogger("gongshi.attachments")
ATTACHMENTS = "/api/v1/cases/{case_id:int}/entries/{entry_id:int}/attachments"
# Multipart framing and the small text fields around the file.
FORM_OVERHEAD = 1024 * 1024
# Recording devices' clocks drift; a capture time this far ahead of ours is still accepted.
CLOCK_SKEW = timedelta(minutes=10)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
# Anyone with case.write chooses an attachment's media type, and the console serves it on its own
# origin: only media a browser shows without running script are inline (SVG and anything XML or
# HTML can carry script); everything else is a download. Either way the response gets its own
# document policy: no script, no subresources, a sandbox (an opaque origin) and no sniffing.
_INLINE_PREFIXES = ("image/", "video/", "audio/")
_INLINE_EXACT = {"application/pdf"}
FILE_CSP = "default-src 'none'; sandbox"
# Chromium's media document loads its own URL through a <video>/<audio> element (blocked under
# default-src 'none', checked with Chromium 156), and its image and media documents style themselves
# inline. Neither can run script in the sandbox. PDF opens in Chromium's viewer under FILE_CSP.
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"


def _is_media(media_type: str) -> bool:
    return disposition(media_type) == "inline" and media_type.lower().startswith(_INLINE_PREFIXES)


def disposition(media_type: str) -> str:
    """'inline' for media that cannot run script (images except SVG, video, audio, PDF), else 'attachment'."""
    essence = media_type.split(";", 1)[0].strip().lower()
    if essence in _INLINE_EXACT:
        return "inline"
    if essence.startswith(_INLINE_PREFIXES) and "svg" not in essence and "xml" not in essence:
        return "inline"
    return "attachment"


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
    request: Request[Any, Any, Any],
    case_id: FromQuery[int],
    entry_id: FromQuery[int],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    attachments: NamedDependency[AttachmentStore],
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

    upload = await receive_upload(request.stream(), boundary.encode(), attachments, max_file_bytes=limit)
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
    sha256 = await upload.seal()
    stored = records.StoredFile(
        sha256=sha256,
        size=upload.size,
        media_type=upload.media_type,
        filename=upload.filename,
        captured_at=captured_at.astimezone(UTC),
        late_reason=upload.fields.get("late_reason", "").strip() or None,
        returned_at=returned_at.astimezone(UTC) if returned_at else None,
    )
    return await anyio.to_thread.run_sync(
        _record, wf, attachments, principal, case_id, entry_id, stored, upload
    )


def _record(
    wf: Workflow,
    store: AttachmentStore,
    principal: Principal,
    case_id: int,
    entry_id: int,
    stored: records.StoredFile,
    upload: Upload,
) -> Response[views.AttachmentOut]:
    """The row, and the blob placed under its address only once the row is in the transaction."""
    now = wf.clock()
    published = False
    try:
        with wf.db.write() as session:
            case = records.load_case(session, principal, case_id, for_update=True)
            entry = records.load_entry(session, case, entry_id)
            row, created = records.add_attachment(session, principal, case, entry, stored, now)
            out = views.attachment_out(row)
            published = upload.publish()
    except BaseException:
        if published:
            _discard_unrecorded(wf, store, stored.sha256)
        else:
            upload.discard()
        raise
    return Response(out, status_code=201 if created else 200)


def _discard_unrecorded(wf: Workflow, store: AttachmentStore, sha256: str) -> None:
    """The row did not commit: remove the blob this upload placed, unless a row now records it.

    (A concurrent upload of the same bytes found it already placed and may record it later; that
    row would then show the file missing in `verify`, so a blob with any row is always kept.)
    """
    with wf.db.read() as session:
        if session.scalar(select(CaseAttachment.id).where(CaseAttachment.sha256 == sha256).limit(1)):
            return
    store.discard_new(sha256)


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
    shown = disposition(att.media_type)
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{att.sha256}"',
        "Content-Disposition": f"{shown}; filename*=UTF-8''" + quote(att.filename or att.sha256, safe=""),
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": MEDIA_CSP if _is_media(att.media_type) else FILE_CSP,
        "X-Content-Type-Options": "nosniff",
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
    whole = status == 200
    return Stream(
        verified(store, att, read_range(store, att.sha256, start, end))
        if whole
        else read_range(store, att.sha256, start, end),
        status_code=status,
        media_type=att.media_type,
        headers=headers,
    )


class AlteredFile(Exception):
    """The stored bytes no longer hash to the attachment's SHA-256."""


def verified(store: AttachmentStore, att: CaseAttachment, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A whole file's chunks, re-hashed on the way; the last one is held back until the hash matches.

    An altered file is never delivered complete under its recorded ETag: the connection is cut short
    of Content-Length (clients see a truncated download) and the mismatch is logged. Byte ranges
    cannot be checked without reading the whole file; `GET /api/v1/cases/{id}/verify` checks those.
    """
    digest = hashlib.sha256()
    held: bytes | None = None
    for chunk in chunks:
        digest.update(chunk)
        if held is not None:
            yield held
        held = chunk
    if digest.hexdigest() != att.sha256:
        log.error(
            "attachment %s (case %s) does not match its SHA-256 %s in %s: download cut short",
            att.id,
            att.case_id,
            att.sha256,
            type(store).__name__,
        )
        raise AlteredFile(att.sha256)
    if held is not None:
        yield held


@get(ATTACHMENTS + "/{ref:str}", sync_to_thread=True, tags=["cases"], summary="Download (Range supported)")
def download_attachment(
    request: Request[Any, Any, Any],
    case_id: FromQuery[int],
    entry_id: FromQuery[int],
    ref: FromPath[str],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    attachments: NamedDependency[AttachmentStore],
) -> Response[Any]:
    att = find_attachment(wf, principal, case_id, entry_id, ref)
    return stream_attachment(attachments, att, request.headers.get("range"))


ROUTES: list[Any] = [upload_attachment, download_attachment]
