"""Issue 14, probed live: each defect and decision tried the way the issue's tester did, over HTTP.

Starts a real stack on a throwaway data dir (demo data): `gongshi serve internal`, `gongshi serve
portal` and `gongshi worker` as subprocesses on SQLite, a second internal server whose console URL is
https (secure cookies), and a third internal server on a scratch PostgreSQL database (item 9, and
NUL on item 4). Then it sends what the tester sent and prints one line per probe: item, verdict,
what was seen. Nothing is mocked; the CLI is run as a subprocess where the tester used it.

The login-throttling probe runs last: it locks the probing address's failure budget for 15 minutes.

Run: .venv/bin/python bench/issue14_probes.py            (PostgreSQL from GONGSHI_TEST_POSTGRES_URL,
     default postgresql+psycopg://postgres@127.0.0.1:5432/test; --no-postgres to skip item 9 there)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.dom import minidom

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from _support import ROOT, free_port, scratch_postgres

AGENCY = {"code": "11340100MA5694893R", "name": "合肥市市场监督管理局"}  # a demo agency
OTHER_NAME = "芜湖市市场监督管理局"  # another demo agency's registered name
PASSWORD = "gongshi-demo"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
RESULTS: list[tuple[str, bool, str]] = []


def report(item: str, ok: bool, seen: str) -> None:
    RESULTS.append((item, ok, seen))
    print(f"{'PASS' if ok else 'FAIL'}  {item:<34} {seen}", flush=True)


def probe(item: str) -> Callable[[Callable[..., str | tuple[bool, str]]], Callable[..., None]]:
    """A probe returns (ok, what was seen); an exception is a failed probe with its message."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            try:
                ok, seen = fn(*args)
            except Exception as exc:  # a probe that crashed is a finding, not the end of the run
                ok, seen = False, f"probe raised {type(exc).__name__}: {exc}"
            report(item, ok, seen)

        return run

    return wrap


# ---------------------------------------------------------------------------------------------
# The stack.


class Stack:
    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.data = data
        self.env = {**os.environ, **env}
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: dict[str, Path] = {}

    def cli(self, *args: str, env: dict[str, str] | None = None) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "gongshi.cli", *args],
            env={**self.env, **(env or {})},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout

    def start(self, name: str, args: list[str], env: dict[str, str] | None = None, port: int = 0) -> None:
        log = self.data / f"{name}.log"
        self.logs[name] = log
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongshi.cli", *args],
            env={**self.env, **(env or {})},
            cwd=ROOT,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        if port:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        return
                time.sleep(0.2)
            raise RuntimeError(f"{name} did not start: {log.read_text()[-2000:]}")

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def serve(stack: Stack, name: str, which: str, env: dict[str, str] | None = None) -> str:
    port = free_port()
    stack.start(name, ["serve", which, "--port", str(port)], env, port)
    return f"http://127.0.0.1:{port}"


def bearer(tok: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok}"}


def login(base: str, username: str, password: str = PASSWORD) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/console/login")
    found = CSRF.search(page.text)
    assert found, page.text[:300]
    resp = client.post(
        "/console/login",
        data={"username": username, "password": password, "_csrf_token": found.group(1)},
    )
    return client, resp


def csrf_in(page: str) -> str:
    found = CSRF.search(page)
    assert found, page[:300]
    return found.group(1)


def csrf_of(client: httpx.Client) -> str:
    return csrf_in(client.get("/console").text)


def signed_in(client: httpx.Client) -> bool:
    return client.get("/console").status_code == 200


