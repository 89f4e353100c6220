"""Multipart form fields the API reads by hand (an agency code it looks up, a file name an import
job keeps) refuse control characters: a 400 naming the field. A NUL reached PostgreSQL before, a
500 (SQLite stored it); query and path parameters have their own check in gongshi.json_body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from gongshi.core.context import Workflow
from gongshi.storage.credit_models import ImportJob
from tests.factories import AGENCY_A, token

DOCX = Path(__file__).resolve().parent.parent / "data" / "decisions" / "a-em-lq-0001.docx"


@pytest.mark.parametrize("char", ["\x00", "\x1b"])
@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/api/v1/imports", ("rows.csv", "文号,名称\n".encode())),
        ("/api/v1/documents:extract", ("decision.docx", DOCX.read_bytes())),
    ],
)
def test_an_agency_field_with_a_control_character_is_400(
    client: Any, wf: Workflow, path: str, file: tuple[str, bytes], char: str
) -> None:
    token(wf, "submitter")  # registers the agency
    resp = client.post(
        path, files={"file": file}, data={"agency": f"11340100MA{char}"}, headers=token(wf, "admin", None)
    )
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert (error["field"], error["code"]) == ("agency", "invalid_character")


@pytest.mark.parametrize("char", [b"\x00", b"\x1b"])
def test_an_import_file_name_with_a_control_character_is_refused(
    client: Any, wf: Workflow, char: bytes
) -> None:
    """The console's import job keeps the file name; the API's answer names the field."""
    from tests.internal_api.test_console import _login

    csrf = _login(client, wf).encode()
    token(wf, "submitter")  # registers the agency
    # Written by hand: HTTP clients percent-encode such names, an agency system may not.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n' + csrf + b"\r\n"
        b'--b\r\nContent-Disposition: form-data; name="agency"\r\n\r\n' + AGENCY_A["code"].encode() + b"\r\n"
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="rows' + char + b'.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + "文号,名称\n".encode() + b"\r\n--b--\r\n"
    )
    multipart = {"Content-Type": "multipart/form-data; boundary=b"}
    page = client.post("/console/imports", content=body, headers=multipart, follow_redirects=False)
    assert page.status_code == 200 and "控制字符" in page.text, page.text[-500:]
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportJob)) == 0
    api = client.post("/api/v1/imports", content=body, headers={**multipart, **token(wf, "submitter")})
    assert api.status_code == 400, api.text
    assert api.json()["error"]["field"] == "filename"
