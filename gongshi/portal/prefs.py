"""The 长辈版 (large type, high contrast) switch: a plain form that sets a cookie and goes back."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from litestar.response import Redirect

ELDER_COOKIE = "gs_elder"
ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
    """Only a local path: never redirect off-site (open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return "/"
    return target


def _switch(request: Request[Any, Any, Any], on: str | None, next_: str | None) -> Response[Any]:
    enable = on == "1"
    cookie = Cookie(
        key=ELDER_COOKIE,
        value="1" if enable else "0",
        max_age=ONE_YEAR if enable else 0,
        path="/",
        httponly=True,
        samesite="lax",
    )
    return Redirect(
        safe_next(next_), status_code=303, cookies=[cookie], headers={"Cache-Control": "no-store"}
    )


@get("/prefs/elder", sync_to_thread=False, include_in_schema=False)
def elder_get(
    request: Request[Any, Any, Any], on: FromQuery[str | None] = None, next: FromQuery[str | None] = None
) -> Response[Any]:
    return _switch(request, on, next)


@post("/prefs/elder", include_in_schema=False, status_code=303)
async def elder_post(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    return _switch(request, form.get("on"), form.get("next"))


ROUTES = [elder_get, elder_post]
