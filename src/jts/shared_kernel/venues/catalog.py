"""Built-in instrument specs for tests, demos and the simulator, and a registry factory.

``USDT-KRW.UPBIT`` is Upbit's KRW market for USDT (wire code ``KRW-USDT``): the live node
marks it for the USDT/KRW rate of USDT-quoted positions. Its ticks are the KRW table with
the pair's own 0.5-won band from 1,000 to 10,000 won from 2025-03-21 (brokers.md 4.6); that
the band outlived the 2025-07-31 table change is [unconfirmed] (``GET
/v1/orderbook/instruments`` is authoritative).

The Binance entries are ``exchangeInfo`` symbol objects in wire format, with filter values
of the kind live BTCUSDT/ETHUSDT carried in 2025-2026 (brokers.md 3.7 [obs]); live trading
must refresh them from ``GET /api/v3/exchangeInfo``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jts.shared_kernel.venues import upbit
from jts.shared_kernel.venues.dated import Dated
from jts.shared_kernel.venues.fees import FeeSchedule
from jts.shared_kernel.venues.instruments import (
    DEFAULT_KRX_COMMISSION,
    Instrument,
    InstrumentRegistry,
    binance_instrument,
    krx_commission,
    krx_instrument,
    upbit_instrument,
)
from jts.shared_kernel.venues.ticks import TickTable
from jts.shared_kernel.venues.types import MarketSegment
from jts.shared_kernel.venues.upbit import KRW_FEE_RATE, krw_fees

KRX_LISTINGS: tuple[tuple[str, str, MarketSegment], ...] = (
    ("005930", "Samsung Electronics", MarketSegment.KOSPI),
    ("000660", "SK hynix", MarketSegment.KOSPI),
    ("035420", "NAVER", MarketSegment.KOSPI),
    ("069500", "KODEX 200", MarketSegment.ETF),
)
UPBIT_KRW_BASES: tuple[tuple[str, str], ...] = (("BTC", "Bitcoin"), ("ETH", "Ethereum"))
USDT_KRW_HALF_WON_FROM = date(2025, 3, 21)


def _with_band(table: TickTable, lower: Decimal, upper: Decimal, tick: Decimal) -> TickTable:
    """``table`` with ``[lower, upper)`` priced in steps of ``tick``."""
    below = [(lo, t) for lo, t in zip(table.lowers, table.ticks, strict=True) if lo < lower]
    above = [(lo, t) for lo, t in zip(table.lowers, table.ticks, strict=True) if lo > upper]
    bands = [*below, (lower, tick), (upper, table.tick_at(upper)), *above]
    return TickTable.from_bands(f"{table.name}, {tick} in {lower}-{upper}", bands)


def usdt_krw_tick_rule() -> Dated[TickTable]:
    """Upbit's KRW tick table with USDT/KRW's 0.5-won band (see the module docstring)."""
    krw = upbit.tick_rule("KRW")
    half, low, high = Decimal("0.5"), Decimal(1_000), Decimal(10_000)
    entries = [(start, table) for start, table in krw.entries if start < USDT_KRW_HALF_WON_FROM]
    entries.append(
        (USDT_KRW_HALF_WON_FROM, _with_band(krw.at(USDT_KRW_HALF_WON_FROM), low, high, half))
    )
    entries += [
        (start, _with_band(table, low, high, half))
        for start, table in krw.entries
        if start > USDT_KRW_HALF_WON_FROM
    ]
    return Dated("Upbit USDT/KRW tick table", tuple(entries))


def _binance_symbol(
    symbol: str, base: str, *, min_qty: str, max_qty: str, market_max_qty: str
) -> dict[str, Any]:
    return {
        "symbol": symbol,
        "status": "TRADING",
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": "USDT",
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "filters": [
            {
                "filterType": "PRICE_FILTER",
                "minPrice": "0.01000000",
                "maxPrice": "1000000.00000000",
                "tickSize": "0.01000000",
            },
            {"filterType": "LOT_SIZE", "minQty": min_qty, "maxQty": max_qty, "stepSize": min_qty},
            {"filterType": "ICEBERG_PARTS", "limit": 100},
            {
                "filterType": "MARKET_LOT_SIZE",
                "minQty": "0.00000000",
                "maxQty": market_max_qty,
                "stepSize": "0.00000000",
            },
            {
                "filterType": "PERCENT_PRICE_BY_SIDE",
                "bidMultiplierUp": "5",
                "bidMultiplierDown": "0.2",
                "askMultiplierUp": "5",
                "askMultiplierDown": "0.2",
                "avgPriceMins": 5,
            },
            {
                "filterType": "NOTIONAL",
                "minNotional": "5.00000000",
                "applyMinToMarket": True,
                "maxNotional": "9000000.00000000",
                "applyMaxToMarket": False,
                "avgPriceMins": 5,
            },
            {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200},
            {"filterType": "MAX_NUM_ALGO_ORDERS", "maxNumAlgoOrders": 5},
        ],
    }


BINANCE_EXCHANGE_INFO: dict[str, dict[str, Any]] = {
    "BTCUSDT": _binance_symbol(
        "BTCUSDT", "BTC", min_qty="0.00001000", max_qty="9000.00000000", market_max_qty="85.0"
    ),
    "ETHUSDT": _binance_symbol(
        "ETHUSDT", "ETH", min_qty="0.00010000", max_qty="9000.00000000", market_max_qty="1800.0"
    ),
}


def builtin_instruments(
    *,
    krx_commission_rate: Decimal = DEFAULT_KRX_COMMISSION,
    upbit_fee_rate: Decimal = KRW_FEE_RATE,
    binance_fees: FeeSchedule | None = None,
) -> list[Instrument]:
    """005930/000660/035420/069500.KRX, BTC-KRW/ETH-KRW/USDT-KRW.UPBIT,
    BTCUSDT/ETHUSDT.BINANCE."""
    commission = krx_commission(krx_commission_rate)
    specs = [
        krx_instrument(code, name=name, segment=segment, commission=commission)
        for code, name, segment in KRX_LISTINGS
    ]
    upbit_fees = krw_fees(upbit_fee_rate)
    specs += [upbit_instrument(base, name=name, fees=upbit_fees) for base, name in UPBIT_KRW_BASES]
    specs.append(
        upbit_instrument("USDT", name="Tether", fees=upbit_fees, tick_rule=usdt_krw_tick_rule())
    )
    specs += [
        binance_instrument(info, fees=binance_fees) for info in BINANCE_EXCHANGE_INFO.values()
    ]
    return specs


def default_registry(
    *,
    krx_commission_rate: Decimal = DEFAULT_KRX_COMMISSION,
    upbit_fee_rate: Decimal = KRW_FEE_RATE,
    binance_fees: FeeSchedule | None = None,
) -> InstrumentRegistry:
    """A fresh registry holding the built-in specs; register more with ``register``."""
    return InstrumentRegistry(
        builtin_instruments(
            krx_commission_rate=krx_commission_rate,
            upbit_fee_rate=upbit_fee_rate,
            binance_fees=binance_fees,
        )
    )