def intake(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((ROOT / "examples" / "decision.json").read_text())
    body["source_id"] = f"H14-PROBE-{time.monotonic_ns()}"
    body["document_number"] = f"合市监罚〔2026〕{time.monotonic_ns() % 100000}号"
    body.update(over)
    return body


def case_entry(base: str, tok: str) -> str:
    case = json.loads((ROOT / "examples" / "case.json").read_text())
    case["case_number"] = f"合市监立〔2026〕{time.monotonic_ns() % 100000}号"
    c = httpx.post(f"{base}/api/v1/cases", json=case, headers=bearer(tok), timeout=60)
    assert c.status_code in (200, 201), c.text
    entry = json.loads((ROOT / "examples" / "entry.json").read_text())
    entry["source_ref"] = f"H14-{time.monotonic_ns()}"
    e = httpx.post(
        f"{base}/api/v1/cases/{c.json()['id']}/entries", json=entry, headers=bearer(tok), timeout=60
    )
    assert e.status_code == 201, e.text
    return f"/cases/{c.json()['id']}/entries/{e.json()['id']}/attachments"


def upload(base: str, tok: str, path: str, name: str, content: bytes, media_type: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1{path}",
        files={"file": (name, content, media_type)},
        data={"captured_at": "2026-10-15T09:40:00+08:00"},
        headers=bearer(tok),
        timeout=60,
    )


def blobs(data: Path) -> int:
    root = data / "attachments"
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def wait_for(check: Callable[[], Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.3)
    raise TimeoutError("condition not met in time")


# ---------------------------------------------------------------------------------------------
# The probes, in the order.


@probe("1 stored XSS via attachment")
def p_xss(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    path = case_entry(api, tok["submitter"])
    html = b"<script>fetch('/console').then(r=>r.text()).then(alert)</script>"
    att = upload(api, tok["submitter"], path, "ruling.html", html, "text/html")
    assert att.status_code == 201, att.text
    console, _ = login(api, "admin")
    resp = console.get(f"/console{path}/{att.json()['id']}")
    h = resp.headers
    ok = (
        resp.status_code == 200
        and h["content-disposition"].startswith("attachment")
        and h["x-content-type-options"] == "nosniff"
        and "sandbox" in h["content-security-policy"]
        and "default-src 'none'" in h["content-security-policy"]
        and "allow-scripts" not in h["content-security-policy"]
    )
    return ok, (
        f"console {resp.status_code}, Content-Disposition: {h['content-disposition'].split(';')[0]}, "
        f"nosniff, CSP: {h['content-security-policy']}"
    )


@probe("2 internal security headers")
def p_headers(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    console, _ = login(api, "admin")
    answers = {
        "/console": console.get("/console"),
        "/console/decisions/1": console.get("/console/decisions/1"),
        "/console/login": httpx.get(f"{api}/console/login"),
        "/api/v1/decisions": httpx.get(f"{api}/api/v1/decisions", headers=bearer(tok["admin"])),
        "/api/v1/decisions (401)": httpx.get(f"{api}/api/v1/decisions"),
    }
    bad = []
    for name, r in answers.items():
        h = r.headers
        if not (
            "frame-ancestors 'none'" in h.get("content-security-policy", "")
            and h.get("x-content-type-options") == "nosniff"
            and h.get("referrer-policy")
            and h.get("cache-control") == "no-store"
        ):
            bad.append(f"{name}: {dict(h)}")
    return not bad, "; ".join(
        bad
    ) or f"CSP frame-ancestors 'none', nosniff, Referrer-Policy, no-store on {len(answers)} answers"


@probe("3 sessions end at logout/disable/role")
def p_sessions(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    seen = []
    client, _ = login(api, "reviewer")
    stolen = dict(client.cookies)
    client.post("/console/logout", data={"_csrf_token": csrf_of(client)})
    thief = httpx.Client(base_url=api, cookies=stolen)
    replay = thief.get("/console", follow_redirects=False)
    seen.append(f"replayed cookie after logout: {replay.status_code} → {replay.headers.get('location')}")
    ok = replay.status_code in (302, 303) and "login" in replay.headers.get("location", "")
    s.cli(
        "user",
        "create",
        "--username",
        "h14-disable",
        "--password",
        PASSWORD,
        "--role",
        "reviewer",
        "--agency",
        AGENCY["code"],
    )
    victim, _ = login(api, "h14-disable")
    before = signed_in(victim)
    s.cli("user", "disable", "h14-disable")
    after = victim.get("/console", follow_redirects=False)
    seen.append(f"disabled user: signed in before {before}, after `user disable` {after.status_code}")
    ok = ok and before and after.status_code in (302, 303)
    s.cli(
        "user",
        "create",
        "--username",
        "h14-role",
        "--password",
        PASSWORD,
        "--role",
        "head",
        "--agency",
        AGENCY["code"],
    )
    head, _ = login(api, "h14-role")
    csrf = csrf_of(head)
    queue = httpx.get(
        f"{api}/api/v1/decisions",
        params={"state": "in_review", "agency": AGENCY["code"]},
        headers=bearer(tok["admin"]),
    ).json()["items"]
    with sqlite3.connect(s.data / "gongshi.sqlite3") as db:
        db.execute("UPDATE users SET role = 'submitter' WHERE username = 'h14-role'")
    done = head.post(
        f"/console/decisions/{queue[0]['id']}/approve",
        data={"note": "同意", "_csrf_token": csrf},
        follow_redirects=True,
    )
    state = httpx.get(f"{api}/api/v1/decisions/{queue[0]['id']}", headers=bearer(tok["admin"])).json()[
        "state"
    ]
    refused = "操作未完成" in done.text and state == "in_review"
    seen.append(f"head demoted to submitter mid-session: approve refused {refused} (state {state})")
    return ok and refused, "; ".join(seen)


@probe("4 control characters at intake")
def p_control(s: Stack, api: str, tok: dict[str, str], portal: str) -> tuple[bool, str]:
    seen, ok = [], True
    for char in ("\x01", "\x1b", "\x00"):
        r = httpx.post(
            f"{api}/api/v1/decisions", json=intake(title=f"标题{char}"), headers=bearer(tok["submitter"])
        )
        err = r.json().get("error", {})
        seen.append(f"title {char!r}: {r.status_code} field={err.get('field')}")
        ok = ok and r.status_code == 400 and err.get("field") == "title"
    r = httpx.post(
        f"{portal}/api/public/v1/requests/correction", json={"disclosure_id": "x", "description": "有误\x07"}
    )
    seen.append(f"portal correction description BEL: {r.status_code} field={r.json()['error'].get('field')}")
    ok = ok and r.status_code == 400 and r.json()["error"].get("field") == "description"
    # Whatever is stored: a control character written straight into the read model.
    with sqlite3.connect(s.data / "gongshi.sqlite3") as db:
        (title,) = db.execute(
            "SELECT title FROM disclosures WHERE status = 'published' ORDER BY published_at DESC LIMIT 1"
        ).fetchone()
        db.execute("UPDATE disclosures SET title = ? WHERE title = ?", (f"控\x1b制\x0b{title}", title))
    feed = httpx.get(f"{portal}/feed.atom")
    minidom.parseString(feed.content)  # raises on a character XML cannot carry
    sitemap = httpx.get(f"{portal}/sitemap.xml")
    minidom.parseString(sitemap.content)
    shown = f"控制{title}" in feed.text
    ok = ok and feed.status_code == sitemap.status_code == 200 and shown
    seen.append(
        f"ESC+VT written into the newest published title: /feed.atom {feed.status_code} and /sitemap.xml "
        f"{sitemap.status_code} well-formed, title shown without them {shown}"
    )
    return ok, "; ".join(seen)


@probe("4 NUL at intake on PostgreSQL")
def p_nul_pg(s: Stack, pg_api: str, pg_tok: str) -> tuple[bool, str]:
    r = httpx.post(f"{pg_api}/api/v1/decisions", json=intake(title="标题\x00"), headers=bearer(pg_tok))
    return r.status_code == 400 and r.json()["error"]["field"] == "title", f"{r.status_code} {r.text[:160]}"


@probe("4 console forms read by hand")
def p_console_text(s: Stack, api: str, tok: dict[str, str], pg_api: str | None) -> tuple[bool, str]:
    seen, ok = [], True
    for base in [api] + ([pg_api] if pg_api else []):
        client = httpx.Client(base_url=base)
        form = {
            "username": "admin\x00",
            "password": PASSWORD,
            "_csrf_token": csrf_in(client.get("/console/login").text),
        }
        r = client.post("/console/login", data=form)
        seen.append(
            f"login user name with NUL ({'PostgreSQL' if base == pg_api else 'SQLite'}): {r.status_code}"
        )
        ok = ok and r.status_code == 400
    published = httpx.get(
        f"{api}/api/v1/decisions", params={"state": "published", "limit": 1}, headers=bearer(tok["admin"])
    )
    did = published.json()["items"][0]["id"]

    def revision() -> int:
        return int(
            httpx.get(f"{api}/api/v1/decisions/{did}", headers=bearer(tok["admin"])).json()["revision"]
        )

    before = revision()
    console, _ = login(api, "admin")
    body = {"_csrf_token": csrf_of(console), "note": "更正\x01说明", "result": "警告。"}
    done = console.post(f"/console/decisions/{did}/correction-confirm", data=body, follow_redirects=True)
    after = revision()
    refused = "控制字符" in done.text and after == before
    seen.append(f"更正 note with U+0001: refused {refused} (revision {before} → {after})")
    return ok and refused, "; ".join(seen)


@probe("5 decided_on 9999-12-31 in a batch")
def p_far_date(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    items = [intake(), intake(decided_on="9999-12-31"), intake()]
    r = httpx.post(f"{api}/api/v1/decisions:batch", json={"items": items}, headers=bearer(tok["submitter"]))
    b = r.json()
    err = b["items"][1].get("error", {})
    ok = r.status_code == 200 and (b["stored"], b["errors"]) == (2, 1) and err.get("field") == "decided_on"
    single = httpx.post(f"{api}/api/v1/decisions", json=items[1], headers=bearer(tok["submitter"]))
    ok = ok and single.status_code == 422
    return (
        ok,
        f"batch {r.status_code} stored {b['stored']} errors {b['errors']}, item 2 {err}; "
        f"single {single.status_code}",
    )


@probe("6 ids above int64")
def p_int64(s: Stack, api: str, tok: dict[str, str], portal: str) -> tuple[bool, str]:
    n = str(2**70)
    h = bearer(tok["admin"])
    paths = [
        f"/api/v1/decisions/{n}",
        f"/api/v1/decisions/{n}/audit",
        f"/api/v1/cases/{n}",
        f"/api/v1/cases/{n}/verify",
        f"/api/v1/requests/access/{n}",
        f"/api/v1/requests/corrections/{n}",
    ]
    got: Counter[int | str] = Counter(httpx.get(api + p, headers=h).status_code for p in paths)
    got[
        f"POST approve {httpx.post(f'{api}/api/v1/decisions/{n}/approve', json={}, headers=h).status_code}"
    ] += 1
    queries: Counter[str] = Counter()
    for p in ("/api/v1/decisions", "/api/v1/cases"):
        r = httpx.get(api + p, params={"after_id": n}, headers=h)
        queries[f"{r.status_code} field={r.json()['error']['field']}"] += 1
    console, _ = login(api, "admin")
    con = console.get(f"/console/decisions/{n}").status_code
    pub = httpx.get(f"{portal}/api/public/v1/agencies/{AGENCY['code']}/reports/{n}").status_code
    ok = (
        set(got) == {404, "POST approve 404"} and set(queries) == {"400 field=after_id"} and con == pub == 404
    )
    return (
        ok,
        f"paths {dict(got)}; queries ?after_id=2**70 {dict(queries)}; console {con}; portal report {pub}",
    )


@probe("7 JSON nested 10000 deep")
def p_nested(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    body = b'{"items": [' + b"[" * 10000 + b"]" * 10000 + b"]}"
    h = {**bearer(tok["submitter"]), "Content-Type": "application/json"}
    r = httpx.post(f"{api}/api/v1/decisions:batch", content=body, headers=h)
    r2 = httpx.post(f"{api}/api/v1/decisions:batch", content=b"[" * 10000 + b"]" * 10000, headers=h)
    ok = (
        r.status_code == r2.status_code == 400
        and r.json()["error"]["code"] == r2.json()["error"]["code"] == "invalid_json"
    )
    return (
        ok,
        f"{r.status_code} {r.json()['error']['code']}; "
        f"top-level list: {r2.status_code} {r2.json()['error']['code']}",
    )


@probe("9 600-char file name, SQLite")
def p_filename_sqlite(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    return _filename(s.data, api, tok["submitter"])


@probe("9 600-char file name, PostgreSQL")
def p_filename_pg(s: Stack, pg_data: Path, pg_api: str, pg_tok: str) -> tuple[bool, str]:
    return _filename(pg_data, pg_api, pg_tok)


def _filename(data: Path, api: str, tok: str) -> tuple[bool, str]:
    path = case_entry(api, tok)
    before = blobs(data)
    content = os.urandom(4096)
    r = upload(api, tok, path, "检" * 596 + ".mp4", content, "video/mp4")
    after = blobs(data)
    ok_long = upload(api, tok, path, "检" * 496 + ".mp4", content, "video/mp4")
    ok = r.status_code == 400 and r.json()["error"]["field"] == "filename" and after == before
    ok = ok and ok_long.status_code == 201 and blobs(data) == before + 1
    return (
        ok,
        f"600 chars: {r.status_code} field={r.json()['error']['field']}, blobs {before}→{after}; "
        f"500 chars: {ok_long.status_code}",
    )


@probe("10 Secure cookie with https console URL")
def p_secure(s: Stack, https_api: str, api: str) -> tuple[bool, str]:
    _, on = login(https_api, "admin")
    _, off = login(api, "admin")
    cookie_on = on.headers["set-cookie"]
    cookie_off = off.headers["set-cookie"]
    ok = (
        "secure" in cookie_on.lower()
        and "secure" not in cookie_off.lower()
        and "httponly" in cookie_on.lower()
    )
    return ok, f"https base URL: {_flags(cookie_on)}; http: {_flags(cookie_off)}"


def _flags(cookie: str) -> str:
    return "; ".join(p.strip() for p in cookie.split(";")[1:])


@probe("10 CSRF pair from another session")
def p_csrf(s: Stack, api: str) -> tuple[bool, str]:
    victim, _ = login(api, "reviewer")
    attacker, _ = login(api, "reviewer2")
    forged = victim.post("/console/logout", data={"_csrf_token": csrf_of(attacker)}, follow_redirects=False)
    anon = httpx.Client(base_url=api)
    anon_token = csrf_in(anon.get("/console/login").text)
    forged2 = victim.post("/console/logout", data={"_csrf_token": anon_token}, follow_redirects=False)
    alive = signed_in(victim)
    ok = forged.status_code == forged2.status_code == 403 and alive
    return (
        ok,
        f"attacker's signed-in token: {forged.status_code}, anonymous token: {forged2.status_code}, "
        f"victim still signed in {alive}",
    )


@probe("10 Origin check on console posts")
def p_origin(s: Stack, api: str) -> tuple[bool, str]:
    victim, _ = login(api, "reviewer")
    token = csrf_of(victim)
    evil = victim.post(
        "/console/logout",
        data={"_csrf_token": token},
        headers={"Origin": "http://evil.example"},
        follow_redirects=False,
    )
    ref = victim.post(
        "/console/logout",
        data={"_csrf_token": token},
        headers={"Referer": "http://evil.example/x"},
        follow_redirects=False,
    )
    alive = signed_in(victim)
    same = victim.post(
        "/console/logout", data={"_csrf_token": token}, headers={"Origin": api}, follow_redirects=False
    )
    ok = evil.status_code == ref.status_code == 403 and alive and same.status_code in (302, 303)
    logged = "cross-origin" in s.log("internal").lower() or "origin" in s.log("internal").lower()
    return (
        ok,
        f"Origin evil: {evil.status_code}, Referer evil: {ref.status_code}, "
        f"own Origin: {same.status_code}; logged {logged}",
    )


@probe("12 text/plain JSON body")
def p_content_type(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    body = intake()
    r = httpx.post(
        f"{api}/api/v1/decisions",
        content=json.dumps(body),
        headers={**bearer(tok["submitter"]), "Content-Type": "text/plain"},
    )
    err = r.json()["error"]
    stored = httpx.get(f"{api}/api/v1/decisions", params={"limit": 500}, headers=bearer(tok["admin"])).json()
    kept = any(i["source_id"] == body["source_id"] for i in stored["items"])
    ok = r.status_code == 415 and "application/json" in err["message"] and not kept
    return ok, f"{r.status_code} {err['code']} field={err['field']} “{err['message']}”; stored {kept}"


@probe("14 revoked token refused at once")
def p_revoke(s: Stack, api: str) -> tuple[bool, str]:
    tok = s.cli("token", "create", "--role", "submitter", "--agency", AGENCY["code"]).strip().splitlines()[-1]
    before = httpx.get(f"{api}/api/v1/deadlines", headers=bearer(tok)).status_code
    s.cli("token", "revoke", tok)
    t0 = time.monotonic()
    after = httpx.get(f"{api}/api/v1/deadlines", headers=bearer(tok))
    ms = (time.monotonic() - t0) * 1000
    ok = before == 200 and after.status_code == 401
    return (
        ok,
        f"before {before}; "
        f"first request after `token revoke` exited: {after.status_code} {after.json()['error']['code']} "
        f"({ms:.0f} ms later)",
    )


@probe("D X-Forwarded-For from untrusted peer")
def p_xff(s: Stack, portal: str) -> tuple[bool, str]:
    statuses: Counter[int] = Counter()
    first_429 = None
    for i in range(45):
        r = httpx.get(
            f"{portal}/api/public/v1/disclosures",
            params={"q": "食品"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
        )
        statuses[r.status_code] += 1
        if r.status_code == 429 and first_429 is None:
            first_429 = i + 1
    ok = statuses[429] > 0
    return (
        ok,
        f"45 searches, each with a new X-Forwarded-For: {dict(statuses)}; first 429 at request {first_429}",
    )


@probe("D agency display name + D 文号 digits")
def p_agency_name(s: Stack, api: str, tok: dict[str, str], portal: str) -> tuple[bool, str]:
    number = "合市监罚〔2026〕13912345678号"
    body = intake(
        agency={"code": AGENCY["code"], "name": OTHER_NAME},
        document_number=number,
        result=f"依据{number}决定书，警告，并处罚款人民币5000元。",
    )
    r = httpx.post(f"{api}/api/v1/decisions", json=body, headers=bearer(tok["submitter"]))
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    h = bearer(tok["admin"])
    state = wait_for(
        lambda: (
            (st := httpx.get(f"{api}/api/v1/decisions/{did}", headers=h).json()["state"]) != "received" and st
        )
    )
    approve = httpx.post(f"{api}/api/v1/decisions/{did}/approve", json={}, headers=bearer(tok["reviewer"]))
    public_id = wait_for(
        lambda: httpx.get(f"{api}/api/v1/decisions/{did}", headers=h).json().get("public_id")
    )
    shown = wait_for(
        lambda: (
            (x := httpx.get(f"{portal}/api/public/v1/disclosures/{public_id}")).status_code == 200
            and x.json()
        )
    )
    page = json.dumps(shown, ensure_ascii=False)
    ok = (
        state == "in_review"
        and approve.status_code == 200
        and AGENCY["name"] in page
        and OTHER_NAME not in page
    )
    ok = ok and number in page
    return ok, (
        f"intake named {OTHER_NAME}: after redaction {state} "
        "(leak gate passed 文号 with an 11-digit serial), "
        f"published {public_id} as “{shown['agency']['name']}”, 文号 shown whole {number in page}"
    )


@probe("D tampered attachment ETag")
def p_tamper(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    path = case_entry(api, tok["submitter"])
    content = bytes(range(256)) * 8192
    att = upload(api, tok["submitter"], path, "scene.mp4", content, "video/mp4").json()
    url = f"{api}/api/v1{path}/{att['id']}"
    sha = att["sha256"]
    blob = s.data / "attachments" / sha[:2] / sha[2:4] / sha
    blob.write_bytes(content[:-1] + b"X")
    got = b""
    error = "none"
    with httpx.stream("GET", url, headers=bearer(tok["submitter"])) as resp:
        etag = resp.headers.get("etag")
        try:
            for chunk in resp.iter_bytes():
                got += chunk
        except httpx.HTTPError as exc:
            error = type(exc).__name__
    time.sleep(0.3)
    logged = "does not match its SHA-256" in s.log("internal")
    verify = httpx.get(
        f"{api}/api/v1{path.split('/entries')[0]}/verify",
        params={"files": "true"},
        headers=bearer(tok["submitter"]),
    ).json()
    ok = len(got) < len(content) and logged
    return ok, (
        f"ETag {etag} (original sha256 {etag and sha in etag}); {len(got)} of {len(content)} bytes served, "
        f"client saw {error}; logged {logged}; verify intact={verify.get('intact', verify.get('ok'))}"
    )


@probe("D fine_yuan 1e309")
def p_amount(s: Stack, api: str, tok: dict[str, str]) -> tuple[bool, str]:
    raw = json.dumps(intake(penalty={"categories": ["fine"], "fine_yuan": "__X__"})).replace(
        '"__X__"', "1e309"
    )
    r = httpx.post(
        f"{api}/api/v1/decisions",
        content=raw,
        headers={**bearer(tok["submitter"]), "Content-Type": "application/json"},
    )
    err = r.json()["error"]
    return r.status_code == 422 and err[
        "field"
    ] == "penalty.fine_yuan", f"{r.status_code} field={err['field']} “{err['message']}”"


@probe("11 60 wrong passwords in 20 s")
def p_throttle(s: Stack, api: str) -> tuple[bool, str]:
    s.cli(
        "user",
        "create",
        "--username",
        "h14-guess",
        "--password",
        PASSWORD,
        "--role",
        "reviewer",
        "--agency",
        AGENCY["code"],
    )
    client = httpx.Client(base_url=api, timeout=60)
    token = csrf_in(client.get("/console/login").text)
    statuses: Counter[int] = Counter()
    t0, c0 = time.monotonic(), _cpu(s.procs[0].pid)
    for i in range(60):
        r = client.post(
            "/console/login", data={"username": "h14-guess", "password": f"guess-{i}", "_csrf_token": token}
        )
        statuses[r.status_code] += 1
    wall, cpu = time.monotonic() - t0, _cpu(s.procs[0].pid) - c0
    right = client.post(
        "/console/login", data={"username": "h14-guess", "password": PASSWORD, "_csrf_token": token}
    )
    msg = re.search(r"登录失败次数过多[^<]*", right.text)
    logged = "login locked: account 'h14-guess'" in s.log("internal")
    ok = statuses[429] >= 55 and right.status_code == 429 and msg is not None and logged
    return ok, (
        f"60 wrong in {wall:.1f} s: {dict(statuses)} (server CPU {cpu:.2f} s); "
        f"right password then: {right.status_code} "
        f"Retry-After {right.headers.get('retry-after')} “{msg.group(0) if msg else ''}”; "
        f"gongshi.security log {logged}"
    )


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongshi-issue14-") as tmp:
        data = Path(tmp)
        env = {
            "GONGSHI_DATA_DIR": str(data),
            "GONGSHI_SECRET_KEY": "issue14-probes-" + "x" * 24,
            "GONGSHI_WORKER_INTERVAL": "0.5",
        }
        for k in (
            "GONGSHI_DATABASE_URL",
            "GONGSHI_TRUSTED_PROXIES",
            "GONGSHI_CONSOLE_BASE_URL",
            "GONGSHI_PORTAL_BASE_URL",
            "GONGSHI_SECURE_COOKIES",
        ):
            os.environ.pop(k, None)
        stack = Stack(data, env)
        try:
            stack.cli("db", "upgrade")
            stack.cli("demo", "load")
            tok = {
                role: stack.cli(
                    "token",
                    "create",
                    "--role",
                    role,
                    *(["--agency", AGENCY["code"]] if role != "admin" else []),
                )
                .strip()
                .splitlines()[-1]
                for role in ("submitter", "reviewer", "admin")
            }
            api = serve(stack, "internal", "internal")
            portal = serve(stack, "portal", "portal")
            stack.start("worker", ["worker"])
            https_api = serve(
                stack,
                "internal-https",
                "internal",
                {"GONGSHI_CONSOLE_BASE_URL": "https://console.example.gov.cn"},
            )
            with _postgres(stack, not args.no_postgres) as pg:
                p_xss(stack, api, tok)
                p_headers(stack, api, tok)
                p_sessions(stack, api, tok)
                p_control(stack, api, tok, portal)
                if pg:
                    p_nul_pg(stack, pg[1], pg[2])
                p_console_text(stack, api, tok, pg[1] if pg else None)
                p_far_date(stack, api, tok)
                p_int64(stack, api, tok, portal)
                p_nested(stack, api, tok)
                p_filename_sqlite(stack, api, tok)
                if pg:
                    p_filename_pg(stack, *pg)
                p_secure(stack, https_api, api)
                p_csrf(stack, api)
                p_origin(stack, api)
                p_content_type(stack, api, tok)
                p_revoke(stack, api)
                p_xff(stack, portal)
                p_agency_name(stack, api, tok, portal)
                p_tamper(stack, api, tok)
                p_amount(stack, api, tok)
                p_throttle(stack, api)
        finally:
            stack.stop()
    failed = [r for r in RESULTS if not r[1]]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} probes passed")
    sys.exit(1 if failed else 0)


@contextlib.contextmanager
def _postgres(stack: Stack, wanted: bool) -> Iterator[tuple[Path, str, str] | None]:
    """An internal server on a scratch PostgreSQL database with its own data dir: (data, URL, token)."""
    if not wanted:
        yield None
        return
    with scratch_postgres() as url:
        pg_data = stack.data / "pg"
        pg_data.mkdir()
        env = {"GONGSHI_DATABASE_URL": url, "GONGSHI_DATA_DIR": str(pg_data)}
        stack.cli("agency", "add", "--code", AGENCY["code"], "--name", AGENCY["name"], env=env)
        tok = stack.cli("token", "create", "--role", "submitter", "--agency", AGENCY["code"], env=env)
        base = serve(stack, "internal-pg", "internal", env)
        yield pg_data, base, tok.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
