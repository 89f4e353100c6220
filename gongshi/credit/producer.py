"""Row producers: other processes build an export's rows while the exporting process writes the file.

Building a row (fetch, decode, map, validate, leak gate) is most of an export's CPU and writing the
workbook the rest, so on PostgreSQL a large export hands the building to producer processes
(`python -m gongshi.credit.producer`) and only writes. Each producer joins the exporting
transaction's snapshot (pg_export_snapshot / SET TRANSACTION SNAPSHOT), so it reads exactly what
the exporting process would have read. Batch k of the candidate ids goes to producer k mod n and
comes back in that order, so the file is the one the serial path writes, row for row.

The pipes carry length-prefixed frames: to the producer its spec (pickled: our own process wrote it)
and then its batches of ids; from it one frame per batch ("R" + the built rows), "D" when done, or
"E" + the traceback when it failed. A failed or vanished producer fails the export: the caller
writes nothing more, records no export and raises ExportFailed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import re
import resource
import struct
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, NoReturn

import msgspec

from gongshi.credit.candidates import BuiltRow, RowContext, batches, build_batch, fetch
from gongshi.errors import GongshiError

log = logging.getLogger("gongshi.credit")
_HEADER = struct.Struct("!cI")
_SNAPSHOT = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")
_built = msgspec.msgpack.Decoder(list[BuiltRow])
_ids = msgspec.msgpack.Decoder(list[list[int]])


class ProducerStats(msgspec.Struct, frozen=True):
    """What one producer used: CPU seconds (user + system) and its peak resident memory."""

    cpu_seconds: float
    peak_rss_mb: float


_stats = msgspec.msgpack.Decoder(ProducerStats)


class ExportFailed(GongshiError):
    status = 500
    code = "export_failed"


def _send(out: IO[bytes], kind: bytes, payload: bytes = b"") -> None:
    out.write(_HEADER.pack(kind, len(payload)))
    out.write(payload)
    out.flush()


def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    data = stream.read(n)
    return data if len(data) == n else None


def _receive(stream: IO[bytes]) -> tuple[bytes, bytes] | None:
    """The next frame, or None when the other side closed the pipe."""
    header = _read_exact(stream, _HEADER.size)
    if header is None:
        return None
    kind, size = _HEADER.unpack(header)
    payload = _read_exact(stream, size) if size else b""
    return None if payload is None else (kind, payload)


class Producers:
    """`count` producer processes for one export; use as a context manager (it stops them on exit)."""

    def __init__(self, database_url: str, snapshot: str, ctx: RowContext, count: int) -> None:
        spec = pickle.dumps((database_url, snapshot, ctx))
        # `-m` puts the working directory first on sys.path: the producers run this very code.
        root = Path(__file__).resolve().parents[2]
        self._procs: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self.stats: list[ProducerStats] = []
        try:
            for _ in range(count):
                errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
                proc = subprocess.Popen(
                    [sys.executable, "-m", "gongshi.credit.producer"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    cwd=root,
                )
                self._procs.append((proc, errors))
                assert proc.stdin is not None
                _send(proc.stdin, b"S", spec)  # they start up while the caller picks the ids
        except BaseException:
            self.close()
            raise

    @property
    def pids(self) -> list[int]:
        return [p.pid for p, _ in self._procs]

    def rows(self, ids: list[int]) -> Iterator[BuiltRow]:
        """The built rows of `ids`, in order."""
        work = batches(ids)
        n = len(self._procs)
        for i, (proc, _) in enumerate(self._procs):
            assert proc.stdin is not None
            try:
                _send(proc.stdin, b"I", msgspec.msgpack.encode(work[i::n]))
                proc.stdin.close()
            except OSError:
                pass  # it is gone: reading its output reports why
        for k in range(len(work)):
            yield from self._next(k % n)
        for i in range(n):
            self._finish(i)

    def _next(self, i: int) -> list[BuiltRow]:
        proc, _ = self._procs[i]
        assert proc.stdout is not None
        frame = _receive(proc.stdout)
        if frame is not None and frame[0] == b"R":
            return _built.decode(frame[1])
        self._fail(i, frame)

    def _finish(self, i: int) -> None:
        proc, _ = self._procs[i]
        assert proc.stdout is not None
        frame = _receive(proc.stdout)
        if frame is None or frame[0] != b"D" or proc.wait() != 0:
            self._fail(i, frame)
        self.stats.append(_stats.decode(frame[1]))

    def _fail(self, i: int, frame: tuple[bytes, bytes] | None) -> NoReturn:
        proc, errors = self._procs[i]
        if frame is not None and frame[0] == b"E":
            detail = frame[1].decode("utf-8", "replace")
        else:
            if proc.stdout is not None:
                proc.stdout.close()
            code = proc.wait()
            errors.seek(0)
            detail = f"exit status {code}; " + errors.read()[-4000:].decode("utf-8", "replace")
        log.error("export producer %d (pid %d) failed: %s", i, proc.pid, detail.strip())
        raise ExportFailed("导出失败：生成导出行的子进程出错，未写出文件，也未记录本次导出（详情见服务日志）")

    def close(self) -> None:
        for proc, errors in self._procs:
            if proc.poll() is None:
                proc.kill()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    # A producer that died leaves its batch list in the buffer: nobody will read it.
                    with contextlib.suppress(BrokenPipeError):
                        pipe.close()
            proc.wait()
            errors.close()
        self._procs = []

    def __enter__(self) -> Producers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _produce(
    database_url: str, snapshot: str, ctx: RowContext, work: list[list[int]], out: IO[bytes]
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if not _SNAPSHOT.fullmatch(snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin(), ThreadPoolExecutor(1) as fetcher:
                # The first statement of the transaction: from here on it sees the exporter's snapshot.
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                # The next batch is fetched while this one is built: the database works meanwhile.
                ahead = fetcher.submit(fetch, conn, work[0]) if work else None
                for k in range(len(work)):
                    assert ahead is not None
                    rows = ahead.result()
                    ahead = fetcher.submit(fetch, conn, work[k + 1]) if k + 1 < len(work) else None
                    _send(out, b"R", msgspec.msgpack.encode(build_batch(ctx, rows)))
    finally:
        engine.dispose()


def main() -> None:
    """The producer process: spec and ids on stdin, frames on stdout (stray prints go to stderr)."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    try:
        spec_frame, ids_frame = _receive(inp), _receive(inp)
        if spec_frame is None or ids_frame is None:
            return  # the exporter stopped before sending the work
        database_url, snapshot, ctx = pickle.loads(spec_frame[1])
        _produce(database_url, snapshot, ctx, _ids.decode(ids_frame[1]), out)
    except BrokenPipeError:
        sys.exit(1)  # the exporter is gone
    except BaseException:
        _send(out, b"E", traceback.format_exc().encode())
        sys.exit(1)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats = ProducerStats(usage.ru_utime + usage.ru_stime, _peak_rss_kb() / 1024)
    _send(out, b"D", msgspec.msgpack.encode(stats))


def _peak_rss_kb() -> int:
    """This process's peak resident memory since exec (ru_maxrss also holds the forking parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
