"""Security headers on every internal answer, and attachments that cannot run script on our origin."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gongshi.auth.credentials import create_user
from gongshi.core.context import Workflow
from gongshi.internal_api.api.attachments import disposition
from tests.cases.factories import add_entry, open_case, upload
from tests.factories import token

TEMPLATES = Path(__file__).resolve().parents[2] / "gongshi" / "templates" / "console"


def _assert_page_headers(headers: Any) -> None:
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/console/login", "/console", "/nope", "/api/v1/decisions/1", "/api/v1/nope", "/healthz"]
)
def test_security_headers_on_every_answer(client: Any, path: str) -> None:
    _assert_page_headers(client.get(path, follow_redirects=False).headers)


def test_security_headers_on_api_answers_with_a_token(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    for resp in (
        client.get("/api/v1/deadlines", headers=h),
        client.post("/api/v1/decisions", json={}, headers=h),
    ):
        _assert_page_headers(resp.headers)


def test_static_files_may_be_cached_but_are_not_sniffed(client: Any) -> None:
    resp = client.get("/static/console.css")
    assert resp.status_code == 200
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in resp.headers["cache-control"]


def test_console_templates_have_no_inline_scripts_or_styles() -> None:
    # The console's CSP allows neither; a template that used one would break under it.
    templates = list(TEMPLATES.rglob("*.html"))
    assert len(templates) > 5
    for template in templates:
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert "style=" not in text and "<style" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template


@pytest.mark.parametrize(
    ("media_type", "inline"),
    [
        ("image/png", True),
        ("image/jpeg", True),
        ("video/mp4", True),
        ("audio/wav", True),
        ("application/pdf", True),
        ("image/svg+xml", False),
        ("text/html", False),
        ("application/xhtml+xml", False),
        ("text/xml", False),
        ("application/javascript", False),
        ("text/plain", False),
        ("application/octet-stream", False),
        ("multipart/x-mixed-replace", False),
        ("IMAGE/SVG+XML", False),
        ("image/png; charset=x", True),
        ("", False),
    ],
)
def test_only_media_that_cannot_run_script_is_inline(media_type: str, inline: bool) -> None:
    assert disposition(media_type) == ("inline" if inline else "attachment")


def _console_client(client: Any, wf: Workflow) -> None:
    with wf.db.write() as s:
        create_user(s, username="li", password="correct horse", role="admin", agency=None)
    page = client.get("/console/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert csrf
    ok = client.post(
        "/console/login",
        data={"username": "li", "password": "correct horse", "_csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert ok.status_code in (302, 303), ok.text


@pytest.mark.parametrize(
    ("media_type", "content"),
    [
        ("text/html", b"<script>fetch('/console').then(r=>r.text()).then(alert)</script>"),
        ("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        (
            "application/xhtml+xml",
            b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
        ),
    ],
)
def test_uploaded_script_is_served_as_a_sandboxed_download(
    client: Any, wf: Workflow, media_type: str, content: bytes
) -> None:
    """A submitter uploads HTML/SVG: the console and the API serve it as a download, never as a page."""
    h = token(wf, "submitter")
    case = open_case(client, h)
    entry = add_entry(client, h, case["id"])
    att = upload(client, h, case["id"], entry["id"], content, media_type=media_type).json()
    path = f"/cases/{case['id']}/entries/{entry['id']}/attachments/{att['id']}"
    _console_client(client, wf)
    for resp in (client.get("/console" + path), client.get("/api/v1" + path, headers=h)):
        assert resp.status_code == 200 and resp.content == content
        assert resp.headers["content-disposition"].startswith("attachment;")
        assert resp.headers["x-content-type-options"] == "nosniff"
        csp = resp.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
        assert "allow-scripts" not in csp and "allow-same-origin" not in csp
        assert resp.headers["cache-control"] == "private, no-store"


def test_a_photo_is_shown_inline_but_still_sandboxed(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    case = open_case(client, h)
    entry = add_entry(client, h, case["id"])
    att = upload(client, h, case["id"], entry["id"], b"\x89PNG\r\n\x1a\n", media_type="image/png").json()
    resp = client.get(f"/api/v1/cases/{case['id']}/entries/{entry['id']}/attachments/{att['id']}", headers=h)
    assert resp.headers["content-disposition"].startswith("inline;")
    assert resp.headers["content-type"] == "image/png"
    assert "sandbox" in resp.headers["content-security-policy"]
    assert resp.headers["x-content-type-options"] == "nosniff"
    # A range of it (video players seek) carries the same headers.
    part = client.get(
        f"/api/v1/cases/{case['id']}/entries/{entry['id']}/attachments/{att['id']}",
        headers={**h, "Range": "bytes=0-1"},
    )
    assert part.status_code == 206 and "sandbox" in part.headers["content-security-policy"]


def test_an_altered_file_is_never_served_whole(
    app: Any, client: Any, wf: Workflow, settings: Any, caplog: Any
) -> None:
    """Bytes changed on disk after upload: the download stops short of the end and the mismatch is logged."""
    from litestar.testing import TestClient

    h = token(wf, "submitter")
    case = open_case(client, h)
    entry = add_entry(client, h, case["id"])
    content = bytes(range(256)) * 8192  # 2 MiB: several chunks
    att = upload(client, h, case["id"], entry["id"], content).json()
    url = f"/api/v1/cases/{case['id']}/entries/{entry['id']}/attachments/{att['id']}"
    assert client.get(url, headers=h).content == content  # intact: served whole
    sha = att["sha256"]
    blob = Path(settings.data_dir) / "attachments" / sha[:2] / sha[2:4] / sha
    blob.write_bytes(content[:-1] + b"X")  # same size, last byte changed
    with TestClient(app, raise_server_exceptions=False) as quiet:
        resp = quiet.get(url, headers=h)
    assert len(resp.content) < len(content)
    assert resp.content == content[: len(resp.content)]
    assert "does not match its SHA-256" in caplog.text
