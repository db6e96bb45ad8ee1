"""What the simulated exchange answers when it refuses a request, in each venue's own terms.

Order-rule failures (tick, lot, band, minimum total, filters) come from
``jts.shared_kernel.venues.rules``. This module adds the refusals that depend on the account
or the clock: not enough cash or holdings, the market is closed, the order is unknown.
Codes and texts follow brokers.md: KRX as KIS sends them (``APBK0918`` market closed,
``APBK0952`` over buying power), Upbit error names (``insufficient_funds_bid``,
``order_not_found``), Binance codes (``-2010``, ``-2011``). Refusals no venue documents
(a reduce-only order with nothing to reduce, a market order with no price yet) use
``sim.*`` codes and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from jts.shared_kernel.errors import (
    InsufficientFunds,
    InvalidOrder,
    OrderNotFound,
    PermanentVenueError,
)
from jts.shared_kernel.venues.types import OrderSide, Rejection


@dataclass(frozen=True, slots=True)
class ExchangeRejection:
    """A refusal: the venue's ``Rejection`` and the JTS error a gateway raises for it."""

    rejection: Rejection
    error: type[PermanentVenueError]

    @property
    def reason(self) -> str:
        return f"{self.rejection.message}: {self.rejection.detail}"

    @property
    def code(self) -> str:
        return self.rejection.code

    def to_error(self) -> PermanentVenueError:
        r = self.rejection
        return self.error(self.reason, venue=r.venue, code=r.code)


def order_rule(rejection: Rejection) -> ExchangeRejection:
    return ExchangeRejection(rejection, InvalidOrder)


def _make(
    venue: str, code: str, message: str, detail: str, error: type[PermanentVenueError]
) -> ExchangeRejection:
    return ExchangeRejection(
        Rejection(venue=venue, code=code, message=message, detail=detail), error
    )


def market_closed(venue: str, detail: str) -> ExchangeRejection:
    if venue == "BINANCE":
        return _make(venue, "-1013", "Market is closed.", detail, InvalidOrder)
    if venue == "KRX":
        return _make(venue, "APBK0918", "장운영시간이 아닙니다.(주문불가)", detail, InvalidOrder)
    return _make(venue, "sim.market_closed", "market closed", detail, InvalidOrder)


def insufficient_funds(
    venue: str, side: OrderSide, currency: str, detail: str
) -> ExchangeRejection:
    if venue == "UPBIT":
        suffix = "bid" if side is OrderSide.BUY else "ask"
        message = f"주문가능한 금액({currency})이 부족합니다."
        return _make(venue, f"insufficient_funds_{suffix}", message, detail, InsufficientFunds)
    if venue == "BINANCE":
        message = "Account has insufficient balance for requested action."
        return _make(venue, "-2010", message, detail, InsufficientFunds)
    if venue == "KRX":
        if side is OrderSide.BUY:
            return _make(
                venue, "APBK0952", "주문가능금액을 초과 했습니다", detail, InsufficientFunds
            )
        # The exact KIS code and text for selling more than is held are not documented.
        message = "sell quantity exceeds the shares available to sell"
        return _make(venue, "sim.insufficient_holdings", message, detail, InsufficientFunds)
    return _make(venue, "sim.insufficient_funds", "insufficient funds", detail, InsufficientFunds)


def order_not_found(venue: str, detail: str) -> ExchangeRejection:
    if venue == "UPBIT":
        return _make(venue, "order_not_found", "주문을 찾지 못했습니다.", detail, OrderNotFound)
    if venue == "BINANCE":
        return _make(venue, "-2011", "Unknown order sent.", detail, OrderNotFound)
    return _make(venue, "sim.order_not_found", "order not found", detail, OrderNotFound)


def simulator_refusal(venue: str, code: str, message: str, detail: str) -> ExchangeRejection:
    """A refusal with no documented venue equivalent (``sim.<code>``)."""
    return _make(venue, f"sim.{code}", message, detail, InvalidOrder)
