"""Running gongshi: the two servers (uvicorn factories), `up`, the worker and reindexing."""

from __future__ import annotations

import sys
from typing import Any

import click

from gongshi.cli.root import current_settings, main
from gongshi.settings import Settings


def internal_app() -> Any:
    """uvicorn factory for the internal API (reads settings when called, not at import)."""
    from gongshi.access_log import AccessLog, ensure_logging
    from gongshi.internal_api import create_app

    ensure_logging()
    return AccessLog(create_app(current_settings()), "internal")


def portal_app() -> Any:
    from gongshi.access_log import AccessLog, ensure_logging
    from gongshi.portal import create_app

    ensure_logging()
    return AccessLog(create_app(current_settings()), "portal")


@main.command()
@click.argument("which", type=click.Choice(["internal", "portal"]))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="默认 internal 8001，portal 8000")
@click.option("--workers", type=int, default=1, show_default=True)
def serve(which: str, host: str, port: int | None, workers: int) -> None:
    """Serve the internal API + console, or the public portal."""
    import uvicorn

    require_current_schema()

    port = port or (8001 if which == "internal" else 8000)
    uvicorn.run(
        f"gongshi.cli:{which}_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        **proxy_options(current_settings()),
    )


def require_current_schema() -> None:
    """Stop with a clear message, before serving anything, when the database lacks migrations."""
    from sqlalchemy.exc import SQLAlchemyError

    from gongshi.storage.db import missing_migrations

    url = current_settings().database_url
    try:
        missing = missing_migrations(url)
    except SQLAlchemyError as exc:  # the database is not reachable, or not a database
        raise click.ClickException(f"无法读取数据库结构版本 / cannot read the schema version: {exc}") from exc
    if missing:
        raise click.ClickException(
            "数据库结构不是最新，请先运行 gongshi db upgrade / the database lacks migrations "
            f"{', '.join(missing)}: run `gongshi db upgrade` first"
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

    require_current_schema()
    sys.exit(run_all(host, portal_port=portal_port, internal_port=internal_port))


@main.command()
@click.option("--once", is_flag=True, help="只运行一轮后退出")
def worker(once: bool) -> None:
    """Publish what is due, expire, redact new intake, drain the outbox, raise deadline alerts."""
    from gongshi.core.context import Workflow
    from gongshi.parties.notify import notifier_for
    from gongshi.worker import outbox_handlers, run_forever, run_once

    require_current_schema()
    settings = current_settings()
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

    settings = current_settings()
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
