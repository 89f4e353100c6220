"""Attachments: streamed upload, content addressing, size limit, ranged download."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import msgspec
import pytest

from gongshi.cases.store import LocalAttachmentStore
from gongshi.core.context import Workflow
from tests.cases.factories import add_entry, open_case, upload
from tests.factories import AGENCY_B, token


@pytest.fixture
def target(client: Any, wf: Any) -> tuple[dict[str, str], int, int]:
    h = token(wf, "submitter")
    c = open_case(client, h)
    e = add_entry(client, h, c["id"], "source")
    return h, c["id"], e["id"]


def test_upload_is_content_addressed_and_listed(client: Any, wf: Any, target: Any, settings: Any) -> None:
    h, case_id, entry_id = target
    content = bytes(range(256)) * 4096  # 1 MiB, crosses the 1 MiB write block
    r = upload(client, h, case_id, entry_id, content)
    assert r.status_code == 201, r.text
    out = r.json()
    digest = hashlib.sha256(content).hexdigest()
    assert (out["sha256"], out["size"], out["media_type"]) == (digest, len(content), "video/mp4")
    assert out["captured_at"] == "2026-11-02T01:05:00Z" and out["stored_at"].startswith("2026-11-25T02:00")
    path = Path(settings.data_dir) / "attachments" / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == content
    assert not list((Path(settings.data_dir) / "attachments" / "tmp").iterdir())
    got = client.get(f"/api/v1/cases/{case_id}", headers=h).json()
    assert got["entries"][0]["attachments"][0]["sha256"] == digest
    # The same upload again (a retry): the recorded attachment, not a second one.
    again = upload(client, h, case_id, entry_id, content)
    assert again.status_code == 200 and again.json()["id"] == out["id"]
    # The same bytes captured at another time: a second record, still one stored file.
    other = upload(client, h, case_id, entry_id, content, captured_at="2026-11-02T09:06:00+08:00")
    assert other.status_code == 201 and other.json()["sha256"] == digest


def test_bad_uploads_leave_nothing_behind(client: Any, wf: Any, target: Any, settings: Any) -> None:
    h, case_id, entry_id = target
    url = f"/api/v1/cases/{case_id}/entries/{entry_id}/attachments"
    r = client.post(url, files={"file": ("a.jpg", b"jpeg", "image/jpeg")}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "captured_at"
    r = upload(client, h, case_id, entry_id, captured_at="2026-11-02 09:05")
    assert r.status_code == 400 and r.json()["error"]["field"] == "captured_at"
    r = upload(client, h, case_id, entry_id, captured_at="2026-11-26T09:05:00+08:00")  # the clock is 11-25
    assert r.status_code == 422 and r.json()["error"]["field"] == "captured_at"
    r = client.post(url, data={"captured_at": "2026-11-02T09:05:00+08:00"}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["field"] == "file"
    r = client.post(url, json={"file": "x"}, headers=h)
    assert r.status_code == 400
    root = Path(settings.data_dir) / "attachments"
    assert [p for p in root.rglob("*") if p.is_file()] == []
    assert client.get(f"/api/v1/cases/{case_id}", headers=h).json()["entries"][0]["attachments"] == []


def test_upload_needs_a_case_and_entry_in_scope(client: Any, wf: Any, target: Any) -> None:
    h, case_id, entry_id = target
    assert upload(client, h, case_id, entry_id + 99).status_code == 404
    assert upload(client, token(wf, "submitter", AGENCY_B), case_id, entry_id).status_code == 404


def test_size_limit_is_a_413(settings: Any, wf: Any) -> None:
    from litestar.testing import TestClient

    from gongshi.internal_api import create_app

    small = msgspec.structs.replace(settings, max_attachment_bytes=1000)
    small_wf = Workflow(settings=small, db=wf.db, calendar=wf.calendar, clock=wf.clock)
    with TestClient(create_app(small, small_wf)) as client:
        h = token(wf, "submitter")
        c = open_case(client, h)
        e = add_entry(client, h, c["id"])
        r = upload(client, h, c["id"], e["id"], b"x" * 1001)
        assert r.status_code == 413
        assert r.json()["error"] == {
            "code": "too_large",
            "message": "附件超过大小上限 1000 字节",
            "field": "file",
        }
        assert upload(client, h, c["id"], e["id"], b"x" * 1000).status_code == 201
    # Larger than the app's general body limit is fine for attachments.
    assert settings.max_body_bytes < 64 * 1024 * 1024


def test_large_body_beyond_app_limit(client: Any, wf: Any, target: Any, settings: Any) -> None:
    h, case_id, entry_id = target
    content = b"v" * (settings.max_body_bytes + 1024)
    r = upload(client, h, case_id, entry_id, content)
    assert r.status_code == 201 and r.json()["size"] == len(content)


def test_download_with_ranges(client: Any, wf: Any, target: Any) -> None:
    h, case_id, entry_id = target
    content = bytes(range(256)) * 10
    out = upload(client, h, case_id, entry_id, content).json()
    base = f"/api/v1/cases/{case_id}/entries/{entry_id}/attachments"
    whole = client.get(f"{base}/{out['id']}", headers=h)
    assert whole.status_code == 200 and whole.content == content
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "video/mp4"
    part = client.get(f"{base}/{out['sha256']}", headers={**h, "Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == content[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(content)}"
    tail = client.get(f"{base}/{out['id']}", headers={**h, "Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.content == content[-5:]
    open_end = client.get(f"{base}/{out['id']}", headers={**h, "Range": "bytes=2550-"})
    assert open_end.content == content[2550:]
    bad = client.get(f"{base}/{out['id']}", headers={**h, "Range": f"bytes={len(content)}-"})
    assert bad.status_code == 416 and bad.headers["content-range"] == f"bytes */{len(content)}"
    assert bad.json()["error"]["code"] == "range_not_satisfiable"
    assert client.get(f"{base}/{'0' * 64}", headers=h).status_code == 404
    assert client.get(f"{base}/{out['id']}", headers=token(wf, "submitter", AGENCY_B)).status_code == 404


def test_store_writes_then_renames(tmp_path: Path) -> None:
    store = LocalAttachmentStore(tmp_path)
    w = store.writer()
    w.write(b"abc")
    assert next(p.name for p in tmp_path.rglob("*") if p.is_file()).startswith("upload-")
    digest = w.commit()
    assert digest == hashlib.sha256(b"abc").hexdigest() and store.rehash(digest) == digest
    aborted = store.writer()
    aborted.write(b"zzz")
    aborted.abort()
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [digest]
    assert store.rehash("f" * 64) is None
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


def test_late_storage_with_a_reason_is_justified(client: Any, wf: Any, target: Any) -> None:
    h, case_id, entry_id = target
    # Captured on 11-20; the clock says 11-25. Without a reason that is late (Art 17).
    late = upload(client, h, case_id, entry_id, b"a", captured_at="2026-11-20T09:00:00+08:00").json()
    justified = upload(
        client,
        h,
        case_id,
        entry_id,
        b"b",
        captured_at="2026-11-20T09:00:00+08:00",
        late_reason="在水上执法，无法及时存储",
        returned_at="2026-11-25T08:00:00+08:00",
    ).json()
    assert justified["late_reason"] == "在水上执法，无法及时存储"
    got = client.get(f"/api/v1/cases/{case_id}", headers=h).json()["compliance"]
    assert [i["attachment_id"] for i in got["issues"]] == [late["id"]]
    assert got["justified_late"] == [justified["id"]]


def test_the_app_uses_the_attachment_store_it_is_given(settings: Any, wf: Any, tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from gongshi.internal_api import create_app

    store = LocalAttachmentStore(tmp_path / "elsewhere")
    with TestClient(create_app(settings, wf, attachments=store)) as client:
        h = token(wf, "submitter")
        c = open_case(client, h)
        e = add_entry(client, h, c["id"])
        content = b"injected store" * 100
        out = upload(client, h, c["id"], e["id"], content).json()
        digest = hashlib.sha256(content).hexdigest()
        assert (tmp_path / "elsewhere" / digest[:2] / digest[2:4] / digest).read_bytes() == content
        assert not (Path(settings.data_dir) / "attachments" / digest[:2]).exists()
        url = f"/api/v1/cases/{c['id']}/entries/{e['id']}/attachments/{out['id']}"
        assert client.get(url, headers=h).content == content
        check = client.get(f"/api/v1/cases/{c['id']}/verify", headers=h).json()
        assert check["intact"] is True and check["files_checked"] == 1  # re-hashed from that store
