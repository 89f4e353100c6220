"""Settings come from GONGSHI_* variables, and every one of them is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

from gongshi.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_and_overrides(tmp_path: Path) -> None:
    s = load_settings({"GONGSHI_DATA_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'gongshi.sqlite3'}"
    assert s.meili_url is None
    assert len(s.secret_key) > 40
    assert load_settings({"GONGSHI_DATA_DIR": str(tmp_path)}).secret_key == s.secret_key  # persisted
    t = load_settings(
        {
            "GONGSHI_DATA_DIR": str(tmp_path),
            "GONGSHI_DATABASE_URL": "postgresql+psycopg://x/y",
            "GONGSHI_MEILI_URL": "http://127.0.0.1:7700",
            "GONGSHI_KEEP_OFFICER_NAMES": "true",
        }
    )
    assert (t.database_url, t.meili_url, t.keep_officer_names) == (
        "postgresql+psycopg://x/y",
        "http://127.0.0.1:7700",
        True,
    )


def test_every_setting_is_documented() -> None:
    # settings.py holds most; a few are read where they are used (the portal's rate limits, caches).
    source = "\n".join(p.read_text() for p in (ROOT / "gongshi").rglob("*.py"))
    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r"GONGSHI_[A-Z_]*[A-Z]", source))
    assert names, "settings read GONGSHI_* variables"
    missing = sorted(n for n in names if n not in readme)
    assert not missing, f"document these in README.md: {missing}"
