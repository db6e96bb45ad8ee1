"""The instrument spec every later component reads, builders per venue, and a registry.

An ``Instrument`` carries what is common to all venues (id, asset class, quote currency,
segment, dated tick table, lot, minimum quantity and notional, fee schedule, calendar id)
plus ``venue_rules``, the venue-specific remainder (``KrxRules``, ``UpbitRules``,
``BinanceRules``). Use ``jts.shared_kernel.venues.rules`` to act on a spec; it dispatches on
``venue_rules`` so callers never branch on the venue.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import msgspec

from jts.shared_kernel.identifiers import BINANCE, KRX, UPBIT, InstrumentId
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues import binance, krx, upbit
from jts.shared_kernel.venues.binance import BinanceRules, BinanceSymbol
from jts.shared_kernel.venues.dated import Dated
from jts.shared_kernel.venues.errors import UnknownInstrument
from jts.shared_kernel.venues.fees import FeeAsset, FeeSchedule
from jts.shared_kernel.venues.krx import KrxRules
from jts.shared_kernel.venues.krx_calendar import KRX_CALENDAR_ID
from jts.shared_kernel.venues.ticks import TickTable
from jts.shared_kernel.venues.types import AssetClass, MarketSegment
from jts.shared_kernel.venues.upbit import UpbitRules

CRYPTO_CALENDAR_ID = "24/7"
# Default KRX brokerage commission, both sides (brokers.md 0.3: account dependent).
DEFAULT_KRX_COMMISSION = Decimal("0.00015")
KRW_UNIT = ONE

VenueRules = KrxRules | UpbitRules | BinanceRules


class Instrument(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the simulator, risk and backtests need to know to trade one instrument."""

    id: InstrumentId
    name: str
    asset_class: AssetClass
    base_asset: str
    quote_currency: str
    segment: MarketSegment | None
    tick_rule: Dated[TickTable]
    lot_size: Decimal
    min_quantity: Decimal
    min_notional: Decimal
    fees: FeeSchedule
    calendar_id: str
    venue_rules: VenueRules

    def __post_init__(self) -> None:
        if self.lot_size <= ZERO or self.min_quantity < ZERO or self.min_notional < ZERO:
            raise ValueError(
                f"{self.id}: lot_size must be positive and min_quantity/min_notional not "
                f"negative (got {self.lot_size}, {self.min_quantity}, {self.min_notional})"
            )
        if isinstance(self.venue_rules, KrxRules) and self.segment is None:
            raise ValueError(f"{self.id}: a KRX instrument needs its market segment")

    def __str__(self) -> str:
        return f"{self.id} ({self.name})"


def krx_commission(rate: Decimal = DEFAULT_KRX_COMMISSION) -> FeeSchedule:
    """A KRX brokerage commission charged on both sides, floored to the won.

    Flooring to the won is what KIS does: a real account log shows 45 KRW on a
    1,081,000 KRW sell (brokers.md 0.3), not a multiple of 10. Brokers that floor to
    10 won can pass their own ``FeeSchedule`` with ``floor_step=Decimal(10)``.
    """
    return FeeSchedule(
        maker_rate=rate, taker_rate=rate, fee_asset=FeeAsset.QUOTE, floor_step=KRW_UNIT
    )


def krx_instrument(
    code: str,
    *,
    name: str,
    segment: MarketSegment,
    commission: FeeSchedule | None = None,
    rules: KrxRules | None = None,
) -> Instrument:
    """A KRX stock or ETF by its 6-digit code (``005930``)."""
    return Instrument(
        id=InstrumentId(code, KRX),
        name=name,
        asset_class=AssetClass.ETF if segment is MarketSegment.ETF else AssetClass.EQUITY,
        base_asset=code,
        quote_currency="KRW",
        segment=segment,
        tick_rule=krx.tick_rule(segment),
        lot_size=krx.SHARE_LOT,
        min_quantity=krx.SHARE_LOT,
        min_notional=ZERO,
        fees=commission if commission is not None else krx_commission(),
        calendar_id=KRX_CALENDAR_ID,
        venue_rules=rules if rules is not None else KrxRules(),
    )


