"""Console sessions end when they should, form posts are bound to their own session, logins are throttled."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select, update

from gongshi.auth import credentials, sessions, throttle
from gongshi.auth.credentials import create_user, hash_token
from gongshi.core.context import Workflow
from gongshi.internal_api import create_app
from gongshi.settings import Settings, load_settings
from gongshi.storage.auth_models import ConsoleSession, LoginFailure
from gongshi.storage.models import ApiToken, User
from gongshi.worker import run_once
from tests.factories import intake, token

PASSWORD = "correct horse"
_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def _user(wf: Workflow, username: str, role: str = "admin") -> None:
    with wf.db.write() as s:
        create_user(s, username=username, password=PASSWORD, role=role, agency=None, display_name=username)


def _csrf(text: str) -> str:
    found = _CSRF.search(text)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def _login(client: Any, username: str, password: str = PASSWORD) -> Any:
    csrf = _csrf(client.get("/console/login").text)
    return client.post(
        "/console/login",
        data={"username": username, "password": password, "_csrf_token": csrf},
        follow_redirects=False,
    )


def _signed_in(client: Any, username: str) -> str:
    """Log in and return the session's CSRF token."""
    assert _login(client, username).status_code in (302, 303)
    page = client.get("/console")
    assert page.status_code == 200 and "审核队列" in page.text
    return _csrf(page.text)


def _is_signed_in(client: Any) -> bool:
    resp = client.get("/console", follow_redirects=False)
    return resp.status_code == 200


def test_a_replayed_cookie_is_dead_after_logout(app: Any, client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    csrf = _signed_in(client, "wang")
    stolen = dict(client.cookies)
    out = client.post("/console/logout", data={"_csrf_token": csrf}, follow_redirects=False)
    assert out.status_code in (302, 303)
    assert not _is_signed_in(client)
    with TestClient(app) as thief:
        thief.cookies.update(stolen)
        assert not _is_signed_in(thief)
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ConsoleSession)) == 0


def test_disabling_a_user_ends_their_open_sessions(client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    _signed_in(client, "wang")
    assert _is_signed_in(client)
    with wf.db.write() as s:
        s.execute(update(User).where(User.username == "wang").values(disabled_at=datetime.now(UTC)))
    assert not _is_signed_in(client)


def test_a_role_change_applies_to_an_open_session(client: Any, wf: Workflow) -> None:
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    _user(wf, "wang", role="admin")
    csrf = _signed_in(client, "wang")
    with wf.db.write() as s:
        s.execute(update(User).where(User.username == "wang").values(role="submitter"))
    done = client.post(
        f"/console/decisions/{decision_id}/approve",
        data={"note": "同意", "_csrf_token": csrf},
        follow_redirects=True,
    )
    assert "操作未完成" in done.text and "submitter" in done.text


def test_sessions_expire_after_their_lifetime(wf: Workflow) -> None:
    _user(wf, "wang")
    now = datetime.now(UTC)
    with wf.db.write() as s:
        user = s.scalar(select(User).where(User.username == "wang"))
        assert user is not None
        sid = sessions.open_session(s, user, now)
    with wf.db.read() as s:
        found = sessions.signed_in(s, sid, now + sessions.LIFETIME - timedelta(seconds=1))
        assert found is not None and found[0].actor == "user:wang"
        assert sessions.signed_in(s, sid, now + sessions.LIFETIME) is None
        assert sessions.signed_in(s, sid + "x", now) is None


def test_an_attackers_csrf_token_is_refused_in_the_victims_session(
    app: Any, client: Any, wf: Workflow
) -> None:
    """An attacker's own valid token (signed in or not) does not work in the victim's session."""
    _user(wf, "victim")
    _user(wf, "mallory")
    victim_csrf = _signed_in(client, "victim")
    with TestClient(app) as attacker:
        anonymous_csrf = _csrf(attacker.get("/console/login").text)
        attacker_csrf = _signed_in(attacker, "mallory")
        attacker_cookies = dict(attacker.cookies)
    for forged in (anonymous_csrf, attacker_csrf):
        resp = client.post("/console/logout", data={"_csrf_token": forged}, follow_redirects=False)
        assert resp.status_code == 403 and "页面已过期" in resp.text
        assert _is_signed_in(client)
    # Nor does the victim's token work with the attacker's cookie (the token belongs to one session).
    with TestClient(app) as attacker:
        attacker.cookies.update(attacker_cookies)
        resp = attacker.post("/console/logout", data={"_csrf_token": victim_csrf}, follow_redirects=False)
        assert resp.status_code == 403
    assert client.post("/console/logout", data={"_csrf_token": victim_csrf}).status_code == 200


def test_signing_in_replaces_the_anonymous_token(client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    before = _csrf(client.get("/console/login").text)
    after = _signed_in(client, "wang")
    assert before != after
    assert client.post("/console/logout", data={"_csrf_token": before}).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.local.evil.example"},
        {"Origin": "http://testserver.local:8080"},
        {"Referer": "https://evil.example/page"},
    ],
)
def test_cross_origin_posts_are_refused_with_a_page(
    client: Any, wf: Workflow, headers: dict[str, str], caplog: Any
) -> None:
    _user(wf, "wang")
    csrf = _signed_in(client, "wang")
    with caplog.at_level(logging.WARNING, "gongshi.security"):
        resp = client.post("/console/logout", data={"_csrf_token": csrf}, headers=headers)
    assert resp.status_code == 403
    assert "跨站请求已拒绝" in resp.text and "text/html" in resp.headers["content-type"]
    assert "cross-origin console post refused" in caplog.text
    assert _is_signed_in(client)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver.local"},
        {"Referer": "http://testserver.local/console/decisions/1"},
        {},  # neither header (curl): the session's CSRF token alone decides
    ],
)
def test_same_origin_posts_pass(client: Any, wf: Workflow, headers: dict[str, str]) -> None:
    _user(wf, "wang")
    csrf = _signed_in(client, "wang")
    resp = client.post("/console/logout", data={"_csrf_token": csrf}, headers=headers, follow_redirects=False)
    assert resp.status_code in (302, 303)


