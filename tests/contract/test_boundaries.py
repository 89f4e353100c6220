"""Inputs at the edges answer 4xx in the one error shape, never 500 (issue 14 items 6 and 7)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from gongshi.core.context import Workflow
from gongshi.portal import ratelimit
from gongshi.settings import Settings
from tests.factories import token

BIG = str(2**63)  # one past the largest id the database can hold
SMALL = str(-(2**63) - 1)
DEEP = b"[" * 100_000 + b"]" * 100_000


def _error(response: Any, status: int, code: str | None = None, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "field"}
    if code:
        assert error["code"] == code
    if field:
        assert error["field"] == field


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/decisions/{n}"),
        ("GET", "/api/v1/decisions/{n}/audit"),
        ("POST", "/api/v1/decisions/{n}/approve"),
        ("POST", "/api/v1/decisions/{n}/ruling"),
        ("GET", "/api/v1/cases/{n}"),
        ("GET", "/api/v1/cases/{n}/verify"),
        ("GET", "/api/v1/cases/1/entries/{n}/attachments/1"),
        ("GET", "/api/v1/requests/access/{n}"),
        ("POST", "/api/v1/requests/access/{n}/check"),
        ("GET", "/api/v1/requests/corrections/{n}"),
        ("GET", "/api/v1/requests/corrections/1/files/{n}"),
        ("GET", "/api/v1/agencies/11340100MB0000000X/reports/{n}"),
    ],
)
@pytest.mark.parametrize("n", [BIG, SMALL])
def test_integer_path_parameters_beyond_64_bits_are_404(
    client: Any, wf: Workflow, method: str, path: str, n: str
) -> None:
    headers = token(wf, "admin", agency=None)
    response = client.request(
        method, path.format(n=n), headers=headers, json={} if method == "POST" else None
    )
    _error(response, 404, "not_found")


@pytest.mark.parametrize("path", ["/api/v1/decisions", "/api/v1/cases"])
def test_integer_query_parameters_beyond_64_bits_are_400(client: Any, wf: Workflow, path: str) -> None:
    response = client.get(path, params={"after_id": BIG}, headers=token(wf, "admin", agency=None))
    _error(response, 400, field="after_id")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/decisions/1/withdraw",
            {"reason": "revoked", "explanation": "复议机关已撤销原决定", "superseded_by": 2**63},
            "superseded_by",
        ),
        ("/api/v1/cases/1/decisions", {"decision_id": 2**63}, "decision_id"),
        ("/api/v1/cases/1/entries", {"type": "other", "corrects": 2**64, "reason": "更正"}, "corrects"),
    ],
)
def test_id_fields_beyond_64_bits_are_400(
    client: Any, wf: Workflow, path: str, body: dict[str, Any], field: str
) -> None:
    response = client.post(path, json=body, headers=token(wf, "admin", agency=None))
    _error(response, 400, field=field)


@pytest.mark.parametrize("body", [DEEP, b'{"items": [' + DEEP + b"]}"])
def test_deeply_nested_json_to_the_batch_is_400_invalid_json(client: Any, wf: Workflow, body: bytes) -> None:
    headers = {**token(wf, "admin", agency=None), "Content-Type": "application/json"}
    _error(client.post("/api/v1/decisions:batch", content=body, headers=headers), 400, "invalid_json")


@pytest.mark.parametrize(
    "path", ["/api/v1/decisions", "/api/v1/decisions/1/approve", "/api/v1/cases", "/api/v1/cases/1/entries"]
)
@pytest.mark.parametrize("body", [DEEP, b'{"title": ' + DEEP + b"}", b'{"note": ' + DEEP + b"}"])
def test_deeply_nested_json_elsewhere_is_400(client: Any, wf: Workflow, path: str, body: bytes) -> None:
    """A typed body is refused at the first value of the wrong type, before the depth matters."""
    headers = {**token(wf, "admin", agency=None), "Content-Type": "application/json"}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] in ("invalid_json", "invalid_field")


@pytest.fixture
def portal(settings: Settings, wf: Workflow) -> Any:
    from gongshi.portal import create_app

    off = {name: ratelimit.Limit(rate=0, burst=0) for name in ratelimit.DEFAULT_LIMITS}
    with TestClient(create_app(settings, wf, rate_limits=off)) as c:
        yield c


def test_portal_integer_path_parameters_beyond_64_bits_are_404(portal: Any) -> None:
    for n in (BIG, SMALL):
        _error(portal.get(f"/api/public/v1/agencies/11340100MB0000000X/reports/{n}"), 404)


@pytest.mark.parametrize("path", ["/api/public/v1/requests/access", "/api/public/v1/requests/correction"])
def test_portal_deeply_nested_json_is_400(portal: Any, path: str) -> None:
    response = portal.post(path, content=DEEP, headers={"Content-Type": "application/json"})
    _error(response, 400)
    assert response.json()["error"]["code"] in ("invalid_json", "invalid_field")


@pytest.mark.parametrize(
    "path",
    ["/console/decisions/{n}", "/console/cases/{n}", "/console/imports/{n}"],
)
@pytest.mark.parametrize("n", [BIG, SMALL])
def test_console_integer_path_parameters_beyond_64_bits_are_404(
    client: Any, wf: Workflow, path: str, n: str
) -> None:
    # The console router has its own before-request chain; it must still refuse ids no row can have.
    from tests.internal_api.test_console import _login

    _login(client, wf)
    assert client.get(path.format(n=n), follow_redirects=False).status_code == 404
