"""Streaming multipart upload: the file part goes to the attachment store as it arrives.

Litestar's own form parsing spools file parts to a temporary file in the system temp directory
and calls a thread per chunk; we would then copy and hash the file again. Here the request body is
parsed incrementally (python-multipart), the file part is hashed and written in 1 MiB blocks on a
worker thread while the next block is received, and only small text fields are kept in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from gongshi.cases.store import AttachmentStore, BlobWriter
from gongshi.domain import text
from gongshi.errors import InvalidInput, TooLarge
from gongshi.storage.case_models import CaseAttachment

BLOCK = 1024 * 1024
MAX_FIELD_BYTES = 64 * 1024
FILE_FIELD = "file"
# The columns' own limits, so that both databases refuse alike, and before any byte is stored.
MAX_FILENAME: int = getattr(CaseAttachment.__table__.c.filename.type, "length")  # noqa: B009
MAX_MEDIA_TYPE: int = getattr(CaseAttachment.__table__.c.media_type.type, "length")  # noqa: B009


@dataclass
class Upload:
    """A received upload whose file is written but not yet stored: `commit()` or `abort()` it."""

    sink: _PipelinedWriter
    fields: dict[str, str] = field(default_factory=dict)
    size: int = 0
    media_type: str = ""
    filename: str = ""

    async def commit(self) -> str:
        """Store the file under its SHA-256 and return it."""
        return await self.sink.finish()

    async def seal(self) -> str:
        """Make the file durable and return its SHA-256; `publish()` then places it (no await)."""
        return await self.sink.seal()

    def publish(self) -> bool:
        """Place the sealed file under its address (in the thread that records its row)."""
        return self.sink.writer.publish()

    def discard(self) -> None:
        """Forget a sealed, unpublished file."""
        self.sink.writer.abort()

    async def abort(self) -> None:
        await self.sink.abort()


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str = ""
    data: bytearray = field(default_factory=bytearray)


class _Receiver:
    """Collects parser callbacks; file bytes are handed to `on_file_bytes`."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self._header_field = bytearray()
        self._header_value = bytearray()
        self.headers: dict[str, bytes] = {}

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": lambda: self._begin(),
            "on_header_field": lambda d, s, e: self._header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": lambda: self._header_end(),
            "on_headers_finished": lambda: self.events.append(("headers", dict(self.headers))),
            # A view, not a slice: file bytes are not copied on their way to the writer.
            "on_part_data": lambda d, s, e: self.events.append(("data", memoryview(d)[s:e])),
            "on_part_end": lambda: self.events.append(("end", None)),
            "on_end": lambda: self.events.append(("done", None)),
        }

    def _begin(self) -> None:
        self.headers = {}

    def _header_end(self) -> None:
        self.headers[bytes(self._header_field).decode("latin-1").lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()


class _PipelinedWriter:
    """Hands full blocks to a thread, so hashing and disk writes overlap with receiving."""

    def __init__(self, writer: BlobWriter) -> None:
        self.writer = writer
        self.pieces: list[memoryview] = []
        self.buffered = 0
        self.pending: asyncio.Future[None] | None = None

    async def write(self, data: memoryview) -> None:
        self.pieces.append(data)
        self.buffered += len(data)
        if self.buffered >= BLOCK:
            await self._flush()

    def _write_all(self, pieces: list[memoryview]) -> None:
        for piece in pieces:
            self.writer.write(piece)

    async def _flush(self) -> None:
        if self.pending is not None:
            await self.pending
            self.pending = None
        if self.pieces:
            pieces, self.pieces, self.buffered = self.pieces, [], 0
            self.pending = asyncio.get_running_loop().run_in_executor(None, self._write_all, pieces)

    async def _drain(self) -> None:
        await self._flush()
        if self.pending is not None:
            await self.pending
            self.pending = None

    async def finish(self) -> str:
        await self._drain()
        return await asyncio.get_running_loop().run_in_executor(None, self.writer.commit)

    async def seal(self) -> str:
        await self._drain()
        return await asyncio.get_running_loop().run_in_executor(None, self.writer.seal)

    async def abort(self) -> None:
        if self.pending is not None:
            with contextlib.suppress(OSError):
                await self.pending
        await asyncio.get_running_loop().run_in_executor(None, self.writer.abort)


async def receive_upload(
    chunks: AsyncIterator[bytes], boundary: bytes, store: AttachmentStore, *, max_file_bytes: int
) -> Upload:
    """Parse a multipart body; the part named `file` is written to the store, other parts are text."""
    receiver = _Receiver()
    parser = MultipartParser(boundary, receiver.callbacks())  # type: ignore[arg-type]
    fields: dict[str, str] = {}
    size = 0
    media_type = filename = ""
    done = False
    part: _Part | None = None
    sink: _PipelinedWriter | None = None
    try:
        async for chunk in chunks:
            if not chunk:
                continue
            try:
                parser.write(chunk)
            except MultipartParseError as exc:
                raise InvalidInput(f"multipart/form-data 格式错误：{exc}", code="invalid_multipart") from exc
            events, receiver.events = receiver.events, []
            for kind, value in events:
                if kind == "headers":
                    part = _new_part(value)
                    if part.filename is not None:
                        sink = _open_file_part(part, sink, store)
                elif kind == "data" and part is not None:
                    if part.filename is not None and sink is not None:
                        size += len(value)
                        if size > max_file_bytes:
                            raise TooLarge(
                                f"附件超过大小上限 {max_file_bytes} 字节", field=FILE_FIELD, code="too_large"
                            )
                        await sink.write(value)
                    else:
                        if len(part.data) + len(value) > MAX_FIELD_BYTES:
                            raise InvalidInput(f"表单字段 {part.name} 过长", field=part.name)
                        part.data += value
                elif kind == "end" and part is not None:
                    if part.filename is not None:
                        filename, media_type = part.filename, _media_type(part)
                    else:
                        fields[part.name] = _text_value(part)
                    part = None
                elif kind == "done":
                    done = True
        if not done:
            raise InvalidInput("请求体不完整（multipart 结束边界缺失）", code="invalid_multipart")
        if sink is None:
            raise InvalidInput(f"缺少文件字段 {FILE_FIELD}", field=FILE_FIELD)
        return Upload(sink=sink, fields=fields, size=size, media_type=media_type, filename=filename)
    except BaseException:
        if sink is not None:
            await sink.abort()
        raise


def _open_file_part(part: _Part, sink: _PipelinedWriter | None, store: AttachmentStore) -> _PipelinedWriter:
    """The writer for the one file part; a second file, or a file under another name, is a 400."""
    if part.name != FILE_FIELD or sink is not None:
        raise InvalidInput(
            f"只接受一个文件，字段名须为 {FILE_FIELD}（收到 {part.name}）",
            field=part.name,
        )
    _check_file_part(part)
    return _PipelinedWriter(store.writer())


def _text_value(part: _Part) -> str:
    value = part.data.decode("utf-8", errors="replace")
    if text.FORBIDDEN.search(value):
        raise InvalidInput(
            f"表单字段 {part.name} 含有不允许的控制字符",
            field=part.name,
            code="invalid_character",
        )
    return value


def _new_part(headers: dict[str, bytes]) -> _Part:
    _, options = parse_options_header(headers.get("content-disposition", b""))
    filename = options.get(b"filename")
    return _Part(
        name=options.get(b"name", b"").decode("utf-8", errors="replace"),
        filename=filename.decode("utf-8", errors="replace") if filename is not None else None,
        content_type=headers.get("content-type", b"").decode("latin-1").strip(),
    )


def _check_file_part(part: _Part) -> None:
    """Refuse a file part whose name or type cannot be recorded, before any of it is written."""
    filename = part.filename or ""
    if len(filename) > MAX_FILENAME:
        raise InvalidInput(
            f"文件名过长（{len(filename)} 个字符，上限 {MAX_FILENAME}）", field="filename", code="too_long"
        )
    if text.FORBIDDEN.search(filename):
        raise InvalidInput("文件名含有不允许的控制字符", field="filename", code="invalid_character")
    media_type = _media_type(part)
    if len(media_type) > MAX_MEDIA_TYPE or text.FORBIDDEN.search(media_type):
        raise InvalidInput(
            f"文件类型（Content-Type）超过 {MAX_MEDIA_TYPE} 个字符或含有控制字符", field=FILE_FIELD
        )


def _media_type(part: _Part) -> str:
    declared = part.content_type.split(";", 1)[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    guessed, _ = mimetypes.guess_type(part.filename or "")
    return guessed or "application/octet-stream"