def test_the_configured_console_url_is_an_accepted_origin(settings: Settings, wf: Workflow) -> None:
    """Behind a proxy that does not pass Host on, the console's public URL is what browsers send."""
    import msgspec

    behind = msgspec.structs.replace(settings, console_base_url="https://gongshi.example.gov.cn")
    _user(wf, "wang")
    with TestClient(create_app(behind, wf)) as client:
        csrf = _signed_in(client, "wang")
        ok = client.post(
            "/console/logout",
            data={"_csrf_token": csrf},
            headers={"Origin": "https://gongshi.example.gov.cn"},
            follow_redirects=False,
        )
        assert ok.status_code in (302, 303)


def test_secure_cookies(settings: Settings, wf: Workflow, tmp_path: Any) -> None:
    import msgspec

    _user(wf, "wang")
    for secure in (True, False):
        app = create_app(msgspec.structs.replace(settings, secure_cookies=secure), wf)
        with TestClient(app, base_url="https://testserver.local") as client:
            resp = _login(client, "wang")
            cookie = resp.headers["set-cookie"]
            assert ("secure" in cookie.lower()) is secure, cookie
            assert "httponly" in cookie.lower()
    env = {"GONGSHI_DATA_DIR": str(tmp_path)}
    assert load_settings(env).secure_cookies is False
    assert load_settings({**env, "GONGSHI_PORTAL_BASE_URL": "https://gs.example"}).secure_cookies is True
    assert load_settings({**env, "GONGSHI_CONSOLE_BASE_URL": "https://c.example"}).secure_cookies is True
    intranet = {
        **env,
        "GONGSHI_PORTAL_BASE_URL": "https://gs.example",
        "GONGSHI_CONSOLE_BASE_URL": "http://10.0.0.5",
    }
    assert load_settings(intranet).secure_cookies is False
    assert (
        load_settings(
            {**env, "GONGSHI_CONSOLE_BASE_URL": "https://c.example", "GONGSHI_SECURE_COOKIES": "0"}
        ).secure_cookies
        is False
    )
    assert load_settings({**env, "GONGSHI_SECURE_COOKIES": "1"}).secure_cookies is True


