"""Accounts: agencies, API tokens and console users."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from gongshi.cli.root import current_settings, main
from gongshi.domain.text import FORBIDDEN


def _plain(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """Refuse control characters in text typed on the command line, as every other input does."""
    if value is not None and FORBIDDEN.search(value):
        raise click.BadParameter("含有不允许的控制字符")  # click names the option
    return value


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
@click.option("--code", required=True, help="统一社会信用代码", callback=_plain)
@click.option("--name", required=True, callback=_plain)
@click.option("--region", default=None, help="6 位行政区划代码（默认取自信用代码）", callback=_plain)
def agency_add(code: str, name: str, region: str | None) -> None:
    from gongshi.storage.db import Database

    database = Database(current_settings().database_url)
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
@click.option("--agency", "agency_code", default=None, help="机关代码（admin 以外必填）", callback=_plain)
@click.option("--name", default="", help="用途说明", callback=_plain)
def token_create(role: str, agency_code: str | None, name: str) -> None:
    """Create a token; it is printed once, as the last line."""
    from gongshi.auth.credentials import create_token
    from gongshi.errors import GongshiError
    from gongshi.storage.db import Database

    database = Database(current_settings().database_url)
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

    database = Database(current_settings().database_url)
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

    database = Database(current_settings().database_url)
    try:
        with database.write() as session:
            found = find_user(session, username)
            found.disabled_at = found.disabled_at or datetime.now(UTC)
            ended = close_all(session, found.id)
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"user {username} disabled; {ended} open session(s) ended")


@user.command("create")
@click.option("--username", required=True, callback=_plain)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", required=True, type=click.Choice(["submitter", "reviewer", "head", "admin"]))
@click.option("--agency", "agency_code", default=None, callback=_plain)
@click.option("--display-name", default="", callback=_plain)
def user_create(username: str, password: str, role: str, agency_code: str | None, display_name: str) -> None:
    from gongshi.auth.credentials import create_user
    from gongshi.errors import GongshiError
    from gongshi.storage.db import Database

    database = Database(current_settings().database_url)
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
