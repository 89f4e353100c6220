"""The `gongshi` command: database, tokens, users, servers, worker, redaction, calendar, demo data.

Each module adds its commands to `main` when imported; uvicorn loads the servers as
`gongshi.cli:internal_app` and `gongshi.cli:portal_app`.
"""

from __future__ import annotations

from gongshi.cli import accounts, data
from gongshi.cli.root import main
from gongshi.cli.servers import internal_app, portal_app, proxy_options

__all__ = ["accounts", "data", "internal_app", "main", "portal_app", "proxy_options"]


def _register_feature_commands() -> None:
    from gongshi.credit.cli import export_group, import_command

    main.add_command(export_group)
    main.add_command(import_command)


_register_feature_commands()
