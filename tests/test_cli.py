"""The `gongshi` command, run as a newcomer or an operator would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongshi.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGSHI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GONGSHI_DATABASE_URL", raising=False)
    return tmp_path


def test_upgrade_token_user(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert (env / "gongshi.sqlite3").exists()
    result = runner.invoke(main, ["token", "create", "--role", "submitter", "--agency", "11340100MB0000000X"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("gs_")
    refused = runner.invoke(main, ["token", "create", "--role", "reviewer"])
    assert refused.exit_code != 0
    assert "--agency" in refused.output
    made = runner.invoke(
        main,
        [
            "user",
            "create",
            "--username",
            "li",
            "--password",
            "secret-123",
            "--role",
            "reviewer",
            "--agency",
            "11340100MB0000000X",
        ],
    )
    assert made.exit_code == 0, made.output


def test_calendar_load_and_show(env: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["db", "upgrade"])
    schedule = env / "2027.json"
    schedule.write_text(
        json.dumps(
            {
                "year": 2027,
                "holidays": [["2027-10-01", "2027-10-07"]],
                "workdays": ["2027-09-26"],
                "note": "测试",
            }
        ),
        encoding="utf-8",
    )
    loaded = runner.invoke(main, ["calendar", "load", str(schedule)])
    assert loaded.exit_code == 0, loaded.output
    assert "2027" in loaded.output
    shown = runner.invoke(main, ["calendar", "show", "2027"])
    assert shown.exit_code == 0
    assert "放假 1日至7日" in shown.output
    assert "本年日历已确定" in shown.output
    bad = env / "bad.json"
    bad.write_text('{"year": 2027, "holidays": ["2027-02-30"]}', encoding="utf-8")
    refused = runner.invoke(main, ["calendar", "load", str(bad)])
    assert refused.exit_code != 0
    assert "2027-02-30" in refused.output


def test_worker_once(env: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["db", "upgrade"])
    result = runner.invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "published" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["agency", "add", "--code", "11340100MB0000000X", "--name", "合肥市\x00市场监督管理局"],
        ["agency", "add", "--code", "11340100MB0000000X\x1b", "--name", "合肥市市场监督管理局"],
        [
            "user",
            "create",
            "--username",
            "li",
            "--password",
            "secret-123",
            "--role",
            "admin",
            "--display-name",
            "李\x07四",
        ],
        ["token", "create", "--role", "admin", "--name", "nightly\x00import"],
    ],
)
def test_control_characters_on_the_command_line_are_refused_and_nothing_is_stored(
    env: Path, args: list[str]
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "含有不允许的控制字符" in result.output, result.output
    with sqlite3.connect(env / "gongshi.sqlite3") as db:
        for table in ("agencies", "users", "api_tokens"):
            assert db.execute(f"select count(*) from {table}").fetchone() == (0,), table


def test_servers_refuse_a_database_behind_the_code_and_say_to_upgrade(env: Path) -> None:
    from gongshi.storage.db import missing_migrations, upgrade

    url = f"sqlite:///{env / 'gongshi.sqlite3'}"
    upgrade(url, "0001")  # the first schema only: every later branch is missing
    missing = missing_migrations(url)
    assert "security01" in missing and len(missing) > 3
    runner = CliRunner()
    for args in (["serve", "portal"], ["serve", "internal"], ["worker", "--once"], ["up"]):
        refused = runner.invoke(main, args)
        assert refused.exit_code == 1, (args, refused.output)
        assert "请先运行 gongshi db upgrade" in refused.output and "security01" in refused.output
    upgrade(url)
    assert missing_migrations(url) == []
    assert runner.invoke(main, ["worker", "--once"]).exit_code == 0
