"""Binance Spot hosts, endpoint weights and rate limits (brokers.md 3.1, 3.3, 3.4, 3.5).

Binance counts in clock-aligned intervals (the ``X-MBX-USED-WEIGHT-1M`` count resets on the
minute), so its REST limits are fixed windows on the UNIX epoch: ``REQUEST_WEIGHT`` 6000 per
minute and ``RAW_REQUESTS`` 300,000 per 5 minutes per IP; ``ORDERS`` 50 per 10 s and 160,000
per day per account (the documented example values; exchangeInfo is authoritative, see
``policy_with_exchange_info``). Since 2026-04-02 successful orders and cancels cost weight 0;
the limiter still reserves 1 up front (it cannot know the outcome) and never refunds, and
counts every new order against ``ORDERS`` although orders that fill are not counted.

Weights that depend on parameters are separate table entries, ``"<METHOD> <path>#<variant>"``;
``endpoint(method, path, params)`` picks the right one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Final, NamedTuple

from jts.adapters.ratelimit.limits import (
    Algorithm,
    Backoff,
    CodeRule,
    Cost,
    FeedbackRules,
    Priority,
    RateLimit,
    RateLimitPolicy,
    RequestCost,
    Scope,
)
from jts.shared_kernel.errors import ConfigurationError

VENUE: Final = "BINANCE"


class Hosts(NamedTuple):
    rest: str
    stream: str
    ws_api: str


PRODUCTION: Final = Hosts(
    rest="https://api.binance.com",
    stream="wss://stream.binance.com:9443",
    ws_api="wss://ws-api.binance.com:443/ws-api/v3",
)
TESTNET: Final = Hosts(
    rest="https://testnet.binance.vision",
    stream="wss://stream.testnet.binance.vision/ws",
    ws_api="wss://ws-api.testnet.binance.vision/ws-api/v3",
)
DEMO: Final = Hosts(
    rest="https://demo-api.binance.com",
    stream="wss://demo-stream.binance.com:9443/ws",
    ws_api="wss://demo-ws-api.binance.com/ws-api/v3",
)
ALTERNATE_REST_URLS: Final = tuple(
    f"https://{host}.binance.com" for host in ("api-gcp", "api1", "api2", "api3", "api4")
)
MARKET_DATA_REST_URL: Final = "https://data-api.binance.vision"
MARKET_DATA_STREAM_URL: Final = "wss://data-stream.binance.vision"

REQUEST_WEIGHT: Final = "REQUEST_WEIGHT"
RAW_REQUESTS: Final = "RAW_REQUESTS"
ORDERS_10S: Final = "ORDERS_10S"
ORDERS_1D: Final = "ORDERS_1D"
WS_CONNECTIONS: Final = "WS_CONNECTIONS"
WS_MESSAGES: Final = "WS_MESSAGES"
WS_CONNECT: Final = "WS connect"
WS_MESSAGE: Final = "WS message"

MAX_STREAMS_PER_CONNECTION: Final = 1024

LIMITS: Final = (
    RateLimit(REQUEST_WEIGHT, 6000, 60.0, Algorithm.FIXED_WINDOW, Scope.IP),
    RateLimit(RAW_REQUESTS, 300_000, 300.0, Algorithm.FIXED_WINDOW, Scope.IP),
    RateLimit(ORDERS_10S, 50, 10.0, Algorithm.FIXED_WINDOW, Scope.ACCOUNT),
    RateLimit(ORDERS_1D, 160_000, 86_400.0, Algorithm.FIXED_WINDOW, Scope.ACCOUNT),
    RateLimit(WS_CONNECTIONS, 300, 300.0, Algorithm.SLIDING_LOG, Scope.IP),
    RateLimit(WS_MESSAGES, 5, 1.0, Algorithm.SLIDING_LOG, Scope.CONNECTION),
)


def _rest(weight: int, priority: Priority, *, orders: int = 0) -> RequestCost:
    costs = [Cost(REQUEST_WEIGHT, weight), Cost(RAW_REQUESTS, 1)]
    if orders:
        costs += [Cost(ORDERS_10S, orders), Cost(ORDERS_1D, orders)]
    return RequestCost(tuple(costs), priority)


_Q, _H, _A, _O, _C = (
    Priority.QUOTE,
    Priority.HISTORY,
    Priority.ACCOUNT,
    Priority.ORDER,
    Priority.CANCEL,
)
REQUESTS: Final[dict[str, RequestCost]] = {
    "GET /api/v3/ping": _rest(1, _Q),
    "GET /api/v3/time": _rest(1, _Q),
    "GET /api/v3/exchangeInfo": _rest(20, _H),
    "GET /api/v3/ticker/price": _rest(2, _Q),
    "GET /api/v3/ticker/price#all": _rest(4, _Q),
    "GET /api/v3/ticker/bookTicker": _rest(2, _Q),
    "GET /api/v3/ticker/bookTicker#all": _rest(4, _Q),
    "GET /api/v3/ticker/24hr": _rest(2, _Q),
    "GET /api/v3/ticker/24hr#all": _rest(80, _Q),
    "GET /api/v3/depth": _rest(5, _Q),
    "GET /api/v3/depth#500": _rest(25, _Q),
    "GET /api/v3/depth#1000": _rest(50, _Q),
    "GET /api/v3/depth#5000": _rest(250, _Q),
    "GET /api/v3/klines": _rest(2, _H),
    "POST /api/v3/order": _rest(1, _O, orders=1),
    "POST /api/v3/order/test": _rest(1, _O),
    "POST /api/v3/order/test#commission": _rest(20, _O),
    "DELETE /api/v3/order": _rest(1, _C),
    "DELETE /api/v3/openOrders": _rest(1, _C),
    "POST /api/v3/order/cancelReplace": _rest(1, _O, orders=1),
    "PUT /api/v3/order/amend/keepPriority": _rest(4, _O),
    "GET /api/v3/order": _rest(4, _A),
    "GET /api/v3/openOrders": _rest(6, _A),
    "GET /api/v3/openOrders#all": _rest(80, _A),
    "GET /api/v3/allOrders": _rest(20, _A),
    "GET /api/v3/myTrades": _rest(20, _A),
    "GET /api/v3/myTrades#orderId": _rest(5, _A),
    "GET /api/v3/account": _rest(20, _A),
    "GET /api/v3/rateLimit/order": _rest(40, _A),
    WS_CONNECT: RequestCost((Cost(WS_CONNECTIONS),), _Q),
    WS_MESSAGE: RequestCost((Cost(WS_MESSAGES),), _Q),
}

_ALL_WHEN_NO_SYMBOL: Final = frozenset(
    {
        "/api/v3/ticker/price",
        "/api/v3/ticker/bookTicker",
        "/api/v3/ticker/24hr",
        "/api/v3/openOrders",
    }
)
_DEPTH_BUCKETS: Final = ((100, ""), (500, "#500"), (1000, "#1000"), (5000, "#5000"))


def endpoint(method: str, path: str, params: Mapping[str, object] | None = None) -> str:
    """The ``REQUESTS`` key for a call, choosing the weight variant its parameters select."""
    params = params or {}
    key = f"{method.upper()} {path}"
    if method.upper() == "GET" and path in _ALL_WHEN_NO_SYMBOL and "symbol" not in params:
        return f"{key}#all"  # a ``symbols`` list is priced as "all" (the conservative bound)
    if key == "GET /api/v3/depth":
        limit = int(str(params.get("limit", 100)))
        return key + next((tag for top, tag in _DEPTH_BUCKETS if limit <= top), "#5000")
    if key == "POST /api/v3/order/test" and str(params.get("computeCommissionRates")) in (
        "true",
        "True",
    ):
        return f"{key}#commission"
    if key == "GET /api/v3/myTrades" and "orderId" in params:
        return f"{key}#orderId"
    return key


RATE_LIMIT_POLICY: Final = RateLimitPolicy(
    venue=VENUE,
    limits=LIMITS,
    requests=REQUESTS,
    feedback=FeedbackRules(
        used_headers={
            "X-MBX-USED-WEIGHT-1M": REQUEST_WEIGHT,
            "X-MBX-ORDER-COUNT-10S": ORDERS_10S,
            "X-MBX-ORDER-COUNT-1D": ORDERS_1D,
        },
        codes={
            "-1003": CodeRule(limits=(REQUEST_WEIGHT, RAW_REQUESTS)),
            "-1015": CodeRule(limits=(ORDERS_10S, ORDERS_1D)),
        },
    ),
    backoff=Backoff(base_429_s=1.0, cap_429_s=60.0, base_418_s=120.0, cap_418_s=3 * 86_400.0),
    order_reserve=0.05,
)

_INTERVAL: Final = {
    "SECOND": (1, "S"),
    "MINUTE": (60, "M"),
    "HOUR": (3600, "H"),
    "DAY": (86_400, "D"),
}
_KNOWN: Final = {
    ("REQUEST_WEIGHT", 60): REQUEST_WEIGHT,
    ("RAW_REQUESTS", 300): RAW_REQUESTS,
    ("ORDERS", 10): ORDERS_10S,
    ("ORDERS", 86_400): ORDERS_1D,
}
_TEMPLATE: Final = {"REQUEST_WEIGHT": REQUEST_WEIGHT, "RAW_REQUESTS": RAW_REQUESTS}
_COUNT_HEADER: Final = {"REQUEST_WEIGHT": "x-mbx-used-weight-", "ORDERS": "x-mbx-order-count-"}


class _Entry(NamedTuple):
    kind: str
    window_s: int
    tag: str  # Binance's interval spelling in header names: "1m", "10s", "1d"
    limit: int


def policy_with_exchange_info(
    rate_limits: Sequence[Mapping[str, object]], base: RateLimitPolicy = RATE_LIMIT_POLICY
) -> RateLimitPolicy:
    """``base`` updated from exchangeInfo's ``rateLimits`` (the venue's live values).

    Known intervals replace the limit of the same name. An unknown interval (e.g. ORDERS per
    1 s) becomes a new fixed window named ``<TYPE>_<interval>`` (``ORDERS_1S``), charged
    wherever its type already is and synced from its ``X-MBX-USED-WEIGHT-<interval>`` or
    ``X-MBX-ORDER-COUNT-<interval>`` header.
    """
    limits = list(base.limits)
    requests = dict(base.requests)
    used_headers = dict(base.feedback.used_headers)
    for entry in map(_parse_entry, rate_limits):
        name = _KNOWN.get((entry.kind, entry.window_s))
        if name is not None:
            index = next(i for i, lim in enumerate(limits) if lim.name == name)
            limits[index] = dataclasses.replace(limits[index], limit=entry.limit)
            continue
        name = f"{entry.kind}_{entry.tag.upper()}"
        scope = Scope.ACCOUNT if entry.kind == "ORDERS" else Scope.IP
        window = float(entry.window_s)
        limits.append(RateLimit(name, entry.limit, window, Algorithm.FIXED_WINDOW, scope))
        template = _TEMPLATE.get(entry.kind, ORDERS_10S)
        for key, cost in requests.items():
            extra = tuple(Cost(name, c.weight) for c in cost.costs if c.limit == template)
            if extra:
                requests[key] = RequestCost(cost.costs + extra, cost.priority)
        if entry.kind in _COUNT_HEADER:
            used_headers[_COUNT_HEADER[entry.kind] + entry.tag] = name
    feedback = dataclasses.replace(base.feedback, used_headers=used_headers)
    return dataclasses.replace(base, limits=tuple(limits), requests=requests, feedback=feedback)


def _parse_entry(entry: Mapping[str, object]) -> _Entry:
    try:
        kind = str(entry["rateLimitType"])
        seconds, letter = _INTERVAL[str(entry["interval"])]
        count = int(str(entry["intervalNum"]))
        limit = int(str(entry["limit"]))
    except (KeyError, ValueError) as e:
        raise ConfigurationError(
            f"Binance exchangeInfo rateLimits entry {dict(entry)} is not of the form "
            '{"rateLimitType", "interval" (SECOND|MINUTE|HOUR|DAY), "intervalNum", "limit"}'
        ) from e
    if kind not in ("REQUEST_WEIGHT", "RAW_REQUESTS", "ORDERS"):
        raise ConfigurationError(f"Binance exchangeInfo has unknown rateLimitType {kind!r}")
    return _Entry(kind, seconds * count, f"{count}{letter.lower()}", limit)
