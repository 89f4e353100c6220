"""One frozen settings object, built from GONGSHI_* environment variables."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

from gongshi.domain.expiry import ExpiryConfig, read_expiry_config


class SiteInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Who runs this portal, as a government website must say on every page; empty parts are not shown."""

    sponsor: str = ""  # 主办单位
    contact: str = ""  # 联系方式
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP 备案号
    psb: str = ""  # 公安机关备案号


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything configurable; passed explicitly to app factories and the worker."""

    database_url: str
    data_dir: str
    secret_key: str
    meili_url: str | None = None
    meili_key: str | None = None
    portal_base_url: str = "http://127.0.0.1:8000"
    # Worker loop sleep between passes, seconds.
    worker_interval: float = 1.0
    # A fine at or above this amount (yuan) counts as a serious penalty for the publication period.
    serious_fine_yuan: int = 100_000
    # Processes that build a large 双公示 export's rows while the exporting one writes the file
    # (PostgreSQL only; 0: build them in the exporting process).
    export_producers: int = 0
    # "Due soon" on the deadline dashboard: within this many working days.
    due_soon_working_days: int = 2
    # Largest request body the internal API accepts (bytes).
    max_body_bytes: int = 32 * 1024 * 1024
    # Largest case attachment (audio-video of a long on-site inspection can be several GB).
    max_attachment_bytes: int = 8 * 1024**3
    # Keep officers' names in published text (per-deployment policy; the law lets agencies choose).
    keep_officer_names: bool = False
    # Parties and the public (issue 5): how long a granted access code works, in days.
    access_code_days: int = 30
    # Per-agency publication periods, read once from GONGSHI_EXPIRY_RULES_FILE (JSON, see
    # gongshi/domain/expiry.py); empty: the national defaults.
    expiry_rules: ExpiryConfig = msgspec.field(default_factory=lambda: ExpiryConfig())
    # E-mail to requesters; unset host: messages stay in the console's outbox.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "gongshi@localhost"
    smtp_starttls: bool = False
    # The government-site identification every portal page shows in its footer (政府网站发展指引).
    site: SiteInfo = msgspec.field(default_factory=lambda: SiteInfo())
    # Where staff reach the console (e.g. https://gongshi.example.gov.cn:8443); accepted as the Origin
    # of console form posts besides the request's own Host, and decides the secure-cookie default.
    console_base_url: str | None = None
    # Console cookies only over HTTPS; default: on when the console (or else the portal) URL is https.
    secure_cookies: bool = False
    # Addresses/CIDRs of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed;
    # empty: nobody's (the peer address is the client).
    trusted_proxies: tuple[str, ...] = ()
    # The portal's per-client rate limits, "rate/burst" (tokens per second / bucket); "0" is off;
    # None: the portal's defaults (gongshi/portal/ratelimit.py).
    portal_search_rate: str | None = None
    portal_form_rate: str | None = None
    # Where derived data is cached (jieba's dictionary cache, the gazetteer's compact cache);
    # None: ~/.cache/gongshi.
    cache_dir: str | None = None
    # "auto": Meilisearch when meili_url is set, else the embedded tantivy index under the data dir;
    # "none": no search index (the null engine: writes are accepted, searches find nothing).
    search_engine: Literal["auto", "none"] = "auto"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_TRUE = {"1", "true", "yes", "on"}
SEARCH_ENGINES: tuple[Literal["auto", "none"], ...] = ("auto", "none")
# The variable of a field whose name is not GONGSHI_ + the field's name in capitals.
_VARIABLE_OF = {
    "expiry_rules": "GONGSHI_EXPIRY_RULES_FILE",
    "site.sponsor": "GONGSHI_SITE_SPONSOR",
    "site.contact": "GONGSHI_SITE_CONTACT",
    "site.site_code": "GONGSHI_SITE_CODE",
    "site.icp": "GONGSHI_SITE_ICP",
    "site.psb": "GONGSHI_SITE_PSB",
}


def variables() -> dict[str, str]:
    """Each setting (dotted path for the nested site fields) → the environment variable it comes from."""
    out: dict[str, str] = {}
    for field in msgspec.structs.fields(Settings):
        if field.name == "site":
            for sub in msgspec.structs.fields(SiteInfo):
                out[f"site.{sub.name}"] = _VARIABLE_OF[f"site.{sub.name}"]
        else:
            out[field.name] = _VARIABLE_OF.get(field.name, f"GONGSHI_{field.name.upper()}")
    return out


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from the environment; creates the data dir and a persistent secret if needed."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("GONGSHI_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = env.get("GONGSHI_DATABASE_URL") or f"sqlite:///{data_dir / 'gongshi.sqlite3'}"
    secret_key = env.get("GONGSHI_SECRET_KEY") or _persistent_secret(data_dir)
    portal_base_url = env.get("GONGSHI_PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    console_base_url = env.get("GONGSHI_CONSOLE_BASE_URL", "").rstrip("/") or None
    secure_default = (console_base_url or portal_base_url).lower().startswith("https://")
    secure_raw = env.get("GONGSHI_SECURE_COOKIES", "").strip().lower()
    search_raw = env.get("GONGSHI_SEARCH_ENGINE", "").strip().lower() or "auto"
    search_engine = next((name for name in SEARCH_ENGINES if name == search_raw), None)
    if search_engine is None:
        raise ValueError(f"GONGSHI_SEARCH_ENGINE: {search_raw!r} is not one of {', '.join(SEARCH_ENGINES)}")
    return Settings(
        database_url=database_url,
        data_dir=str(data_dir),
        secret_key=secret_key,
        meili_url=env.get("GONGSHI_MEILI_URL") or None,
        meili_key=env.get("GONGSHI_MEILI_KEY") or None,
        portal_base_url=portal_base_url,
        worker_interval=float(env.get("GONGSHI_WORKER_INTERVAL", "1.0")),
        serious_fine_yuan=int(env.get("GONGSHI_SERIOUS_FINE_YUAN", "100000")),
        due_soon_working_days=int(env.get("GONGSHI_DUE_SOON_WORKING_DAYS", "2")),
        export_producers=int(env.get("GONGSHI_EXPORT_PRODUCERS", "0")),
        max_body_bytes=int(env.get("GONGSHI_MAX_BODY_BYTES", str(32 * 1024 * 1024))),
        max_attachment_bytes=int(env.get("GONGSHI_MAX_ATTACHMENT_BYTES", str(8 * 1024**3))),
        keep_officer_names=env.get("GONGSHI_KEEP_OFFICER_NAMES", "").lower() in _TRUE,
        access_code_days=int(env.get("GONGSHI_ACCESS_CODE_DAYS", "30")),
        expiry_rules=read_expiry_config(env.get("GONGSHI_EXPIRY_RULES_FILE") or None),
        smtp_host=env.get("GONGSHI_SMTP_HOST") or None,
        smtp_port=int(env.get("GONGSHI_SMTP_PORT", "25")),
        smtp_user=env.get("GONGSHI_SMTP_USER") or None,
        smtp_password=env.get("GONGSHI_SMTP_PASSWORD") or None,
        smtp_from=env.get("GONGSHI_SMTP_FROM", "gongshi@localhost"),
        smtp_starttls=env.get("GONGSHI_SMTP_STARTTLS", "").lower() in _TRUE,
        site=SiteInfo(
            sponsor=env.get("GONGSHI_SITE_SPONSOR", "").strip(),
            contact=env.get("GONGSHI_SITE_CONTACT", "").strip(),
            site_code=env.get("GONGSHI_SITE_CODE", "").strip(),
            icp=env.get("GONGSHI_SITE_ICP", "").strip(),
            psb=env.get("GONGSHI_SITE_PSB", "").strip(),
        ),
        console_base_url=console_base_url,
        secure_cookies=secure_raw in _TRUE if secure_raw else secure_default,
        trusted_proxies=_networks(env.get("GONGSHI_TRUSTED_PROXIES", "")),
        portal_search_rate=env.get("GONGSHI_PORTAL_SEARCH_RATE") or None,
        portal_form_rate=env.get("GONGSHI_PORTAL_FORM_RATE") or None,
        cache_dir=cache_dir_of(env),
        search_engine=search_engine,
    )


def cache_dir_of(environ: Mapping[str, str] | None = None) -> str | None:
    """<GONGSHI_CACHE_DIR>/gongshi, else <XDG_CACHE_HOME>/gongshi, else None (the library's default)."""
    env = os.environ if environ is None else environ
    base = env.get("GONGSHI_CACHE_DIR") or env.get("XDG_CACHE_HOME")
    return str(Path(base) / "gongshi") if base else None


def _networks(text: str) -> tuple[str, ...]:
    """Comma-separated addresses or CIDRs, checked here so a typo fails at start-up, not silently."""
    out = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ValueError(f"GONGSHI_TRUSTED_PROXIES: {item!r} is not an IP address or CIDR") from exc
        out.append(item)
    return tuple(out)


def _persistent_secret(data_dir: Path) -> str:
    # Several processes (servers, worker) must share one secret; keep it beside the data.
    path = data_dir / "secret.key"
    if not path.exists():
        tmp = data_dir / f".secret.{secrets.token_hex(8)}"
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        # link() fails if another process won the race; the complete file is then theirs.
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
