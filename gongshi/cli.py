"""The `gongshi` command: database, tokens, users, servers, worker, redaction, calendar, demo data."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from gongshi.redaction import segment
from gongshi.settings import Settings, cache_dir_of, load_settings


def _settings() -> Settings:
    return load_settings()


@click.group()
def main() -> None:
    """gongshi — 行政执法公示与全过程记录."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply Alembic migrations to GONGSHI_DATABASE_URL."""
    from gongshi.storage.db import upgrade

    settings = _settings()
    upgrade(settings.database_url, revision)
    click.echo(f"database at {revision}: {_safe_url(settings.database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _agency(session: Any, code: str | None, *, create: bool) -> Any:
    from sqlalchemy import select

    from gongshi.publication.intake import region_of
    from gongshi.storage.models import Agency

    if not code:
        return None
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        if not create:
            raise click.ClickException(f"机关 {code} 不存在")
        agency = Agency(
            code=code, name=code, region=region_of(code), profile={}, created_at=datetime.now(UTC)
        )
        session.add(agency)
        session.flush()
    return agency


@main.group()
def agency() -> None:
    """Agencies."""


@agency.command("add")
@click.option("--code", required=True, help="统一社会信用代码")
@click.option("--name", required=True)
@click.option("--region", default=None, help="6 位行政区划代码（默认取自信用代码）")
def agency_add(code: str, name: str, region: str | None) -> None:
    from gongshi.storage.db import Database

    database = Database(_settings().database_url)
    with database.write() as session:
        a = _agency(session, code, create=True)
        a.name = name
        if region:
            a.region = region
    click.echo(f"agency {code}: {name}")


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(["submitter", "reviewer", "head", "admin"]))
@click.option("--agency", "agency_code", default=None, help="机关代码（admin 以外必填）")
@click.option("--name", default="", help="用途说明")
def token_create(role: str, agency_code: str | None, name: str) -> None:
    """Create a token; it is printed once, as the last line."""
    from gongshi.auth.credentials import create_token
    from gongshi.errors import GongshiError
    from gongshi.storage.db import Database

    database = Database(_settings().database_url)
    try:
        with database.write() as session:
            value = create_token(
                session, role=role, agency=_agency(session, agency_code, create=True), name=name
            )
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"created {role} token{' for ' + agency_code if agency_code else ''}; "
        "store it now, it is not shown again:"
    )
    click.echo(value)


@token.command("revoke")
@click.argument("token_or_id")
def token_revoke(token_or_id: str) -> None:
    """Revoke a token (its number or the token itself); refused from the next request on."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from gongshi.auth.credentials import hash_token, revoke_token
    from gongshi.errors import GongshiError
    from gongshi.storage.db import Database
    from gongshi.storage.models import ApiToken

    database = Database(_settings().database_url)
    try:
        with database.write() as session:
            if token_or_id.isdigit():
                token_id = int(token_or_id)
            else:
                found = session.scalar(
                    select(ApiToken.id).where(ApiToken.token_hash == hash_token(token_or_id))
                )
                if found is None:
                    raise click.ClickException("没有这个令牌")
                token_id = found
            row = revoke_token(session, token_id, datetime.now(UTC))
            click.echo(f"token {row.id} ({row.role}) revoked")
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc


@main.group()
def user() -> None:
    """Console users."""


@user.command("disable")
@click.argument("username")
def user_disable(username: str) -> None:
    """Disable a console user; their open sessions end at once."""
    from datetime import UTC, datetime

    from gongshi.auth.credentials import find_user
    from gongshi.auth.sessions import close_all
    from gongshi.errors import GongshiError
    from gongshi.storage.db import Database

    database = Database(_settings().database_url)
    try:
        with database.write() as session:
            found = find_user(session, username)
            found.disabled_at = found.disabled_at or datetime.now(UTC)
            ended = close_all(session, found.id)
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"user {username} disabled; {ended} open session(s) ended")


@user.command("create")
@click.option("--username", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", required=True, type=click.Choice(["submitter", "reviewer", "head", "admin"]))
@click.option("--agency", "agency_code", default=None)
@click.option("--display-name", default="")
def user_create(username: str, password: str, role: str, agency_code: str | None, display_name: str) -> None:
    from gongshi.auth.credentials import create_user
    from gongshi.errors import GongshiError
    from gongshi.storage.db import Database

    database = Database(_settings().database_url)
    try:
        with database.write() as session:
            create_user(
                session,
                username=username,
                password=password,
                role=role,
                agency=_agency(session, agency_code, create=True),
                display_name=display_name,
            )
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"user {username} ({role}) created")


def internal_app() -> Any:
    """uvicorn factory for the internal API (reads settings when called, not at import)."""
    from gongshi.access_log import AccessLog, ensure_logging
    from gongshi.internal_api import create_app

    ensure_logging()
    return AccessLog(create_app(_settings()), "internal")


def portal_app() -> Any:
    from gongshi.access_log import AccessLog, ensure_logging
    from gongshi.portal import create_app

    ensure_logging()
    return AccessLog(create_app(_settings()), "portal")


@main.command()
@click.argument("which", type=click.Choice(["internal", "portal"]))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="默认 internal 8001，portal 8000")
@click.option("--workers", type=int, default=1, show_default=True)
def serve(which: str, host: str, port: int | None, workers: int) -> None:
    """Serve the internal API + console, or the public portal."""
    import uvicorn

    port = port or (8001 if which == "internal" else 8000)
    uvicorn.run(
        f"gongshi.cli:{which}_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        **proxy_options(_settings()),
    )


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's X-Forwarded-For/-Proto handling: only from GONGSHI_TRUSTED_PROXIES, else from nobody.

    The client address decides the portal's rate limits and the console's login throttling; a client
    that could name its own address would escape both.
    """
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(settings.trusted_proxies)}


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--portal-port", type=int, default=8000, show_default=True)
@click.option("--internal-port", type=int, default=8001, show_default=True)
def up(host: str, portal_port: int, internal_port: int) -> None:
    """Run the internal API, the portal and the worker together (what `make run` does)."""
    from gongshi.up import run_all

    sys.exit(run_all(host, portal_port=portal_port, internal_port=internal_port))


