"""What a working order locks, and how much of a buy the account can pay for at fill time.

A buy locks ``quantity * reserve_price`` plus the fee on that amount when the venue charges
fees in the quote currency (KRX commission, Upbit's reserved fee); Binance charges buy fees
in the base asset, so nothing extra is locked. The reserve price is the limit price for
limit and stop-limit buys. Market buys on KRX reserve at the day's upper limit price, as
KIS values price-less orders (brokers.md 0.3); elsewhere, and on KRX before a band is known,
at the last price plus ``ExchangeConfig.market_buy_buffer`` (KRX: the upper limit around the
last price). Stop-market buys reserve like market buys but never below their trigger.
A sell locks the units it sells; a reduce-only sell locks nothing and is capped at fill time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from jts.runtime.backtest.exchange.listing import Listing
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.types import OrderSide


def buy_reserve(listing: Listing, quantity: Decimal, price: Decimal) -> Decimal:
    """Cash a buy of ``quantity`` at ``price`` locks (notional plus a quote fee)."""
    if quantity <= ZERO:
        return ZERO
    notional = price * quantity
    if not listing.buy_fee_in_quote:
        return notional
    fee = rules.fee(listing.instrument, OrderSide.BUY, price, quantity, listing.reserve_liquidity)
    return notional + fee.amount


def buy_cost(listing: Listing, quantity: Decimal, price: Decimal, fee: Decimal) -> Decimal:
    return price * quantity + fee if listing.buy_fee_in_quote else price * quantity


def buy_reserve_price(
    listing: Listing,
    limit_price: Decimal | None,
    trigger_price: Decimal | None,
    *,
    buffer: Decimal,
    on: date,
) -> Decimal | None:
    """The unit price a buy is reserved at; ``None`` when no price is known yet."""
    if limit_price is not None:
        return limit_price
    market = _market_buy_price(listing, buffer, on)
    if trigger_price is None or market is None:
        return market if trigger_price is None else trigger_price * (ONE + buffer)
    return max(market, trigger_price * (ONE + buffer))


def _market_buy_price(listing: Listing, buffer: Decimal, on: date) -> Decimal | None:
    if listing.band is not None:
        return listing.band.upper
    last = listing.last_price
    if last is None:
        return None
    if listing.has_band:
        band = rules.price_limits(listing.instrument, last, on=on)
        return band.upper if band is not None else last
    return last * (ONE + buffer)


def affordable_quantity(
    listing: Listing,
    *,
    quantity: Decimal,
    price: Decimal,
    budget: Decimal,
    fee_of: Callable[[Decimal], Decimal],
) -> Decimal:
    """The largest whole-lot quantity up to ``quantity`` whose cost at ``price`` (with its
    quote fee) fits ``budget``; zero if not even one lot does."""
    if buy_cost(listing, quantity, price, fee_of(quantity)) <= budget:
        return quantity
    instrument = listing.instrument
    rate = instrument.fees.rate(listing.reserve_liquidity) if listing.buy_fee_in_quote else ZERO
    q = min(quantity, rules.round_quantity(instrument, budget / (price * (ONE + rate))))
    while q > ZERO and buy_cost(listing, q, price, fee_of(q)) > budget:
        q -= instrument.lot_size  # fee rounding can leave the estimate a lot too high
    return max(q, ZERO)
