"""Binance Spot rules: symbol filters from ``exchangeInfo``, order validation and fees.

Filters (brokers.md 3.6-3.7; binance-spot-api-docs ``filters.md``), wire keys in brackets:

- ``PRICE_FILTER`` [minPrice, maxPrice, tickSize]: price >= minPrice, price <= maxPrice,
  price % tickSize == 0; a zero disables its rule. Limit prices only.
- ``PERCENT_PRICE`` [multiplierUp, multiplierDown, avgPriceMins] and
  ``PERCENT_PRICE_BY_SIDE`` [bid/askMultiplierUp, bid/askMultiplierDown, avgPriceMins]: the
  price must lie within the multipliers of the average price (checked when the caller
  supplies that ``reference_price``).
- ``LOT_SIZE`` [minQty, maxQty, stepSize] for every order; ``MARKET_LOT_SIZE`` (same keys)
  additionally for MARKET orders: quantity >= minQty, <= maxQty,
  (quantity - minQty) % stepSize == 0; zeros disable.
- ``NOTIONAL`` [minNotional, applyMinToMarket, maxNotional, applyMaxToMarket,
  avgPriceMins], or on older symbols ``MIN_NOTIONAL`` [minNotional, applyToMarket,
  avgPriceMins]: price * quantity within the bounds; MARKET orders are valued at the
  average price and only checked when the ``apply*ToMarket`` flag is set.

A failure is Binance's ``-1013`` with message ``"Filter failure: <FILTER>"``, the first
failing filter in the order above. Other filters (ICEBERG_PARTS, MAX_NUM_ORDERS,
TRAILING_DELTA ...) are parsed past and not checked here.

Fees: 0.1% maker and taker by default [obs: ccxt defaults; the account endpoint has the
real rates], taken from what the trade delivers (base asset on buys, quote on sells).
Paying with BNB gives a 25% discount [obs]; ``fees(bnb_discount=True)`` models it as the
discounted rate valued in the quote currency (converting that value into BNB is the
portfolio's business, since it needs a BNB price).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues.fees import FeeAsset, FeeSchedule
from jts.shared_kernel.venues.types import OrderSide, Rejection

VENUE = "BINANCE"
FILTER_FAILURE_CODE = "-1013"
DEFAULT_FEE_RATE = Decimal("0.001")
BNB_DISCOUNT = Decimal("0.25")


class _Filter(msgspec.Struct, frozen=True, rename="camel"):
    pass


class PriceFilter(_Filter, frozen=True):
    min_price: Decimal
    max_price: Decimal
    tick_size: Decimal


class LotSize(_Filter, frozen=True):
    min_qty: Decimal
    max_qty: Decimal
    step_size: Decimal


class Notional(_Filter, frozen=True):
    min_notional: Decimal
    apply_min_to_market: bool = True
    max_notional: Decimal = ZERO
    apply_max_to_market: bool = False
    avg_price_mins: int = 5


class MinNotional(_Filter, frozen=True):
    min_notional: Decimal
    apply_to_market: bool = True
    avg_price_mins: int = 5


class PercentPrice(_Filter, frozen=True):
    multiplier_up: Decimal
    multiplier_down: Decimal
    avg_price_mins: int = 5


class PercentPriceBySide(_Filter, frozen=True):
    bid_multiplier_up: Decimal
    bid_multiplier_down: Decimal
    ask_multiplier_up: Decimal
    ask_multiplier_down: Decimal
    avg_price_mins: int = 5


class BinanceRules(msgspec.Struct, frozen=True, kw_only=True, tag="BINANCE"):
    """The symbol's filters; ``PRICE_FILTER`` and ``LOT_SIZE`` always exist on Spot."""

    price_filter: PriceFilter
    lot_size: LotSize
    market_lot_size: LotSize | None = None
    notional: Notional | None = None
    min_notional: MinNotional | None = None
    percent_price: PercentPrice | None = None
    percent_price_by_side: PercentPriceBySide | None = None


class BinanceSymbol(msgspec.Struct, frozen=True, kw_only=True):
    """The parts of an ``exchangeInfo`` symbol entry JTS uses."""

    symbol: str
    status: str
    base_asset: str
    quote_asset: str
    rules: BinanceRules


# exchangeInfo filterType -> BinanceRules field
_FILTER_FIELDS = {
    "PRICE_FILTER": "price_filter",
    "LOT_SIZE": "lot_size",
    "MARKET_LOT_SIZE": "market_lot_size",
    "NOTIONAL": "notional",
    "MIN_NOTIONAL": "min_notional",
    "PERCENT_PRICE": "percent_price",
    "PERCENT_PRICE_BY_SIDE": "percent_price_by_side",
}


def parse_symbol(info: Mapping[str, Any]) -> BinanceSymbol:
    """Parse one ``symbols[]`` entry of ``GET /api/v3/exchangeInfo`` (wire keys as sent)."""
    name = info.get("symbol", "?")
    try:
        by_field = {
            _FILTER_FIELDS[raw["filterType"]]: raw
            for raw in info["filters"]
            if raw.get("filterType") in _FILTER_FIELDS
        }
        return BinanceSymbol(
            symbol=str(info["symbol"]),
            status=str(info.get("status", "TRADING")),
            base_asset=str(info["baseAsset"]),
            quote_asset=str(info["quoteAsset"]),
            rules=msgspec.convert(by_field, BinanceRules),
        )
    except (KeyError, TypeError, AttributeError, msgspec.ValidationError) as e:
        raise DataError(
            f"Binance exchangeInfo entry for {name}: {e!s} (expected symbol, baseAsset, "
            "quoteAsset and filters including PRICE_FILTER and LOT_SIZE)"
        ) from e


