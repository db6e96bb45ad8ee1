"""``Listing``: one tradable instrument on the simulated exchange and what the market last
said about it.

Besides the spec and its calendar, a listing holds the book of working orders, the last
price (the reference for valuing market orders) and, for venues with a daily price band
(KRX), the base price and the band of the current session. The base price is the last price
of the previous session: the listing "rolls" when data arrives at or after the next session
open, so the band costs one integer comparison per event. Before a previous session was
seen the band is unknown and not enforced; ``SimulatedExchange.set_reference_price`` can
seed it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jts.runtime.backtest.exchange.book import InstrumentBook
from jts.runtime.backtest.exchange.window import Window
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.fees import FeeAsset
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx import KrxRules, PriceBand
from jts.shared_kernel.venues.types import LiquiditySide


class Listing:
    __slots__ = (
        "band",
        "base_price",
        "book",
        "buy_fee_in_quote",
        "calendar",
        "has_band",
        "instrument",
        "last_price",
        "next_roll_ns",
        "reserve_liquidity",
        "seen_priority",
        "venue",
        "window",
    )

    def __init__(self, instrument: Instrument, calendar: TradingCalendar) -> None:
        self.instrument = instrument
        self.calendar = calendar
        self.venue = str(instrument.id.venue)
        self.book = InstrumentBook()
        self.window = Window()
        self.last_price: Decimal | None = None
        self.base_price: Decimal | None = None
        self.band: PriceBand | None = None
        self.has_band = isinstance(instrument.venue_rules, KrxRules)
        self.next_roll_ns = 0 if self.has_band else 2**63 - 1
        self.seen_priority = 0  # orders queued with a higher priority are new to the book
        fees = instrument.fees
        self.buy_fee_in_quote = fees.fee_asset is FeeAsset.QUOTE
        self.reserve_liquidity = (
            LiquiditySide.MAKER if fees.maker_rate > fees.taker_rate else LiquiditySide.TAKER
        )

    def session_date(self, ts_ns: int) -> date:
        return self.calendar.session_date(ts_ns)

    def roll(self, ts_ns: int) -> None:
        """A new session started at or before ``ts_ns``: the last price becomes the base."""
        self.next_roll_ns = self.calendar.next_open(ts_ns)
        self.set_base(self.last_price, ts_ns)

    def set_base(self, base: Decimal | None, ts_ns: int) -> None:
        self.base_price = base
        if base is None or not self.has_band:
            self.band = None
            return
        self.band = rules.price_limits(self.instrument, base, on=self.session_date(ts_ns))

    def __repr__(self) -> str:
        return f"Listing({self.instrument.id}, last={self.last_price}, orders={self.book.size})"
