"""The embedded index's directory: the writer lock, the version file naming the index, the aside copy."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Final

import tantivy

from gongshi.search.base import SearchError, WriterBusy
from gongshi.search.tantivy_documents import SCHEMA_VERSION

_VERSION_FILE: Final = "gongshi-search.json"
# Beside the index directory: the writer lock, and where a broken index is moved before a rebuild.
_LOCK_SUFFIX: Final = ".lock"
_ASIDE_SUFFIX: Final = ".broken"

# (instance id, device, inode) of the version file: tells one index in the directory from the next.
Identity = tuple[str, int, int]


class IndexDirectory:
    """One index directory and the files beside it; the writer lock is held from `take_lock` on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_fd: int | None = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + _LOCK_SUFFIX)

    @property
    def aside_path(self) -> Path:
        """Where a broken index is moved before it is rebuilt (one copy, for inspection)."""
        return self.path.with_name(self.path.name + _ASIDE_SUFFIX)

    def take_lock(self) -> None:
        if self._lock_fd is not None:
            return
        path = self.lock_path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise WriterBusy(
                f"another process (pid {holder or '?'}) writes the search index {self.path}; it holds {path}"
            ) from None
        # The holder's pid, for the message above; the lock itself is the flock, released on exit.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def set_aside(self) -> None:
        aside = self.aside_path
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(self.path, aside)

    def create(self, schema: tantivy.Schema) -> None:
        """Replace whatever index the directory holds with an empty one under a new instance id."""
        if self.path.exists() and any(self.path.iterdir()):
            if not (self.path / "meta.json").exists() and not (self.path / _VERSION_FILE).exists():
                raise SearchError(f"{self.path} is not a search index; refusing to delete its contents")
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        tantivy.Index(schema, path=str(self.path), reuse=False)
        version = {"schema_version": SCHEMA_VERSION, "instance": uuid.uuid4().hex}
        tmp = self.path / f"{_VERSION_FILE}.tmp"
        tmp.write_text(json.dumps(version))
        os.replace(tmp, self.path / _VERSION_FILE)

    def version(self) -> tuple[int | None, Identity | None]:
        """The schema version and the identity (instance id, device, inode) of the index in the directory."""
        try:
            with open(self.path / _VERSION_FILE, "rb") as fh:
                st = os.fstat(fh.fileno())
                meta = json.loads(fh.read())
        except (OSError, ValueError):
            return None, None
        if not isinstance(meta, dict):
            return None, None
        # Indexes made before the instance id existed are told apart by the version file's inode only.
        return meta.get("schema_version"), (str(meta.get("instance", "")), st.st_dev, st.st_ino)

    def identity(self) -> Identity | None:
        return self.version()[1]

    def version_ok(self) -> bool:
        version, _identity = self.version()
        return version == SCHEMA_VERSION and tantivy.Index.exists(str(self.path))

    def meta_stat(self) -> tuple[int, int, int] | None:
        try:
            st = (self.path / "meta.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def meta_readable(self) -> bool:
        """Whether meta.json parses as tantivy's segment list (a cheap check that it is not corrupt)."""
        try:
            meta = json.loads((self.path / "meta.json").read_bytes())
        except (OSError, ValueError):
            meta = None
        return isinstance(meta, dict) and "segments" in meta
