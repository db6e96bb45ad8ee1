"""Upbit hosts, endpoint groups and rate limits (brokers.md 4.1, 4.3, 4.5).

Upbit limits each request group per second (minute limits were removed); the limit names
here are Upbit's group names, so ``Remaining-Req: group=default; min=1800; sec=29`` syncs the
limit called ``default``. Sliding logs keep every one-second interval within the limit, so
our count stays safe whatever the skew between our clock and Upbit's second boundaries.
The order group rose from 8/s to 12/s at 2026-08-21 21:00 KST; ``policy_at`` picks by date.
Requests sent with an ``Origin`` header (browsers) get 1 per 10 s; JTS never sends one.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Final

from jts.adapters.ratelimit.limits import (
    Algorithm,
    Backoff,
    FeedbackRules,
    Priority,
    RateLimit,
    RateLimitPolicy,
    RequestCost,
    Scope,
    request,
)
from jts.shared_kernel.clock import datetime_to_ns

VENUE: Final = "UPBIT"

REST_URL: Final = "https://api.upbit.com/v1"
REGIONAL_REST_URLS: Final = {
    region: f"https://{region}-api.upbit.com/v1" for region in ("sg", "id", "th")
}
WS_PUBLIC_URL: Final = "wss://api.upbit.com/websocket/v1"
WS_PRIVATE_URL: Final = "wss://api.upbit.com/websocket/v1/private"

MARKET: Final = "market"
CANDLE: Final = "candle"
TRADE: Final = "trade"
TICKER: Final = "ticker"
ORDERBOOK: Final = "orderbook"
DEFAULT: Final = "default"
ORDER: Final = "order"
ORDER_TEST: Final = "order-test"
ORDER_CANCEL_ALL: Final = "order-cancel-all"
WEBSOCKET_CONNECT: Final = "websocket-connect"
WEBSOCKET_MESSAGE: Final = "websocket-message"
WEBSOCKET_MESSAGE_MINUTE: Final = "websocket-message-minute"
WS_CONNECT: Final = "WS connect"
WS_MESSAGE: Final = "WS message"

ORDER_LIMIT_RAISED_AT_NS: Final = datetime_to_ns(datetime(2026, 8, 21, 12, 0, tzinfo=UTC))
ORDER_LIMIT_BEFORE: Final = 8
ORDER_LIMIT: Final = 12


def _per_second(name: str, limit: int, scope: Scope) -> RateLimit:
    return RateLimit(name, limit, 1.0, Algorithm.SLIDING_LOG, scope)


LIMITS: Final = (
    *(_per_second(group, 10, Scope.IP) for group in (MARKET, CANDLE, TRADE, TICKER, ORDERBOOK)),
    _per_second(DEFAULT, 30, Scope.ACCOUNT),
    _per_second(ORDER, ORDER_LIMIT, Scope.ACCOUNT),
    _per_second(ORDER_TEST, 8, Scope.ACCOUNT),
    RateLimit(ORDER_CANCEL_ALL, 1, 2.0, Algorithm.SLIDING_LOG, Scope.ACCOUNT),
    _per_second(WEBSOCKET_CONNECT, 5, Scope.IP),
    _per_second(WEBSOCKET_MESSAGE, 5, Scope.CONNECTION),
    RateLimit(WEBSOCKET_MESSAGE_MINUTE, 100, 60.0, Algorithm.SLIDING_LOG, Scope.CONNECTION),
)

_Q, _H, _A, _O, _C = (
    Priority.QUOTE,
    Priority.HISTORY,
    Priority.ACCOUNT,
    Priority.ORDER,
    Priority.CANCEL,
)
REQUESTS: Final[dict[str, RequestCost]] = {
    "GET /v1/market/all": request(MARKET, priority=_H),
    "GET /v1/ticker": request(TICKER, priority=_Q),
    "GET /v1/ticker/all": request(TICKER, priority=_Q),
    "GET /v1/orderbook": request(ORDERBOOK, priority=_Q),
    "GET /v1/orderbook/instruments": request(ORDERBOOK, priority=_H),
    "GET /v1/trades/ticks": request(TRADE, priority=_Q),
    "GET /v1/candles/seconds": request(CANDLE, priority=_H),
    "GET /v1/candles/minutes/{unit}": request(CANDLE, priority=_H),
    "GET /v1/candles/days": request(CANDLE, priority=_H),
    "GET /v1/candles/weeks": request(CANDLE, priority=_H),
    "GET /v1/candles/months": request(CANDLE, priority=_H),
    "GET /v1/candles/years": request(CANDLE, priority=_H),
    "GET /v1/accounts": request(DEFAULT, priority=_A),
    "GET /v1/orders/chance": request(DEFAULT, priority=_A),
    "POST /v1/orders": request(ORDER, priority=_O),
    "POST /v1/orders/test": request(ORDER_TEST, priority=_O),
    "POST /v1/orders/cancel_and_new": request(ORDER, priority=_O),
    "DELETE /v1/order": request(DEFAULT, priority=_C),
    "DELETE /v1/orders/uuids": request(DEFAULT, priority=_C),
    "DELETE /v1/orders/open": request(ORDER_CANCEL_ALL, priority=_C),
    "GET /v1/order": request(DEFAULT, priority=_A),
    "GET /v1/orders/open": request(DEFAULT, priority=_A),
    "GET /v1/orders/closed": request(DEFAULT, priority=_A),
    WS_CONNECT: request(WEBSOCKET_CONNECT, priority=_Q),
    WS_MESSAGE: request(WEBSOCKET_MESSAGE, WEBSOCKET_MESSAGE_MINUTE, priority=_Q),
}

RATE_LIMIT_POLICY: Final = RateLimitPolicy(
    venue=VENUE,
    limits=LIMITS,
    requests=REQUESTS,
    feedback=FeedbackRules(remaining_header="Remaining-Req"),
    # 429 then 418 with a block that grows on repeat; durations and Retry-After [unconfirmed].
    backoff=Backoff(base_429_s=1.0, cap_429_s=60.0, base_418_s=60.0, cap_418_s=86_400.0),
    order_reserve=0.2,
)


def policy_at(ts_ns: int) -> RateLimitPolicy:
    """The policy in force at ``ts_ns`` (UNIX ns): order 8/s before the 2026-08-21 raise."""
    if ts_ns >= ORDER_LIMIT_RAISED_AT_NS:
        return RATE_LIMIT_POLICY
    before = dataclasses.replace(RATE_LIMIT_POLICY.limit(ORDER), limit=ORDER_LIMIT_BEFORE)
    return RATE_LIMIT_POLICY.with_limits([before])
