"""Per-client token buckets for the portal's search and form endpoints (in-process, per worker)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from gongshi.errors import GongshiError

SEARCH = "search"
FORM = "form"


class RateLimited(GongshiError):
    status = 429
    code = "rate_limited"


class Limit(msgspec.Struct, frozen=True, kw_only=True):
    """`rate` tokens per second refill a bucket of `burst`; rate 0 turns the limit off."""

    rate: float
    burst: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'5/30' is 5 per second with bursts of 30; '0' is off."""
        rate, _, burst = text.partition("/")
        value = float(rate)
        return cls(rate=value, burst=int(burst) if burst else max(1, math.ceil(value * 5)))


DEFAULT_LIMITS: Mapping[str, Limit] = {
    SEARCH: Limit(rate=5, burst=30),  # search pages, JSON, CSV and feeds
    FORM: Limit(rate=0.1, burst=5),  # form submissions: a few at once, then one every 10 s
}


def configured_limits(search: str | None, form: str | None) -> dict[str, Limit]:
    """The deployment's limits (settings portal_search_rate / portal_form_rate, 'rate/burst');
    None keeps the default."""
    limits = dict(DEFAULT_LIMITS)
    for name, raw in ((SEARCH, search), (FORM, form)):
        if raw:
            limits[name] = Limit.parse(raw)
    return limits


class TokenBucket:
    """Token buckets keyed by client; thread-safe, bounded in memory."""

    def __init__(
        self, limit: Limit, *, max_clients: int = 50_000, clock: Callable[[], float] = time.monotonic
    ):
        self.limit = limit
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token; returns 0 when allowed, else the seconds until a token is available."""
        if self.limit.rate <= 0:
            return 0.0
        now = self._clock()
        rate, burst = self.limit.rate, float(self.limit.burst)
        with self._lock:
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return (1 - tokens) / rate
            if len(self._buckets) >= self._max_clients and key not in self._buckets:
                self._evict(now)
            self._buckets[key] = (tokens - 1, now)
            return 0.0

    def _evict(self, now: float) -> None:
        # Drop the clients whose buckets have refilled: forgetting them changes nothing.
        full = [
            k
            for k, (t, last) in self._buckets.items()
            if t + (now - last) * self.limit.rate >= self.limit.burst
        ]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) >= self._max_clients:
            self._buckets.clear()


def client_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    # The peer address, or the forwarded client when the peer is in GONGSHI_TRUSTED_PROXIES (uvicorn
    # rewrites it then; see `gongshi serve`). A client can never name its own address.
    client = connection.client
    return client.host if client else "unknown"


def enforce(connection: ASGIConnection[Any, Any, Any, Any], name: str) -> None:
    """Raise RateLimited (429) when this client has used up its `name` bucket."""
    buckets: dict[str, TokenBucket] = connection.app.state.rate_limits
    wait = buckets[name].take(client_key(connection))
    if wait:
        seconds = max(1, math.ceil(wait))
        raise RateLimited(f"请求过于频繁，请 {seconds} 秒后再试", extra={"retry_after": seconds})


def rate_limited(name: str) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    """A Litestar guard: `@post(..., guards=[rate_limited(FORM)])`."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        enforce(connection, name)

    return guard


def buckets(limits: Mapping[str, Limit]) -> dict[str, TokenBucket]:
    return {name: TokenBucket(limit) for name, limit in limits.items()}
