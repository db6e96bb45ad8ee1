"""Upbit spot rules: KRW/BTC/USDT market ticks, minimum order totals, fees and validation.

Facts (brokers.md 4.6-4.7, docs.upbit.com krw-market-info and changelogs):

- KRW tick table, policy from **2025-07-31**: 1,000 won from 1,000,000 up; 500 from
  500,000; 100 from 100,000; 50 from 50,000; 10 from 10,000; 5 from 5,000; 1 from 100;
  then 0.1 / 0.01 / 0.001 / 0.0001 / 0.00001 / 0.000001 for each decade down to 0.0001
  and 0.0000001 below (rows under 100 won are [obs]; the last is [unconfirmed]).
  From 2024-01-29 to 2025-07-30: 1,000 from 2,000,000; 500 from 1,000,000; 100 from
  500,000; 50 from 100,000; 10 from 10,000; 1 from 1,000; 0.1 from 100 ... down to 1e-8
  below 0.0001 (docs v1.4.5). Before 2024-01-29 (docs v1.4.1; start date not recorded, so
  it is used for every earlier date): as above but 5 from 1,000, 1 from 100, 0.1 from 10,
  0.01 from 1, 0.001 from 0.1 and 0.0001 below. Per-pair exceptions (USDT/KRW and USDC/KRW
  0.5 in 1,000-10,000 from 2025-03-21; 16 pairs at 1 won in 100-1,000 from 2024-10-14) are
  not in the table: register such instruments with their own tick rule
  (``GET /v1/orderbook/instruments`` is authoritative).
- BTC market: one tick of 0.00000001 BTC, minimum total 0.00005 BTC. USDT market: ticks by
  price from 2024-08-19 (0.01 from 10 USDT ... 0.00000001 below 0.0001), minimum 0.5 USDT;
  earlier USDT dates raise ``UnknownRuleDate``.
- KRW market: minimum order total 5,000 KRW (``under_min_total_bid``/``_ask`` otherwise),
  maximum 1,000,000,000 KRW (``max_total`` in orders/chance [obs]; the error name for
  exceeding it is [unconfirmed], reported here as ``validation_error``), fee 0.05% maker
  and taker charged in KRW, not rounded (the docs' order example carries fractional fees).
- Volumes carry up to 8 decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from jts.shared_kernel.numbers import ZERO
from jts.shared_kernel.venues.dated import Dated
from jts.shared_kernel.venues.fees import FeeAsset, FeeSchedule
from jts.shared_kernel.venues.ticks import TickTable
from jts.shared_kernel.venues.types import OrderSide, Rejection

VENUE = "UPBIT"
VOLUME_STEP = Decimal("0.00000001")
KRW_FEE_RATE = Decimal("0.0005")
KRW_MIN_TOTAL = Decimal(5_000)
KRW_MAX_TOTAL = Decimal(1_000_000_000)
BTC_MIN_TOTAL = Decimal("0.00005")
USDT_MIN_TOTAL = Decimal("0.5")
INVALID_PRICE_MESSAGE = "주문가격 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요."

_SMALL_PRICE_BANDS = [
    ("0.0001", "0.0000001"),
    ("0.001", "0.000001"),
    ("0.01", "0.00001"),
    ("0.1", "0.0001"),
    ("1", "0.001"),
    ("10", "0.01"),
]

KRW_TICKS = TickTable.from_bands(
    "Upbit KRW ticks (since 2025-07-31)",
    [
        (0, "0.0000001"),
        ("0.0001", "0.000001"),
        ("0.001", "0.00001"),
        ("0.01", "0.0001"),
        ("0.1", "0.001"),
        (1, "0.01"),
        (10, "0.1"),
        (100, 1),
        (5_000, 5),
        (10_000, 10),
        (50_000, 50),
        (100_000, 100),
        (500_000, 500),
        (1_000_000, 1_000),
    ],
)
KRW_TICKS_2024 = TickTable.from_bands(
    "Upbit KRW ticks (2024-01-29 to 2025-07-30)",
    [
        (0, "0.00000001"),
        *_SMALL_PRICE_BANDS,
        (100, "0.1"),
        (1_000, 1),
        (10_000, 10),
        (100_000, 50),
        (500_000, 100),
        (1_000_000, 500),
        (2_000_000, 1_000),
    ],
)
KRW_TICKS_BEFORE_2024 = TickTable.from_bands(
    "Upbit KRW ticks (before 2024-01-29)",
    [
        (0, "0.0001"),
        ("0.1", "0.001"),
        (1, "0.01"),
        (10, "0.1"),
        (100, 1),
        (1_000, 5),
        (10_000, 10),
        (100_000, 50),
        (500_000, 100),
        (1_000_000, 500),
        (2_000_000, 1_000),
    ],
)
USDT_TICKS = TickTable.from_bands(
    "Upbit USDT ticks (since 2024-08-19)",
    [(0, "0.00000001"), *_SMALL_PRICE_BANDS[:-1], (10, "0.01")],
)
BTC_TICKS = TickTable.uniform("Upbit BTC market tick", Decimal("0.00000001"))

_TICK_RULES: dict[str, Dated[TickTable]] = {
    "KRW": Dated(
        "Upbit KRW tick table",
        (
            (date.min, KRW_TICKS_BEFORE_2024),
            (date(2024, 1, 29), KRW_TICKS_2024),
            (date(2025, 7, 31), KRW_TICKS),
        ),
    ),
    "BTC": Dated.constant("Upbit BTC tick table", BTC_TICKS),
    "USDT": Dated("Upbit USDT tick table", ((date(2024, 8, 19), USDT_TICKS),)),
}
_MIN_TOTALS = {"KRW": KRW_MIN_TOTAL, "BTC": BTC_MIN_TOTAL, "USDT": USDT_MIN_TOTAL}


def tick_rule(market: str) -> Dated[TickTable]:
    """The dated tick table of an Upbit market (``KRW``, ``BTC`` or ``USDT``)."""
    try:
        return _TICK_RULES[market]
    except KeyError:
        raise ValueError(f"Upbit market {market!r} is not one of KRW, BTC, USDT") from None


def krw_fees(rate: Decimal = KRW_FEE_RATE) -> FeeSchedule:
    """KRW market fees: one rate for maker and taker, charged in KRW."""
    return FeeSchedule(maker_rate=rate, taker_rate=rate, fee_asset=FeeAsset.QUOTE)


class UpbitRules(msgspec.Struct, frozen=True, kw_only=True, tag="UPBIT"):
    """Upbit-specific parts of an instrument spec: its market and order total limits."""

    market: str
    min_total: Decimal
    max_total: Decimal | None = None

    @classmethod
    def for_market(cls, market: str) -> UpbitRules:
        tick_rule(market)  # refuses unknown markets
        max_total = KRW_MAX_TOTAL if market == "KRW" else None
        return cls(market=market, min_total=_MIN_TOTALS[market], max_total=max_total)


def validate_order(
    *,
    rules: UpbitRules,
    ticks: TickTable,
    side: OrderSide,
    quantity: Decimal,
    price: Decimal | None,
    reference_price: Decimal | None = None,
) -> Rejection | None:
    """Why Upbit would refuse the order (its error name as ``code``), or ``None``.

    ``price`` None is a market order; its total is valued at ``reference_price`` when given
    and not checked otherwise.
    """
    suffix = "bid" if side is OrderSide.BUY else "ask"
    if quantity <= ZERO or quantity % VOLUME_STEP:
        return _reject(
            "validation_error",
            "invalid volume",
            f"volume {quantity} must be positive with at most 8 decimals",
        )
    if price is not None and (price <= ZERO or not ticks.is_on_grid(price)):
        tick = ticks.tick_at(price) if price > ZERO else ticks.ticks[0]
        return _reject(
            f"invalid_price_{suffix}",
            INVALID_PRICE_MESSAGE,
            f"price {price} is not a multiple of the {tick} {rules.market} tick at that price",
        )
    valued_at = price if price is not None else reference_price
    if valued_at is None:
        return None
    return _check_total(rules, suffix, valued_at * quantity)


def _check_total(rules: UpbitRules, suffix: str, total: Decimal) -> Rejection | None:
    if total < rules.min_total:
        return _reject(
            f"under_min_total_{suffix}",
            "order total below the market minimum",
            f"total {total} {rules.market} is below the minimum {rules.min_total} "
            f"{rules.market}; raise the volume",
        )
    if rules.max_total is not None and total > rules.max_total:
        return _reject(
            "validation_error",
            "order total above the market maximum",
            f"total {total} {rules.market} exceeds max_total {rules.max_total}; split the order",
        )
    return None


def _reject(code: str, message: str, detail: str) -> Rejection:
    return Rejection(venue=VENUE, code=code, message=message, detail=detail)
