"""KRX cash-equity rules: tick tables, daily price limits, lots and order validation.

Facts (brokers.md section 0; KRX rulebook not reachable, so edges are observed practice):

- Stocks on KOSPI, KOSDAQ and KONEX share one tick table since **2023-01-25**: 1 won below
  2,000; 5 to 5,000; 10 to 20,000; 50 to 50,000; 100 to 200,000; 500 to 500,000; 1,000 above.
  Before that KOSPI used 1/5/10/50/100/500/1,000 with breaks at 1,000, 5,000, 10,000,
  50,000, 100,000 and 500,000, and KOSDAQ the same up to 50,000 and a flat 100 above
  (reform reporting, chosun 2022-11-01). The older tables are used for every date before
  2023-01-25; they date from a 2010 revision and earlier tables are not modelled.
- ETF/ETN/ELW kept a flat 5-won tick in the 2023 reform. KRX then announced (2023-10-05)
  a 1-won tick below 2,000 won for ETF/ETN, effective **2023-12-18** (one report says
  12-08); a broker's ETF rule page (Eugene) lists 1 won below 2,000 and 5 won above.
- Daily price band: +/-30% of the base price (normally the previous close). The limit prices
  are put on the grid inward: the upper limit rounded down, the lower limit rounded up,
  each with the tick of the band it falls in. Leveraged ETFs multiply the band by their
  leverage; pass that rate to ``price_limits``.
- Lot: 1 share. Settlement T+2.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from jts.shared_kernel.numbers import ONE, ZERO, Rounding
from jts.shared_kernel.venues.dated import Dated
from jts.shared_kernel.venues.ticks import TickTable
from jts.shared_kernel.venues.types import MarketSegment, Rejection

VENUE = "KRX"
UNIFIED_TICKS_FROM = date(2023, 1, 25)
ETF_LOW_PRICE_TICK_FROM = date(2023, 12, 18)
DEFAULT_PRICE_LIMIT_RATE = Decimal("0.30")
SHARE_LOT = ONE
# KIS answers a non-grid price with this text (brokers.md 0.2, KIS 40030000).
TICK_ERROR_MESSAGE = "주식주문호가단위 오류입니다."

STOCK_TICKS = TickTable.from_bands(
    "KRX stock ticks (since 2023-01-25)",
    [
        (0, 1),
        (2_000, 5),
        (5_000, 10),
        (20_000, 50),
        (50_000, 100),
        (200_000, 500),
        (500_000, 1_000),
    ],
)
KOSPI_TICKS_BEFORE_2023 = TickTable.from_bands(
    "KOSPI ticks (before 2023-01-25)",
    [
        (0, 1),
        (1_000, 5),
        (5_000, 10),
        (10_000, 50),
        (50_000, 100),
        (100_000, 500),
        (500_000, 1_000),
    ],
)
KOSDAQ_TICKS_BEFORE_2023 = TickTable.from_bands(
    "KOSDAQ ticks (before 2023-01-25)",
    [(0, 1), (1_000, 5), (5_000, 10), (10_000, 50), (50_000, 100)],
)
ETF_TICKS_FLAT = TickTable.uniform("KRX ETF ticks (flat 5 won)", Decimal(5))
ETF_TICKS = TickTable.from_bands("KRX ETF ticks (since 2023-12-18)", [(0, 1), (2_000, 5)])

_TICK_RULES: dict[MarketSegment, Dated[TickTable]] = {
    MarketSegment.KOSPI: Dated(
        "KOSPI tick table",
        ((date.min, KOSPI_TICKS_BEFORE_2023), (UNIFIED_TICKS_FROM, STOCK_TICKS)),
    ),
    MarketSegment.KOSDAQ: Dated(
        "KOSDAQ tick table",
        ((date.min, KOSDAQ_TICKS_BEFORE_2023), (UNIFIED_TICKS_FROM, STOCK_TICKS)),
    ),
    # KONEX followed the KOSDAQ table before the reform [obs, not verified separately].
    MarketSegment.KONEX: Dated(
        "KONEX tick table",
        ((date.min, KOSDAQ_TICKS_BEFORE_2023), (UNIFIED_TICKS_FROM, STOCK_TICKS)),
    ),
    MarketSegment.ETF: Dated(
        "KRX ETF tick table",
        ((date.min, ETF_TICKS_FLAT), (ETF_LOW_PRICE_TICK_FROM, ETF_TICKS)),
    ),
}


def tick_rule(segment: MarketSegment) -> Dated[TickTable]:
    """The dated tick table for a KRX market segment."""
    return _TICK_RULES[segment]


class PriceBand(msgspec.Struct, frozen=True):
    """The daily limit prices around ``base`` (both on the tick grid, both inclusive)."""

    lower: Decimal
    upper: Decimal
    base: Decimal

    def contains(self, price: Decimal) -> bool:
        return self.lower <= price <= self.upper


def price_limits(
    base_price: Decimal, ticks: TickTable, rate: Decimal = DEFAULT_PRICE_LIMIT_RATE
) -> PriceBand:
    """The +/-``rate`` band around ``base_price``, limits rounded inward onto the grid."""
    if base_price <= ZERO:
        raise ValueError(f"KRX base price {base_price} must be positive (the previous close)")
    upper = ticks.round_price(base_price * (ONE + rate), Rounding.DOWN)
    lower = ticks.round_price(base_price * (ONE - rate), Rounding.UP)
    return PriceBand(lower=lower, upper=upper, base=base_price)


class KrxRules(msgspec.Struct, frozen=True, kw_only=True, tag="KRX"):
    """KRX-specific parts of an instrument spec (the rest lives on ``Instrument``)."""

    price_limit_rate: Decimal = DEFAULT_PRICE_LIMIT_RATE
    settlement_lag: int = 2

    def __post_init__(self) -> None:
        if not ZERO < self.price_limit_rate < ONE:
            raise ValueError(f"KRX price_limit_rate {self.price_limit_rate} must be in (0, 1)")
        if self.settlement_lag < 0:
            raise ValueError(f"KRX settlement_lag {self.settlement_lag} must not be negative")


def validate_order(
    *,
    ticks: TickTable,
    quantity: Decimal,
    price: Decimal | None,
    lot: Decimal = SHARE_LOT,
    band: PriceBand | None = None,
) -> Rejection | None:
    """Why KRX would refuse the order, or ``None``. ``price`` None is a market order."""
    if quantity <= ZERO or quantity % lot:
        return _reject(
            "krx.lot",
            "invalid order quantity",
            f"quantity {quantity} must be a positive whole number of {lot}-share lots",
        )
    if price is None:
        return None
    if price <= ZERO or not ticks.is_on_grid(price):
        return _tick_rejection(ticks, price)
    if band is not None and not band.contains(price):
        return _reject(
            "krx.price_limit",
            "order price outside the daily price limit",
            f"price {price} is outside the daily limits {band.lower}..{band.upper} around "
            f"the base price {band.base}; clip it to the band",
        )
    return None


def _tick_rejection(ticks: TickTable, price: Decimal) -> Rejection:
    if price <= ZERO:
        return _reject("krx.tick", TICK_ERROR_MESSAGE, f"price {price} must be positive")
    down = ticks.round_price(price, Rounding.DOWN) if price >= ticks.ticks[0] else None
    up = ticks.round_price(price, Rounding.UP)
    nearby = f"{down} or {up}" if down is not None else f"{up}"
    return _reject(
        "krx.tick",
        TICK_ERROR_MESSAGE,
        f"price {price} is not a multiple of the {ticks.tick_at(price)}-won tick; use {nearby}",
    )


def _reject(code: str, message: str, detail: str) -> Rejection:
    return Rejection(venue=VENUE, code=code, message=message, detail=detail)
