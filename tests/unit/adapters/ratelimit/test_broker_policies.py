"""Each venue's rate limits are the documented numbers (brokers.md 1.6, 2.4, 3.3, 3.5, 4.5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from jts.adapters.brokers.binance import constants as binance
from jts.adapters.brokers.creon import constants as creon
from jts.adapters.brokers.kis import constants as kis
from jts.adapters.brokers.upbit import constants as upbit
from jts.adapters.ratelimit.feedback import parse_feedback
from jts.adapters.ratelimit.limits import Algorithm, Cost, Priority, RateLimitPolicy, Scope
from jts.shared_kernel.clock import datetime_to_ns
from jts.shared_kernel.errors import ConfigurationError

KST = timezone(timedelta(hours=9))


def _limits(policy: RateLimitPolicy) -> dict[str, tuple[int, float]]:
    return {lim.name: (lim.limit, lim.window_s) for lim in policy.limits}


def test_creon_quotes_60_and_orders_20_per_15_seconds() -> None:
    policy = creon.RATE_LIMIT_POLICY

    assert _limits(policy) == {"quote": (60, 15.0), "trade": (20, 15.0)}
    assert policy.request(creon.NEW_ORDER).priority is Priority.ORDER
    assert policy.request(creon.BALANCE).costs == (Cost("trade"),)
    assert policy.request(creon.STOCK_CHART).priority is Priority.HISTORY


def test_kis_paces_20_per_second_real_2_paper_and_one_token_a_minute() -> None:
    assert _limits(kis.REAL_POLICY) == {"rest": (20, 1.0), "token": (1, 60.0)}
    assert _limits(kis.PAPER_POLICY)["rest"] == (2, 1.0)
    assert kis.rate_limit_policy("paper") is kis.PAPER_POLICY
    assert all(lim.algorithm is Algorithm.GCRA and lim.burst == 1 for lim in kis.REAL_POLICY.limits)
    token = kis.REAL_POLICY.request(f"POST {kis.TOKEN_PATH}")
    assert token.costs == (Cost("rest"), Cost("token"))
    assert kis.REAL_POLICY.request(f"GET {kis.STOCK_PREFIX}/anything").costs == (Cost("rest"),)
    with pytest.raises(ValueError, match="'real' or 'paper'"):
        kis.rate_limit_policy("live")


def test_binance_limits_and_weights() -> None:
    policy = binance.RATE_LIMIT_POLICY

    assert _limits(policy) == {
        "REQUEST_WEIGHT": (6000, 60.0),
        "RAW_REQUESTS": (300_000, 300.0),
        "ORDERS_10S": (50, 10.0),
        "ORDERS_1D": (160_000, 86_400.0),
        "WS_CONNECTIONS": (300, 300.0),
        "WS_MESSAGES": (5, 1.0),
    }
    assert policy.limit("REQUEST_WEIGHT").scope is Scope.IP
    assert policy.limit("ORDERS_10S").scope is Scope.ACCOUNT
    assert policy.request("POST /api/v3/order").costs == (
        Cost("REQUEST_WEIGHT", 1),
        Cost("RAW_REQUESTS", 1),
        Cost("ORDERS_10S", 1),
        Cost("ORDERS_1D", 1),
    )


@pytest.mark.parametrize(
    ("method", "path", "params", "weight"),
    [
        ("GET", "/api/v3/depth", {"symbol": "BTCUSDT"}, 5),
        ("GET", "/api/v3/depth", {"symbol": "BTCUSDT", "limit": 500}, 25),
        ("GET", "/api/v3/depth", {"symbol": "BTCUSDT", "limit": "1000"}, 50),
        ("GET", "/api/v3/depth", {"symbol": "BTCUSDT", "limit": 5000}, 250),
        ("GET", "/api/v3/ticker/price", {"symbol": "BTCUSDT"}, 2),
        ("GET", "/api/v3/ticker/price", None, 4),
        ("GET", "/api/v3/ticker/24hr", {}, 80),
        ("GET", "/api/v3/openOrders", {}, 80),
        ("get", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, 6),
        ("GET", "/api/v3/myTrades", {"symbol": "X", "orderId": 1}, 5),
        ("POST", "/api/v3/order/test", {"computeCommissionRates": "true"}, 20),
        ("PUT", "/api/v3/order/amend/keepPriority", {}, 4),
        ("GET", "/api/v3/account", {}, 20),
    ],
)
def test_binance_weight_depends_on_parameters(
    method: str, path: str, params: dict[str, object] | None, weight: int
) -> None:
    cost = binance.RATE_LIMIT_POLICY.request(binance.endpoint(method, path, params))

    assert cost.costs[0] == Cost("REQUEST_WEIGHT", weight)


def test_binance_exchange_info_updates_and_adds_limits() -> None:
    policy = binance.policy_with_exchange_info(
        [
            {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100},
            {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": 200000},
            {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 1, "limit": 10},
        ]
    )

    assert policy.limit("ORDERS_10S").limit == 100
    assert policy.limit("ORDERS_1D").limit == 200_000
    assert policy.limit("ORDERS_1S").window_s == 1.0
    assert Cost("ORDERS_1S") in policy.request("POST /api/v3/order").costs
    assert Cost("ORDERS_1S") not in policy.request("GET /api/v3/account").costs
    assert policy.feedback.used_headers["x-mbx-order-count-1s"] == "ORDERS_1S"
    headers = {"X-MBX-ORDER-COUNT-1S": "4", "X-MBX-USED-WEIGHT-1M": "10"}
    used = parse_feedback(policy, 200, headers).used
    assert dict(used) == {"ORDERS_1S": 4, "REQUEST_WEIGHT": 10}
    with pytest.raises(ConfigurationError, match="not of the form"):
        binance.policy_with_exchange_info([{"rateLimitType": "ORDERS", "interval": "WEEK"}])
    with pytest.raises(ConfigurationError, match="unknown rateLimitType 'X'"):
        binance.policy_with_exchange_info(
            [{"rateLimitType": "X", "interval": "SECOND", "intervalNum": 1, "limit": 1}]
        )


def test_upbit_groups_and_the_order_limit_raise() -> None:
    limits = _limits(upbit.RATE_LIMIT_POLICY)
    raise_at = datetime_to_ns(datetime(2026, 8, 21, 21, 0, tzinfo=KST))

    assert {g: limits[g] for g in ("market", "candle", "trade", "ticker", "orderbook")} == {
        g: (10, 1.0) for g in ("market", "candle", "trade", "ticker", "orderbook")
    }
    assert limits["default"] == (30, 1.0)
    assert limits["order"] == (12, 1.0)
    assert limits["order-test"] == (8, 1.0)
    assert limits["order-cancel-all"] == (1, 2.0)
    assert limits["websocket-connect"] == (5, 1.0)
    assert limits["websocket-message-minute"] == (100, 60.0)
    assert upbit.policy_at(raise_at - 1).limit("order").limit == 8
    assert upbit.policy_at(raise_at).limit("order").limit == 12
    assert upbit.RATE_LIMIT_POLICY.request("DELETE /v1/orders/open").priority is Priority.CANCEL


def test_hosts_are_the_documented_ones() -> None:
    assert kis.REAL_REST_URL == "https://openapi.koreainvestment.com:9443"
    assert kis.PAPER_WS_URL == "ws://ops.koreainvestment.com:31000"
    assert binance.PRODUCTION.rest == "https://api.binance.com"
    assert binance.TESTNET.rest == "https://testnet.binance.vision"
    assert upbit.REST_URL == "https://api.upbit.com/v1"
    assert upbit.WS_PRIVATE_URL == "wss://api.upbit.com/websocket/v1/private"
    assert datetime_to_ns(datetime(2026, 8, 21, 12, tzinfo=UTC)) == upbit.ORDER_LIMIT_RAISED_AT_NS
