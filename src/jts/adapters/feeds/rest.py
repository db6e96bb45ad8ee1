"""One rate-limited, error-mapped JSON GET for the public market data REST endpoints.

Every call first takes its cost from the venue's ``RateLimitPolicy`` through the shared
``RateLimiter`` (never exceeding the venue's limits, across processes when the limiter is
on Redis), then reports what the venue said about its limits back to it (used-weight and
``Remaining-Req`` headers, 429/418 and ``Retry-After``). Failures become the JTS error tree:

- no network (DNS, refused or unreachable connection, timeout) -> ``NetworkUnavailable``,
  whose message says which host could not be reached and what to check;
- 429/418 -> ``RateLimited`` (retry after ``retry_after_s``); 5xx -> ``TransientVenueError``;
- any other 4xx -> ``PermanentVenueError`` with the venue's own message;
- a body that is not the expected JSON -> ``DataError`` quoting it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
import msgspec

from jts.adapters.ratelimit.feedback import parse_feedback
from jts.adapters.ratelimit.port import RateLimiter
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import (
    DataError,
    PermanentVenueError,
    RateLimited,
    TransientVenueError,
)

T = TypeVar("T")
ErrorReader = Callable[[bytes], tuple[str | None, str]]
"""Reads a venue error body into ``(code, message)``."""

PUBLIC_KEY = "public"  # public endpoints are limited per IP, not per credential
_BODY_EXCERPT = 300


class NetworkUnavailable(TransientVenueError):
    """The venue could not be reached at all: no network, DNS, proxy or firewall."""


async def get_json(
    client: httpx.AsyncClient,
    limiter: RateLimiter,
    *,
    venue: str,
    endpoint: str,
    path: str,
    params: Mapping[str, str | int],
    decode: Callable[[bytes], T],
    read_error: ErrorReader,
    clock: Clock,
) -> T:
    """GET ``path`` with ``params`` and decode the body; ``endpoint`` names its cost."""
    cost = limiter.policy.request(endpoint)
    sent_at = await limiter.acquire(PUBLIC_KEY, cost.costs, cost.priority)
    try:
        response = await client.get(path, params=dict(params))
    except httpx.TransportError as e:
        raise NetworkUnavailable(
            f"cannot reach {client.base_url.host or client.base_url} ({type(e).__name__}: "
            f"{str(e) or 'no detail'}); check the network connection, DNS and any proxy or "
            "firewall",
            venue=venue,
        ) from e
    body = response.content
    code = None if response.is_success else read_error(body)[0]
    feedback = parse_feedback(
        limiter.policy,
        response.status_code,
        response.headers,
        error_code=code,
        sent_at_ns=sent_at,
        now_ns=clock.now_ns(),
    )
    await limiter.feedback(PUBLIC_KEY, feedback)
    if not response.is_success:
        raise _error(venue, response, read_error(body), feedback.retry_after_s)
    try:
        return decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as e:
        raise DataError(f"{venue} {path}: unexpected response ({e}); body: {_excerpt(body)}") from e


def _error(
    venue: str, response: httpx.Response, error: tuple[str | None, str], retry_after: float | None
) -> Exception:
    code, message = error
    status = response.status_code
    where = f"{response.request.method} {response.request.url.path} -> HTTP {status}"
    if status in (418, 429):
        return RateLimited(
            f"{where}: rate limited ({message})",
            venue=venue,
            retry_after_s=retry_after or 1.0,
            code=code,
        )
    if status >= 500:
        return TransientVenueError(f"{where}: {message}", venue=venue, code=code)
    return PermanentVenueError(f"{where}: {message}", venue=venue, code=code)


def _excerpt(body: bytes) -> str:
    text = body[:_BODY_EXCERPT].decode("utf-8", "replace")
    return text + (f"... ({len(body)} bytes)" if len(body) > _BODY_EXCERPT else "")


def json_error_reader(
    code_field: str, message_field: str, nested: str | None = None
) -> ErrorReader:
    """An ``ErrorReader`` for bodies like ``{"code": -1121, "msg": "..."}`` or, with
    ``nested="error"``, ``{"error": {"name": "...", "message": "..."}}``."""

    def read(body: bytes) -> tuple[str | None, str]:
        try:
            data: Any = msgspec.json.decode(body)
        except msgspec.DecodeError:
            return None, _excerpt(body) or "no body"
        if nested is not None and isinstance(data, dict):
            data = data.get(nested, {})
        if not isinstance(data, dict):
            return None, _excerpt(body)
        code = data.get(code_field)
        return (None if code is None else str(code)), str(data.get(message_field, _excerpt(body)))

    return read
