"""The `gongshi` command group every command module adds to, and the settings each command reads."""

from __future__ import annotations

import logging

import click

from gongshi.settings import Settings, load_settings


def current_settings() -> Settings:
    """The settings from the environment, read when a command runs (never at import)."""
    return load_settings()


@click.group()
def main() -> None:
    """gongshi — 行政执法公示与全过程记录."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