def fees(
    maker_rate: Decimal = DEFAULT_FEE_RATE,
    taker_rate: Decimal = DEFAULT_FEE_RATE,
    *,
    bnb_discount: bool = False,
) -> FeeSchedule:
    """Spot fees; with ``bnb_discount`` the 25% lower rate, valued in the quote currency."""
    if bnb_discount:
        keep = ONE - BNB_DISCOUNT
        return FeeSchedule(
            maker_rate=maker_rate * keep, taker_rate=taker_rate * keep, fee_asset=FeeAsset.QUOTE
        )
    return FeeSchedule(maker_rate=maker_rate, taker_rate=taker_rate, fee_asset=FeeAsset.RECEIVED)


def validate_order(
    rules: BinanceRules,
    *,
    side: OrderSide,
    quantity: Decimal,
    price: Decimal | None,
    reference_price: Decimal | None = None,
) -> Rejection | None:
    """The ``-1013`` filter failure Binance would answer, or ``None``.

    ``price`` None is a MARKET order. ``reference_price`` is the symbol's average price
    (``GET /api/v3/avgPrice``); without it the percent-price filters and market notional
    checks are skipped.
    """
    failed = (
        _price_failure(rules, side, price, reference_price)
        or _lot_failure(rules, quantity, market=price is None)
        or _notional_failure(rules, quantity, price, reference_price)
    )
    if failed is None:
        return None
    name, detail = failed
    return Rejection(
        venue=VENUE, code=FILTER_FAILURE_CODE, message=f"Filter failure: {name}", detail=detail
    )


_Failure = tuple[str, str] | None


def _price_failure(
    rules: BinanceRules, side: OrderSide, price: Decimal | None, average: Decimal | None
) -> _Failure:
    if price is None:
        return None
    f = rules.price_filter
    if price <= ZERO or (f.min_price and price < f.min_price):
        return "PRICE_FILTER", f"price {price} is below minPrice {f.min_price}"
    if f.max_price and price > f.max_price:
        return "PRICE_FILTER", f"price {price} is above maxPrice {f.max_price}"
    if f.tick_size and price % f.tick_size:
        return "PRICE_FILTER", f"price {price} is not a multiple of tickSize {f.tick_size}"
    if average is None:
        return None
    if rules.percent_price is not None:
        p = rules.percent_price
        if not average * p.multiplier_down <= price <= average * p.multiplier_up:
            return "PERCENT_PRICE", _band_detail(price, average, p.multiplier_down, p.multiplier_up)
    if rules.percent_price_by_side is not None:
        s = rules.percent_price_by_side
        down, up = (
            (s.bid_multiplier_down, s.bid_multiplier_up)
            if side is OrderSide.BUY
            else (s.ask_multiplier_down, s.ask_multiplier_up)
        )
        if not average * down <= price <= average * up:
            return "PERCENT_PRICE_BY_SIDE", _band_detail(price, average, down, up)
    return None


def _band_detail(price: Decimal, average: Decimal, down: Decimal, up: Decimal) -> str:
    return (
        f"price {price} is outside {average * down}..{average * up} "
        f"({down}x..{up}x the average price {average})"
    )


def _lot_failure(rules: BinanceRules, quantity: Decimal, *, market: bool) -> _Failure:
    checks = [("LOT_SIZE", rules.lot_size)]
    if market and rules.market_lot_size is not None:
        checks.append(("MARKET_LOT_SIZE", rules.market_lot_size))
    for name, lot in checks:
        if quantity <= ZERO or quantity < lot.min_qty:
            return name, f"quantity {quantity} is below minQty {lot.min_qty}"
        if lot.max_qty and quantity > lot.max_qty:
            return name, f"quantity {quantity} is above maxQty {lot.max_qty}"
        if lot.step_size and (quantity - lot.min_qty) % lot.step_size:
            return name, f"quantity {quantity} is not on the stepSize {lot.step_size} grid"
    return None


def _notional_failure(
    rules: BinanceRules, quantity: Decimal, price: Decimal | None, average: Decimal | None
) -> _Failure:
    market = price is None
    valued_at = average if market else price
    if valued_at is None:
        return None
    notional = valued_at * quantity
    if rules.notional is not None:
        n = rules.notional
        if (not market or n.apply_min_to_market) and notional < n.min_notional:
            return "NOTIONAL", f"notional {notional} is below minNotional {n.min_notional}"
        if n.max_notional and (not market or n.apply_max_to_market) and notional > n.max_notional:
            return "NOTIONAL", f"notional {notional} is above maxNotional {n.max_notional}"
    if rules.min_notional is not None:
        m = rules.min_notional
        if (not market or m.apply_to_market) and notional < m.min_notional:
            return "MIN_NOTIONAL", f"notional {notional} is below minNotional {m.min_notional}"
    return None
