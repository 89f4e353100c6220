"""Both servers log one line per request: method, path, query parameter names, status, duration.

Nothing personal: no query values (a search term is often a name), no tracking numbers, no client
address, no Authorization header.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from gongshi.access_log import AccessLog
from gongshi.core.context import Workflow
from gongshi.settings import Settings
from tests.factories import token

LINE = re.compile(r"^(portal|internal) (GET|POST|PUT|HEAD) (\S+) (\d{3}) \d+\.\dms$")


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def access_lines() -> Iterator[list[str]]:
    """The access log's lines (a handler on its logger: the apps reconfigure the root logger)."""
    logger, keep = logging.getLogger("gongshi.access"), _Keep()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(keep)
    yield keep.lines
    logger.removeHandler(keep)
    logger.setLevel(level)


def test_portal_logs_each_request_without_personal_data(
    settings: Settings, wf: Workflow, access_lines: list[str]
) -> None:
    from gongshi.portal import create_app

    with TestClient(AccessLog(create_app(settings, wf), "portal")) as client:  # type: ignore[arg-type]
        assert client.get("/stats", params={"year": "2026", "agency": "张三丰"}).status_code == 400
        client.get("/requests/GS2026ABCDEFGH", params={"code": "secret-access-code"})
        client.get("/no-such-page")
    lines = access_lines
    assert len(lines) == 3, lines
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0].startswith("portal GET /stats?agency&year 400 ")
    assert lines[1].startswith("portal GET /requests/{tracking_no}?code ")
    assert lines[2].startswith("portal GET /no-such-page 404 ")
    text = "\n".join(lines)
    for secret in ("张三丰", "GS2026ABCDEFGH", "secret-access-code", "testclient", "127.0.0.1"):
        assert secret not in text


def test_internal_logs_each_request_without_the_token(
    settings: Settings, wf: Workflow, access_lines: list[str]
) -> None:
    from gongshi.internal_api import create_app

    headers = token(wf, "admin", None)
    with TestClient(AccessLog(create_app(settings, wf), "internal")) as client:  # type: ignore[arg-type]
        assert client.get("/api/v1/deadlines", headers=headers).status_code == 200
        assert client.post("/api/v1/decisions", content=b"{}", headers=headers).status_code >= 400
        assert client.get("/api/v1/decisions", headers={"Authorization": "Bearer wrong"}).status_code == 401
    lines = access_lines
    assert lines[0].startswith("internal GET /api/v1/deadlines 200 ")
    assert lines[1].startswith("internal POST /api/v1/decisions 4")
    assert lines[2].startswith("internal GET /api/v1/decisions 401 ")
    assert headers["Authorization"].split()[1] not in "\n".join(lines)
