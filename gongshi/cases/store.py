"""Where attachment bytes live: content-addressed by SHA-256 behind a small interface.

`LocalAttachmentStore` keeps them under `<data_dir>/attachments/ab/cd/<sha256>`; an S3-compatible
store can implement the same protocol later. A blob is written to a temporary file while it is
hashed, then renamed to its address, so a half-written upload is never visible under an address.
An upload is sealed (hashed and made durable) first and published (renamed) only once its row is
in the database transaction, so a refused row leaves no blob behind. The only removal is
`discard_new`, for a blob this very upload published whose row then failed to commit. Nothing can
delete a recorded blob: records are kept for their retention period and disposed of through the
archive procedure, outside this system.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

CHUNK = 1024 * 1024
# Start writing to disk as the upload goes: the page cache would otherwise hold gigabytes that the
# final fsync then writes in one go, after the client has finished sending. Linux can start the
# write-back without waiting for it (sync_file_range); elsewhere we wait with fdatasync.
SYNC_EVERY = 16 * 1024 * 1024
_SYNC_FILE_RANGE_WRITE = 2


def _start_writeback() -> Callable[[int, int, int], None]:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.sync_file_range
    except (OSError, AttributeError):
        return lambda fd, _offset, _length: os.fdatasync(fd)
    call.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]

    def start(fd: int, offset: int, length: int) -> None:
        if call(fd, offset, length, _SYNC_FILE_RANGE_WRITE) != 0:
            os.fdatasync(fd)

    return start


start_writeback = _start_writeback()


class BlobWriter(Protocol):
    """An upload in progress: bytes go in, hashed as they are written."""

    size: int

    def write(self, data: bytes | bytearray | memoryview) -> None: ...

    def commit(self) -> str:
        """Make the blob durable under its SHA-256 and return it (seal, then publish)."""
        ...

    def seal(self) -> str:
        """Make the bytes durable and return their SHA-256; nothing is visible under it yet."""
        ...

    def publish(self) -> bool:
        """Place the sealed blob under its address; False when those bytes were already stored."""
        ...

    def abort(self) -> None:
        """Forget everything written so far."""
        ...


# Checkable at run time: Litestar validates injected dependencies against their declared type.
@runtime_checkable
class AttachmentStore(Protocol):
    def writer(self) -> BlobWriter: ...

    def open(self, sha256: str) -> BinaryIO:
        """The blob for reading; FileNotFoundError when it is missing."""
        ...

    def size(self, sha256: str) -> int | None:
        """The blob's size, None when it is missing."""
        ...

    def rehash(self, sha256: str) -> str | None:
        """The SHA-256 of the bytes stored under this address now (None: missing)."""
        ...

    def discard_new(self, sha256: str) -> None:
        """Remove a blob just published by an upload whose row did not commit."""
        ...


class _LocalWriter:
    def __init__(self, store: LocalAttachmentStore) -> None:
        self._store = store
        self._tmp = store.tmp_dir / f"upload-{secrets.token_hex(12)}"
        self._file = open(self._tmp, "xb", buffering=0)  # noqa: SIM115 - closed in commit/abort
        self._hash = hashlib.sha256()
        self.size = 0
        self._unsynced = 0
        self._digest = ""

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._hash.update(data)
        view = memoryview(data)
        while view:
            written = self._file.write(view)
            view = view[written:] if written is not None else view
        self.size += len(data)
        self._unsynced += len(data)
        if self._unsynced >= SYNC_EVERY:
            start_writeback(self._file.fileno(), self.size - self._unsynced, self._unsynced)
            self._unsynced = 0

    def commit(self) -> str:
        digest = self.seal()
        self.publish()
        return digest

    def seal(self) -> str:
        self._digest = self._hash.hexdigest()
        try:
            os.fsync(self._file.fileno())  # evidence: it must survive a crash once we say it is stored
        finally:
            self._file.close()
        return self._digest

    def publish(self) -> bool:
        target = self._store.path(self._digest)
        if target.exists():
            self._tmp.unlink()  # the same bytes are already stored
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp.chmod(0o440)
        os.replace(self._tmp, target)
        return True

    def abort(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


class LocalAttachmentStore:
    """Blobs in a local directory (the default; `GONGSHI_DATA_DIR/attachments`)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def writer(self) -> BlobWriter:
        return _LocalWriter(self)

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path(sha256), "rb")

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def discard_new(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def rehash(self, sha256: str) -> str | None:
        try:
            with self.open(sha256) as f:
                return hashlib.file_digest(f, "sha256").hexdigest()  # type: ignore[arg-type]
        except FileNotFoundError:
            return None


def read_range(store: AttachmentStore, sha256: str, start: int, end: int) -> Iterator[bytes]:
    """Bytes [start, end] (inclusive) of a blob, in chunks, for streaming responses."""
    with store.open(sha256) as f:
        f.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = f.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def attachment_store(data_dir: str) -> LocalAttachmentStore:
    return LocalAttachmentStore(Path(data_dir) / "attachments")
