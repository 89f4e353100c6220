"""Fixtures: a fresh database per test on SQLite and (when configured) PostgreSQL, apps, tokens, clocks."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gongshi.core.context import Workflow
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.storage.models import Base

PG_ENV = "GONGSHI_TEST_POSTGRES_URL"


def _backends() -> list[str]:
    backends = ["sqlite"]
    if os.environ.get(PG_ENV):
        backends.append("postgres")
    elif os.environ.get("CI"):
        raise pytest.UsageError(f"CI must test PostgreSQL: set {PG_ENV}")
    return backends


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (much faster than migrating per test)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, migrated once."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    name = f"gongshi_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "gongshi.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=str(tmp_path), secret_key="test-secret-" + "x" * 20)


class Clock:
    """A settable clock for the workflow (UTC)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    # 10:00 in Shanghai on Wednesday 2026-11-25.
    return Clock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))


@pytest.fixture
def wf(settings: Settings, clock: Clock) -> Iterator[Workflow]:
    workflow = Workflow.create(settings)
    workflow.clock = clock
    yield workflow
    workflow.db.dispose()


@pytest.fixture
def app(settings: Settings, wf: Workflow) -> Any:
    from gongshi.internal_api import create_app

    return create_app(settings, wf)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    with TestClient(app) as c:
        yield c