@main.command()
@click.option("--once", is_flag=True, help="只运行一轮后退出")
def worker(once: bool) -> None:
    """Publish what is due, expire, redact new intake, drain the outbox, raise deadline alerts."""
    from gongshi.core.context import Workflow
    from gongshi.parties.notify import notifier_for
    from gongshi.worker import outbox_handlers, run_forever, run_once

    settings = _settings()
    wf = Workflow.create(settings)
    # What the worker talks to, built once from the settings: the search writer and the e-mail sender.
    handlers, sender = outbox_handlers(wf), notifier_for(settings)
    if once:
        click.echo(run_once(wf, handlers(), sender=sender))
    else:
        run_forever(wf, handlers, sender=sender)


@main.command()
@click.option(
    "--wait",
    "wait_seconds",
    default=120.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="交给运行中的 worker 重建时最多等待的秒数（0：不等待）",
)
def reindex(wait_seconds: float) -> None:
    """Rebuild the search index from the published read model (the database is the source of truth).

    A missing or corrupt index is moved aside and rebuilt. When a running worker holds the index's
    writer lock, the rebuild is handed to that worker (through the outbox) and waited for.
    """
    from gongshi.core.context import Workflow
    from gongshi.search import SearchError, WriterBusy, indexer

    settings = _settings()
    wf = Workflow.create(settings)
    try:
        engine = indexer.engine_for(settings, writer=True)
    except WriterBusy as exc:
        # A running worker holds the embedded index's only writer; let it rebuild.
        click.echo(f"worker 正在写入检索索引，已请它重建 / handed the rebuild to the running worker ({exc})")
        _await_worker_reindex(wf, wait_seconds)
        return
    except (SearchError, OSError, ValueError) as exc:
        raise click.ClickException(f"无法打开检索索引，未重建 / cannot open the search index: {exc}") from exc
    try:
        count = indexer.reindex(wf, engine)
    except (SearchError, OSError, ValueError) as exc:
        raise click.ClickException(
            f"检索索引重建失败，原索引保持不变 / reindex failed, the index is unchanged: {exc}"
        ) from exc
    finally:
        engine.close()
    click.echo(
        f"检索索引已从数据库重建：{count} 条公示 / reindexed {count} published disclosures ({engine.name})"
    )


def _await_worker_reindex(wf: Any, wait_seconds: float) -> None:
    """Queue a rebuild request for the worker and wait until it has been carried out."""
    import time

    from gongshi.core import outbox
    from gongshi.storage.models import OutboxEvent

    with wf.db.write() as session:
        event = OutboxEvent(**outbox.row(outbox.SEARCH_REINDEX, "all", wf.clock()))
        session.add(event)
        session.flush()
        event_id = event.id
    if wait_seconds <= 0:
        click.echo("已排队，worker 下一轮执行 / queued for the worker's next pass")
        return
    deadline = time.monotonic() + wait_seconds
    last_error = None
    while time.monotonic() < deadline:
        time.sleep(0.2)
        with wf.db.read() as session:
            row = session.get(OutboxEvent, event_id)
            done, last_error = (row.processed_at is not None, row.last_error) if row else (True, None)
        if done:
            click.echo("worker 已从数据库重建检索索引 / the worker rebuilt the search index")
            return
    detail = f"；最近一次错误 / last error: {last_error}" if last_error else ""
    raise click.ClickException(
        f"worker 在 {wait_seconds:g} 秒内未完成重建，请求仍在队列中 / "
        f"the worker has not rebuilt the index within {wait_seconds:g} s; the request stays queued{detail}"
    )


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

    wf = Workflow.create(_settings())
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

    click.echo(format_year(load_calendar(Database(_settings().database_url)), year))


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
@click.option("--count", default=300, show_default=True)
@click.option("--seed", default=20261125, show_default=True)
def demo_load(count: int, seed: int) -> None:
    """Load demo agencies, users and decisions in every state (idempotent)."""
    from gongshi.demo import load_demo

    for line in load_demo(_settings(), count=count, seed=seed):
        click.echo(line)


def _register_feature_commands() -> None:
    from gongshi.credit.cli import export_group, import_command

    main.add_command(export_group)
    main.add_command(import_command)


_register_feature_commands()

if __name__ == "__main__":
    main()
