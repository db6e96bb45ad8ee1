"""Creon Plus COM objects and rate limits (brokers.md 2.2, 2.3, 2.4, 2.5).

Creon counts two request classes per login over 15-second windows that start with the first
request [doc: CybosPlus Interface]: quote requests (``LT_NONTRADE_REQUEST``) 60 per 15 s, and
order/account requests (``LT_TRADE_REQUEST``) 20 per 15 s. A sliding log keeps every 15-second
interval within the limit, whatever Creon's window start. Orders and account queries share
one window, so the lanes decide who goes first. Values are the 2017-2018 documented ones;
current values [unconfirmed]. Requests are named by COM ProgID; the bridge reports
``GetLimitRemainCount`` as ``Feedback.remaining`` and order return code 4 as a rate-limit code.
"""

from __future__ import annotations

from typing import Final

from jts.adapters.ratelimit.limits import (
    Algorithm,
    Backoff,
    CodeRule,
    FeedbackRules,
    Priority,
    RateLimit,
    RateLimitPolicy,
    Scope,
    request,
)

VENUE: Final = "CREON"

QUOTE: Final = "quote"
TRADE: Final = "trade"

LT_TRADE_REQUEST: Final = 0
LT_NONTRADE_REQUEST: Final = 1
LT_SUBSCRIBE: Final = 2
LIMIT_NAME_BY_TYPE: Final = {LT_TRADE_REQUEST: TRADE, LT_NONTRADE_REQUEST: QUOTE}
MAX_SUBSCRIPTIONS: Final = 400

ORDER_LIMIT_EXCEEDED_CODE: Final = "4"  # order objects' BlockRequest return value

STOCK_MST: Final = "DsCbo1.StockMst"
MARKET_EYE: Final = "CpSysDib.MarketEye"
STOCK_JP_BID2: Final = "DsCbo1.StockJpBid2"
STOCK_CHART: Final = "CpSysDib.StockChart"
NEW_ORDER: Final = "CpTrade.CpTd0311"
MODIFY_ORDER: Final = "CpTrade.CpTd0313"
CANCEL_ORDER: Final = "CpTrade.CpTd0314"
OPEN_ORDERS: Final = "CpTrade.CpTd5339"
TODAY_FILLS: Final = "CpTrade.CpTd5341"
BALANCE: Final = "CpTrade.CpTd6033"
BUYING_POWER: Final = "CpTrade.CpTdNew5331A"

RATE_LIMIT_POLICY: Final = RateLimitPolicy(
    venue=VENUE,
    limits=(
        RateLimit(QUOTE, 60, 15.0, Algorithm.SLIDING_LOG, Scope.ACCOUNT),
        RateLimit(TRADE, 20, 15.0, Algorithm.SLIDING_LOG, Scope.ACCOUNT),
    ),
    requests={
        STOCK_MST: request(QUOTE, priority=Priority.QUOTE),
        MARKET_EYE: request(QUOTE, priority=Priority.QUOTE),
        STOCK_JP_BID2: request(QUOTE, priority=Priority.QUOTE),
        STOCK_CHART: request(QUOTE, priority=Priority.HISTORY),
        NEW_ORDER: request(TRADE, priority=Priority.ORDER),
        MODIFY_ORDER: request(TRADE, priority=Priority.ORDER),
        CANCEL_ORDER: request(TRADE, priority=Priority.CANCEL),
        OPEN_ORDERS: request(TRADE, priority=Priority.ACCOUNT),
        TODAY_FILLS: request(TRADE, priority=Priority.ACCOUNT),
        BALANCE: request(TRADE, priority=Priority.ACCOUNT),
        BUYING_POWER: request(TRADE, priority=Priority.ACCOUNT),
    },
    feedback=FeedbackRules(codes={ORDER_LIMIT_EXCEEDED_CODE: CodeRule(limits=(TRADE,))}),
    backoff=Backoff(base_429_s=1.0, cap_429_s=15.0, base_418_s=15.0, cap_418_s=300.0),
    order_reserve=0.25,
)
