"""Data commands: migrations, redacting a file, the work calendar, demo data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from gongshi.cli.root import current_settings, main
from gongshi.redaction import segment
from gongshi.settings import cache_dir_of


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply Alembic migrations to GONGSHI_DATABASE_URL."""
    from gongshi.storage.db import upgrade

    settings = current_settings()
    upgrade(settings.database_url, revision)
    click.echo(f"database at {revision}: {_safe_url(settings.database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
def redact(file: Any) -> None:
    """Redact intake objects (JSON Lines, stdin when no FILE) to JSON Lines on stdout."""
    from gongshi.redaction.jsonl import redact_stream

    segment.use_cache_dir(cache_dir_of())  # no database or data dir needed here
    errors = redact_stream(file, sys.stdout)
    if errors:
        click.echo(f"{errors} 行无法处理", err=True)
        sys.exit(1)


@main.group()
def calendar() -> None:
    """Working-day calendar (State Council holiday schedule)."""


@calendar.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def calendar_load(file: Path) -> None:
    """Load an official holiday schedule (JSON) for a year; provisional deadlines are recomputed."""
    from gongshi.core.context import Workflow
    from gongshi.publication.calendar_admin import load_schedule

    wf = Workflow.create(current_settings())
    try:
        year, days, updated = load_schedule(wf, file.read_text(encoding="utf-8"), source=file.name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{year} 年放假安排已载入（{days} 个调整日），重新计算了 {updated} 个暂定期限")


@calendar.command("show")
@click.argument("year", type=int)
def calendar_show(year: int) -> None:
    """Print a year's working-day calendar as gongshi uses it."""
    from gongshi.core.calendar_store import load_calendar
    from gongshi.domain.workdays import format_year
    from gongshi.storage.db import Database

    click.echo(format_year(load_calendar(Database(current_settings().database_url)), year))


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
@click.option("--count", default=300, show_default=True)
@click.option("--seed", default=20261125, show_default=True)
def demo_load(count: int, seed: int) -> None:
    """Load demo agencies, users and decisions in every state (idempotent)."""
    from gongshi.demo import load_demo

    for line in load_demo(current_settings(), count=count, seed=seed):
        click.echo(line)
