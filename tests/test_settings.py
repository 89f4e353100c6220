"""Settings come from GONGSHI_* variables, and every one of them is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from gongshi.settings import Settings, SiteInfo, load_settings, variables

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


def _readme_variables() -> set[str]:
    """The GONGSHI_* names in the first column of the README's configuration table."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows, "the README has a configuration table"
    return {name for row in rows for name in re.findall(r"GONGSHI_[A-Z0-9_]*[A-Z0-9]", row.split("|")[1])}


def _sample(path: str, info: msgspec.inspect.Type, tmp_path: Path) -> str:
    """A value for the variable of setting `path` that is not what it defaults to."""
    special = {
        "data_dir": str(tmp_path / "elsewhere"),
        "trusted_proxies": "10.0.0.0/8",
        "expiry_rules": _expiry_file(tmp_path),
    }
    if path in special:
        return special[path]
    if isinstance(info, msgspec.inspect.UnionType):
        info = next(t for t in info.types if not isinstance(t, msgspec.inspect.NoneType))
    if isinstance(info, msgspec.inspect.LiteralType):
        return str(info.values[-1])
    samples = {
        msgspec.inspect.StrType: "sample-value",
        msgspec.inspect.IntType: "7",
        msgspec.inspect.FloatType: "2.5",
        msgspec.inspect.BoolType: "true",
    }
    return samples[type(info)]


def _expiry_file(tmp_path: Path) -> str:
    path = tmp_path / "expiry.json"
    path.write_text('{"default": {"ordinary_months": 6}}')
    return str(path)


def _leaves(cls: type[msgspec.Struct], prefix: str = "") -> dict[str, msgspec.inspect.Type]:
    """Every setting by dotted path: nested settings Structs (the site footer) are walked into."""
    info = msgspec.inspect.type_info(cls)
    assert isinstance(info, msgspec.inspect.StructType)
    out: dict[str, msgspec.inspect.Type] = {}
    for field in info.fields:
        nested = field.type
        if isinstance(nested, msgspec.inspect.StructType) and nested.cls is SiteInfo:
            out.update(_leaves(nested.cls, f"{prefix}{field.name}."))
        else:
            out[prefix + field.name] = nested
    return out


def _value(settings: Settings, path: str) -> object:
    value: object = settings
    for part in path.split("."):
        value = getattr(value, part)
    return value


def test_every_setting_is_read_from_its_documented_variable(tmp_path: Path) -> None:
    # Datasette-style: iterate the fields, so a new setting fails here until it is wired and documented.
    leaves = _leaves(Settings)
    names = variables()
    assert sorted(names) == sorted(leaves), "variables() names every setting"
    documented = _readme_variables()
    missing = sorted(names[path] for path in leaves if names[path] not in documented)
    assert not missing, f"document these in README.md's configuration table: {missing}"
    base_env = {"GONGSHI_DATA_DIR": str(tmp_path / "data")}
    base = load_settings(base_env)
    for path, info in leaves.items():
        changed = load_settings({**base_env, names[path]: _sample(path, info, tmp_path)})
        assert _value(changed, path) != _value(base, path), f"{names[path]} does not set {path}"


def test_readme_documents_only_settings() -> None:
    stray = sorted(_readme_variables() - set(variables().values()))
    assert not stray, f"README.md documents variables that no setting reads: {stray}"


def test_the_workflow_places_the_segmenter_cache_where_settings_say(tmp_path: Path) -> None:
    from gongshi.core.context import Workflow
    from gongshi.redaction import segment

    before = segment._state.get("cache_dir")
    settings = load_settings({"GONGSHI_DATA_DIR": str(tmp_path), "GONGSHI_CACHE_DIR": str(tmp_path / "c")})
    try:
        wf = Workflow.create(settings)
        assert segment.cache_dir() == str(tmp_path / "c" / "gongshi")
        wf.db.dispose()
    finally:
        segment.use_cache_dir(before)


def test_only_settings_reads_the_environment() -> None:
    # The README says so: every process's configuration goes through load_settings().
    readers = []
    for path in sorted((ROOT / "gongshi").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bos\.environ\b|\bgetenv\(|\benviron\.get\(", text) and path.name != "settings.py":
            readers.append(str(path.relative_to(ROOT)))
    assert readers == [], f"read settings through gongshi.settings instead: {readers}"