def upbit_instrument(
    base_asset: str,
    quote_currency: str = "KRW",
    *,
    name: str | None = None,
    fees: FeeSchedule | None = None,
    tick_rule: Dated[TickTable] | None = None,
) -> Instrument:
    """An Upbit spot pair as ``BASE-QUOTE.UPBIT`` (Upbit's own wire code is ``QUOTE-BASE``).

    ``tick_rule`` overrides the market table for pairs with their own ticks. Only the KRW
    market's fee (0.05%) is documented, so BTC and USDT pairs need explicit ``fees``.
    """
    rules = UpbitRules.for_market(quote_currency)
    if fees is None and quote_currency != "KRW":
        raise ValueError(
            f"Upbit {quote_currency} market fees are not researched; pass fees=FeeSchedule(...)"
        )
    return Instrument(
        id=InstrumentId(f"{base_asset}-{quote_currency}", UPBIT),
        name=name or f"{base_asset}/{quote_currency}",
        asset_class=AssetClass.CRYPTO,
        base_asset=base_asset,
        quote_currency=quote_currency,
        segment=None,
        tick_rule=tick_rule if tick_rule is not None else upbit.tick_rule(quote_currency),
        lot_size=upbit.VOLUME_STEP,
        min_quantity=upbit.VOLUME_STEP,
        min_notional=rules.min_total,
        fees=fees if fees is not None else upbit.krw_fees(),
        calendar_id=CRYPTO_CALENDAR_ID,
        venue_rules=rules,
    )


def binance_instrument(
    symbol_info: BinanceSymbol | Mapping[str, Any], *, fees: FeeSchedule | None = None
) -> Instrument:
    """A Binance Spot symbol from its ``exchangeInfo`` entry (raw dict or parsed)."""
    info = (
        symbol_info if isinstance(symbol_info, BinanceSymbol) else binance.parse_symbol(symbol_info)
    )
    rules = info.rules
    tick = rules.price_filter.tick_size
    if tick <= ZERO or rules.lot_size.step_size <= ZERO:
        raise ValueError(
            f"Binance {info.symbol}: tickSize and stepSize must be positive to build a spec"
        )
    return Instrument(
        id=InstrumentId(info.symbol, BINANCE),
        name=f"{info.base_asset}/{info.quote_asset}",
        asset_class=AssetClass.CRYPTO,
        base_asset=info.base_asset,
        quote_currency=info.quote_asset,
        segment=None,
        tick_rule=Dated.constant(
            f"Binance {info.symbol} tickSize", TickTable.uniform(f"{info.symbol} tick", tick)
        ),
        lot_size=rules.lot_size.step_size,
        min_quantity=rules.lot_size.min_qty,
        min_notional=_binance_min_notional(rules),
        fees=fees if fees is not None else binance.fees(),
        calendar_id=CRYPTO_CALENDAR_ID,
        venue_rules=rules,
    )


def _binance_min_notional(rules: BinanceRules) -> Decimal:
    if rules.notional is not None:
        return rules.notional.min_notional
    if rules.min_notional is not None:
        return rules.min_notional.min_notional
    return ZERO


class InstrumentRegistry:
    """Instrument specs by id; ``get`` accepts an ``InstrumentId`` or ``SYMBOL.VENUE`` text."""

    def __init__(self, instruments: Iterable[Instrument] = ()) -> None:
        self._by_id: dict[InstrumentId, Instrument] = {}
        for instrument in instruments:
            self.register(instrument)

    def register(self, instrument: Instrument, *, replace: bool = False) -> None:
        """Add a spec; an id already present is refused unless ``replace`` is set."""
        if instrument.id in self._by_id and not replace:
            raise ValueError(
                f"{instrument.id} is already registered; pass replace=True to change its spec"
            )
        self._by_id[instrument.id] = instrument

    def get(self, instrument_id: InstrumentId | str) -> Instrument:
        key = InstrumentId.parse(instrument_id) if isinstance(instrument_id, str) else instrument_id
        try:
            return self._by_id[key]
        except KeyError:
            raise UnknownInstrument(
                f"no instrument spec for {key}; register it first (known: "
                f"{', '.join(sorted(str(i) for i in self._by_id)) or 'none'})"
            ) from None

    def __contains__(self, instrument_id: object) -> bool:
        if isinstance(instrument_id, str):
            instrument_id = InstrumentId.parse(instrument_id)
        return instrument_id in self._by_id

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
