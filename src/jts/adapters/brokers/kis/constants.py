"""KIS hosts, endpoint paths and rate limits (brokers.md 1.1, 1.2, 1.4, 1.5, 1.6).

REST is limited per appkey to 20 requests/s real and 2/s paper [obs: python-kis uses 19 and 2;
KIS notice 2025-08-07]; KIS publishes no counting rule, so the limiter paces (GCRA, burst 1):
any one-second interval, however aligned, then holds at most the limit. Token issuance
(``/oauth2/tokenP``) is 1 per minute per appkey. No rate-limit headers exist; a breach shows
as ``msg_cd`` EGW00201 (HTTP 500) and a too-early token as EGW00133 (HTTP 403).
"""

from __future__ import annotations

from typing import Final

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
    request,
)

VENUE: Final = "KIS"

REAL_REST_URL: Final = "https://openapi.koreainvestment.com:9443"
PAPER_REST_URL: Final = "https://openapivts.koreainvestment.com:29443"
REAL_WS_URL: Final = "ws://ops.koreainvestment.com:21000"
PAPER_WS_URL: Final = "ws://ops.koreainvestment.com:31000"
WS_PATH: Final = "/tryitout"

TOKEN_PATH: Final = "/oauth2/tokenP"
REVOKE_PATH: Final = "/oauth2/revokeP"
APPROVAL_PATH: Final = "/oauth2/Approval"
HASHKEY_PATH: Final = "/uapi/hashkey"
STOCK_PREFIX: Final = "/uapi/domestic-stock/v1"
PRICE_PATH: Final = f"{STOCK_PREFIX}/quotations/inquire-price"
ASKING_PRICE_PATH: Final = f"{STOCK_PREFIX}/quotations/inquire-asking-price-exp-ccn"
DAILY_CHART_PATH: Final = f"{STOCK_PREFIX}/quotations/inquire-daily-itemchartprice"
DAILY_PRICE_PATH: Final = f"{STOCK_PREFIX}/quotations/inquire-daily-price"
MINUTE_CHART_PATH: Final = f"{STOCK_PREFIX}/quotations/inquire-time-itemchartprice"
PAST_MINUTE_CHART_PATH: Final = f"{STOCK_PREFIX}/quotations/inquire-time-dailychartprice"
HOLIDAY_PATH: Final = f"{STOCK_PREFIX}/quotations/chk-holiday"
ORDER_CASH_PATH: Final = f"{STOCK_PREFIX}/trading/order-cash"
ORDER_MODIFY_CANCEL_PATH: Final = f"{STOCK_PREFIX}/trading/order-rvsecncl"
OPEN_ORDERS_PATH: Final = f"{STOCK_PREFIX}/trading/inquire-psbl-rvsecncl"
DAILY_FILLS_PATH: Final = f"{STOCK_PREFIX}/trading/inquire-daily-ccld"
BALANCE_PATH: Final = f"{STOCK_PREFIX}/trading/inquire-balance"
BUYING_POWER_PATH: Final = f"{STOCK_PREFIX}/trading/inquire-psbl-order"

MAX_WS_SUBSCRIPTIONS: Final = 40  # sample code and python-kis; a 2025 notice may say 41

REST: Final = "rest"
TOKEN: Final = "token"

RATE_LIMITED_CODE: Final = "EGW00201"
TOKEN_TOO_SOON_CODE: Final = "EGW00133"

_REST = Cost(REST)
_ENDPOINTS: Final[dict[str, RequestCost]] = {
    f"POST {TOKEN_PATH}": request(_REST, Cost(TOKEN), priority=Priority.ORDER),
    f"POST {REVOKE_PATH}": request(_REST, priority=Priority.ACCOUNT),
    f"POST {APPROVAL_PATH}": request(_REST, priority=Priority.QUOTE),
    f"POST {HASHKEY_PATH}": request(_REST, priority=Priority.ORDER),
    f"GET {PRICE_PATH}": request(_REST, priority=Priority.QUOTE),
    f"GET {ASKING_PRICE_PATH}": request(_REST, priority=Priority.QUOTE),
    f"GET {DAILY_CHART_PATH}": request(_REST, priority=Priority.HISTORY),
    f"GET {DAILY_PRICE_PATH}": request(_REST, priority=Priority.HISTORY),
    f"GET {MINUTE_CHART_PATH}": request(_REST, priority=Priority.HISTORY),
    f"GET {PAST_MINUTE_CHART_PATH}": request(_REST, priority=Priority.HISTORY),
    f"GET {HOLIDAY_PATH}": request(_REST, priority=Priority.HISTORY),
    f"POST {ORDER_CASH_PATH}": request(_REST, priority=Priority.ORDER),
    f"POST {ORDER_MODIFY_CANCEL_PATH}": request(_REST, priority=Priority.CANCEL),
    f"GET {OPEN_ORDERS_PATH}": request(_REST, priority=Priority.ACCOUNT),
    f"GET {DAILY_FILLS_PATH}": request(_REST, priority=Priority.ACCOUNT),
    f"GET {BALANCE_PATH}": request(_REST, priority=Priority.ACCOUNT),
    f"GET {BUYING_POWER_PATH}": request(_REST, priority=Priority.ACCOUNT),
}

_FEEDBACK: Final = FeedbackRules(
    codes={
        RATE_LIMITED_CODE: CodeRule(limits=(REST,)),
        TOKEN_TOO_SOON_CODE: CodeRule(limits=(TOKEN,), block_s=60.0),
    }
)


def _policy(requests_per_second: int) -> RateLimitPolicy:
    return RateLimitPolicy(
        venue=VENUE,
        limits=(
            RateLimit(REST, requests_per_second, 1.0, Algorithm.GCRA, Scope.API_KEY),
            RateLimit(TOKEN, 1, 60.0, Algorithm.GCRA, Scope.API_KEY),
        ),
        requests=_ENDPOINTS,
        default_request=request(_REST, priority=Priority.QUOTE),
        feedback=_FEEDBACK,
        backoff=Backoff(base_429_s=1.0, cap_429_s=60.0, base_418_s=60.0, cap_418_s=3600.0),
    )


REAL_POLICY: Final = _policy(20)
PAPER_POLICY: Final = _policy(2)


def rate_limit_policy(environment: str) -> RateLimitPolicy:
    """The policy for ``"real"`` (실전) or ``"paper"`` (모의투자)."""
    if environment == "real":
        return REAL_POLICY
    if environment == "paper":
        return PAPER_POLICY
    raise ValueError(f"KIS environment {environment!r} must be 'real' or 'paper'")