class CountingHasher:
    """The real argon2 hasher, counting how often a password is verified."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.verified = 0

    def verify(self, stored: str, password: str) -> bool:
        self.verified += 1
        result: bool = self.inner.verify(stored, password)
        return result

    def hash(self, password: str) -> str:
        result: str = self.inner.hash(password)
        return result


def test_sixty_wrong_passwords_lock_the_account_before_argon2(
    client: Any, wf: Workflow, monkeypatch: Any, caplog: Any
) -> None:
    _user(wf, "wang")
    hasher = CountingHasher(credentials._hasher)
    monkeypatch.setattr(credentials, "_hasher", hasher)
    statuses = []
    with caplog.at_level(logging.WARNING, "gongshi.security"):
        for i in range(60):
            statuses.append(_login(client, "wang", f"guess-{i}").status_code)
    assert statuses[: throttle.ACCOUNT_LIMIT] == [401] * throttle.ACCOUNT_LIMIT
    assert set(statuses[throttle.ACCOUNT_LIMIT :]) == {429}
    # Locked attempts cost no password hashing (no CPU denial of service).
    assert hasher.verified == throttle.ACCOUNT_LIMIT
    right = _login(client, "wang", PASSWORD)
    assert right.status_code == 429
    assert "登录失败次数过多" in right.text and "分钟后再试" in right.text
    assert int(right.headers["retry-after"]) > 0
    assert not _is_signed_in(client)
    assert hasher.verified == throttle.ACCOUNT_LIMIT
    assert "login locked: account 'wang'" in caplog.text


def test_one_address_guessing_many_accounts_is_locked(client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    statuses = [_login(client, f"user{i}", "guess").status_code for i in range(throttle.ADDRESS_LIMIT)]
    assert statuses == [401] * throttle.ADDRESS_LIMIT
    resp = _login(client, "wang", PASSWORD)
    assert resp.status_code == 429 and "本机地址" in resp.text


def _security_trail(client: Any, wf: Workflow) -> dict[str, Any]:
    resp = client.get("/api/v1/security/audit", headers=token(wf, "admin"))
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_a_lock_is_an_audit_event_once_and_wrong_passwords_alone_are_not(client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    for i in range(throttle.ACCOUNT_LIMIT - 1):
        assert _login(client, "wang", f"guess-{i}").status_code == 401
    assert _security_trail(client, wf)["events"] == []  # typos lock nothing
    for i in range(10):
        _login(client, "wang", f"more-{i}")
    trail = _security_trail(client, wf)
    assert trail["intact"] is True
    [event] = trail["events"]  # the attempt that locked, not the refused ones after it
    assert event["action"] == "login_locked" and event["actor"] == "system"
    assert event["reason"].startswith("账号已锁定")
    assert event["data"]["scope"] == "account" and event["data"]["username"] == "wang"
    assert event["data"]["address"] and datetime.fromisoformat(event["data"]["until"]) > datetime.now(UTC)


def test_an_address_lock_is_audited_and_the_chain_holds_over_several_locks(client: Any, wf: Workflow) -> None:
    for i in range(throttle.ADDRESS_LIMIT):
        _login(client, f"user{i % 4}", "guess")  # 4 accounts x 5 failures lock each account, then the address
    trail = _security_trail(client, wf)
    scopes = [e["data"]["scope"] for e in trail["events"]]
    assert scopes.count("account") == 4 and scopes[-1] == "address"
    assert [e["seq"] for e in trail["events"]] == list(range(1, len(scopes) + 1))
    assert trail["intact"] is True


def test_the_security_trail_is_for_admins_only(client: Any, wf: Workflow) -> None:
    for role in ("submitter", "reviewer", "head"):
        resp = client.get("/api/v1/security/audit", headers=token(wf, role))
        assert resp.status_code == 403, role
    assert client.get("/api/v1/security/audit").status_code == 401


def test_a_right_password_clears_earlier_typos(client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        assert _login(client, "wang", "typo").status_code == 401
    assert _login(client, "wang").status_code in (302, 303)
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_a_lock_lifts_when_the_failures_age_out(wf: Workflow) -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with wf.db.write() as s:
        for i in range(throttle.ACCOUNT_LIMIT):
            throttle.begin_attempt(s, "wang", "10.0.0.1", start + timedelta(minutes=i))
    with wf.db.write() as s, pytest.raises(throttle.LoginLocked) as locked:
        throttle.begin_attempt(s, "wang", "10.0.0.2", start + timedelta(minutes=10))
    assert locked.value.extra["retry_after"] == 5 * 60
    with wf.db.write() as s:
        # The first failure is older than the window now: four remain, one more try is allowed.
        throttle.begin_attempt(s, "wang", "10.0.0.2", start + throttle.WINDOW + timedelta(seconds=1))


def test_a_revoked_token_is_refused_at_once(client: Any, wf: Workflow) -> None:
    """Revocation is a database write (the CLI, another process): the next request already sees it."""
    h = token(wf, "submitter")
    assert client.get("/api/v1/deadlines", headers=h).status_code == 200
    with wf.db.write() as s:
        row_id = s.scalar(
            select(ApiToken.id).where(ApiToken.token_hash == hash_token(h["Authorization"][7:]))
        )
        assert row_id is not None
        credentials.revoke_token(s, row_id, datetime.now(UTC))
    refused = client.get("/api/v1/deadlines", headers=h)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"


def test_cli_revokes_tokens_and_disables_users(
    settings: Settings, wf: Workflow, client: Any, monkeypatch: Any
) -> None:
    from click.testing import CliRunner

    from gongshi.cli import main

    monkeypatch.setenv("GONGSHI_DATA_DIR", settings.data_dir)
    monkeypatch.setenv("GONGSHI_DATABASE_URL", settings.database_url)
    h = token(wf, "submitter")
    assert client.get("/api/v1/deadlines", headers=h).status_code == 200
    runner = CliRunner()
    done = runner.invoke(main, ["token", "revoke", h["Authorization"][7:]])
    assert done.exit_code == 0 and "revoked" in done.output, done.output
    assert client.get("/api/v1/deadlines", headers=h).status_code == 401
    assert runner.invoke(main, ["token", "revoke", "999"]).exit_code != 0
    _user(wf, "wang")
    _signed_in(client, "wang")
    done = runner.invoke(main, ["user", "disable", "wang"])
    assert done.exit_code == 0 and "1 open session(s) ended" in done.output, done.output
    assert not _is_signed_in(client)
    assert _login(client, "wang").status_code == 401
    assert runner.invoke(main, ["user", "disable", "nobody"]).exit_code != 0


def _unsafe_page_routes(app: Any) -> list[str]:
    """Every non-API path that accepts a method other than GET/HEAD/OPTIONS, parameters filled in."""
    paths = []
    for route in app.routes:
        methods = {m for h in getattr(route, "route_handlers", []) for m in (h.http_methods or ())}
        if methods - {"GET", "HEAD", "OPTIONS"} and not route.path.startswith("/api/"):
            paths.append(re.sub(r"\{[^}:]+:int\}", "1", re.sub(r"\{[^}:]+:str\}", "x", route.path)))
    return paths


def test_every_form_post_outside_the_api_needs_the_sessions_token(
    app: Any, client: Any, wf: Workflow
) -> None:
    """A new console post route cannot forget the CSRF/Origin check: the router applies it to all."""
    paths = _unsafe_page_routes(app)
    assert "/console/login" in paths and len(paths) >= 10
    _user(wf, "wang")
    _signed_in(client, "wang")
    for path in paths:
        resp = client.post(path, data={"_csrf_token": "forged"}, follow_redirects=False)
        assert resp.status_code == 403 and "页面已过期" in resp.text, path
        resp = client.post(path, data={}, headers={"Origin": "https://evil.example"}, follow_redirects=False)
        assert resp.status_code == 403 and "跨站请求已拒绝" in resp.text, path


CONSOLE_PAGES = [
    "/console",
    "/console/deadlines",
    "/console/requests",
    "/console/notifications",
    "/console/cases",
    "/console/cases/report",
    "/console/agencies",
    "/console/exports",
    "/console/imports",
]


def test_every_console_page_shows_who_is_signed_in(client: Any, wf: Workflow) -> None:
    """The name and the logout form come from the server-side session on every page, not the cookie."""
    _user(wf, "wang")
    with wf.db.write() as s:
        s.execute(update(User).where(User.username == "wang").values(display_name="王审核"))
    _signed_in(client, "wang")
    for path in CONSOLE_PAGES:
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'action="/console/logout"' in page.text and "王审核" in page.text, path


def test_signing_in_again_ends_the_previous_session(app: Any, client: Any, wf: Workflow) -> None:
    _user(wf, "wang")
    _signed_in(client, "wang")
    first = dict(client.cookies)
    _signed_in(client, "wang")
    with wf.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ConsoleSession)) == 1
    with TestClient(app) as old:
        old.cookies.update(first)
        assert not _is_signed_in(old)
