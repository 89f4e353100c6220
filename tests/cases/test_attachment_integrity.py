"""A blob exists only with its row: limits checked before any byte is stored, failures clean up.

PostgreSQL refused a file name over 500 characters with a 500 after the blob was written, and
SQLite stored it: the same limit now applies on both, before the upload is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from gongshi.cases.upload import MAX_FILENAME, MAX_MEDIA_TYPE
from gongshi.core.context import Workflow
from gongshi.storage.case_models import CaseAttachment
from tests.cases.factories import add_entry, open_case
from tests.factories import token

CAPTURED = "2026-11-02T09:05:00+08:00"


@pytest.fixture
def target(client: Any, wf: Workflow) -> tuple[dict[str, str], str]:
    h = token(wf, "submitter")
    c = open_case(client, h)
    e = add_entry(client, h, c["id"], "source")
    return h, f"/api/v1/cases/{c['id']}/entries/{e['id']}/attachments"


def _blobs(settings: Any) -> list[Path]:
    root = Path(settings.data_dir) / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file())


def _rows(wf: Workflow) -> int:
    with wf.db.read() as s:
        return s.scalar(select(func.count()).select_from(CaseAttachment)) or 0


def _post(client: Any, url: str, h: Any, filename: str, media_type: str = "video/mp4", **fields: str) -> Any:
    files = {"file": (filename, b"video-bytes" * 100, media_type)}
    return client.post(url, files=files, data={"captured_at": CAPTURED, **fields}, headers=h)


def test_the_longest_file_name_is_kept_whole(client: Any, wf: Workflow, target: Any) -> None:
    h, url = target
    name = "检" * (MAX_FILENAME - 4) + ".mp4"
    r = _post(client, url, h, name)
    assert r.status_code == 201, r.text
    with wf.db.read() as s:
        assert s.scalar(select(CaseAttachment.filename)) == name


@pytest.mark.parametrize(
    ("filename", "media_type", "fields", "field"),
    [
        ("检" * MAX_FILENAME + ".mp4", "video/mp4", {}, "filename"),
        ("a" * (MAX_FILENAME + 1), "video/mp4", {}, "filename"),
        ("ok.mp4", "video/" + "x" * MAX_MEDIA_TYPE, {}, "file"),
        ("ok.mp4", "video/mp4", {"late_reason": "山区\x07无信号"}, "late_reason"),
    ],
)
def test_unrecordable_uploads_are_400_and_store_nothing(
    client: Any,
    wf: Workflow,
    settings: Any,
    target: Any,
    filename: str,
    media_type: str,
    fields: Any,
    field: str,
) -> None:
    h, url = target
    r = _post(client, url, h, filename, media_type, **fields)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == field
    assert _blobs(settings) == []
    assert _rows(wf) == 0


@pytest.mark.parametrize("char", [b"\x01", b"\x1b", b"\x7f"])
def test_a_control_character_in_the_file_name_is_400(
    client: Any, wf: Workflow, settings: Any, target: Any, char: bytes
) -> None:
    h, url = target
    # Written by hand: HTTP clients percent-encode such names, an agency system may not.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="captured_at"\r\n\r\n' + CAPTURED.encode() + b"\r\n"
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="x' + char + b'.mp4"\r\n'
        b"Content-Type: video/mp4\r\n\r\nvideo-bytes\r\n--b--\r\n"
    )
    r = client.post(url, content=body, headers={**h, "Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400, r.text
    assert (r.json()["error"]["field"], r.json()["error"]["code"]) == ("filename", "invalid_character")
    assert _blobs(settings) == []
    assert _rows(wf) == 0


@pytest.fixture
def failing(request: pytest.FixtureRequest) -> Iterator[str]:
    """The database refuses the attachment row, at insert ("flush") or at commit ("commit")."""
    stage: str = request.param

    def refuse(session: Session, *_: Any) -> None:
        pending = [*session.new, *session.identity_map.values()]
        if any(isinstance(o, CaseAttachment) for o in pending):
            raise RuntimeError(f"the database refused the row at {stage}")

    name = "before_flush" if stage == "flush" else "before_commit"
    event.listen(Session, name, refuse)
    yield stage
    event.remove(Session, name, refuse)


@pytest.mark.parametrize("failing", ["flush", "commit"], indirect=True)
def test_a_row_that_fails_leaves_no_blob(
    client: Any, wf: Workflow, settings: Any, target: Any, failing: str
) -> None:
    h, url = target
    r = _post(client, url, h, "inspection.mp4")
    assert r.status_code == 500
    assert _rows(wf) == 0
    assert _blobs(settings) == []


def test_a_failed_row_keeps_a_blob_another_row_records(
    client: Any, wf: Workflow, settings: Any, target: Any
) -> None:
    h, url = target
    assert _post(client, url, h, "first.mp4").status_code == 201
    [blob] = _blobs(settings)

    def refuse(session: Session, *_: Any) -> None:
        if any(
            isinstance(o, CaseAttachment) and o.filename == "second.mp4"
            for o in session.identity_map.values()
        ):
            raise RuntimeError("the database refused the row at commit")

    event.listen(Session, "before_commit", refuse)
    try:
        files = {"file": ("second.mp4", b"video-bytes" * 100, "video/mp4")}
        other_time = {"captured_at": "2026-11-02T10:05:00+08:00"}
        assert client.post(url, files=files, data=other_time, headers=h).status_code == 500
    finally:
        event.remove(Session, "before_commit", refuse)
    assert _blobs(settings) == [blob]
    assert _rows(wf) == 1
