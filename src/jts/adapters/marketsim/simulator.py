"""``MarketSimulator``: seeded, realistic market data for KRX stocks and crypto pairs.

``generate(ids, start, end, seed=...)`` gives, per instrument, 1-minute bars over the
venue's sessions (``model``), the same bars at the requested timeframe and daily
(``resample``), and optionally the trade ticks behind them (``ticks``). The same seed, ids
and dates give the same data on every machine. Each instrument draws from its own random
stream derived from the seed and its id, so adding an instrument to a run does not change
the others, and asking for ticks does not change the bars.

Calendars come from ``jts.adapters.calendars`` (KRX sessions and holidays from
``exchange_calendars``' XKRX, crypto around the clock); tick tables, lots and the KRX
daily limits from ``jts.shared_kernel.venues``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import msgspec
import numpy as np

from jts.adapters.calendars import trading_calendar
from jts.adapters.marketsim.model import generate_bars
from jts.adapters.marketsim.profiles import SimProfile, profile_for
from jts.adapters.marketsim.resample import resample_bars
from jts.adapters.marketsim.ticks import ticks_from_bars
from jts.adapters.marketsim.timeline import Timeline, build_timeline
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument, InstrumentRegistry

ONE_MINUTE = Timeframe(60)
ONE_DAY = Timeframe(86_400)
CalendarFactory = Callable[[str, date, date], TradingCalendar]
_BARS_STREAM, _TICKS_STREAM = 0, 1


@dataclass(frozen=True)
class SimulatedMarket:
    """What was generated for one instrument."""

    instrument: Instrument
    minute_bars: BarSeries
    bars: BarSeries
    daily_bars: BarSeries
    ticks: TickSeries | None
    sessions: tuple[tuple[int, int], ...]


def default_calendar(calendar_id: str, start: date, end: date) -> TradingCalendar:
    return trading_calendar(calendar_id, first_year=start.year, last_year=end.year)


class MarketSimulator:
    """Generates market data for instruments known to ``registry``."""

    def __init__(
        self,
        registry: InstrumentRegistry | None = None,
        *,
        calendar_for: CalendarFactory = default_calendar,
        profiles: Mapping[InstrumentId, SimProfile] | None = None,
    ) -> None:
        self.registry = registry if registry is not None else default_registry()
        self._calendar_for = calendar_for
        self._profiles = dict(profiles or {})

    def generate(
        self,
        instrument_ids: Iterable[InstrumentId | str],
        start: date,
        end: date,
        *,
        seed: int,
        timeframe: Timeframe = ONE_MINUTE,
        with_ticks: bool = False,
        start_prices: Mapping[InstrumentId, float] | None = None,
    ) -> list[SimulatedMarket]:
        """Data for each instrument from ``start`` to ``end`` (inclusive venue dates);
        ``start_prices`` replaces the profiles' close before ``start`` (to continue a market
        simulated before)."""
        if end < start:
            raise ValueError(f"--to {end} is before --from {start}")
        if timeframe.seconds % 60 or timeframe.seconds > ONE_DAY.seconds:
            raise ValueError(
                f"timeframe {timeframe} must be whole minutes up to 1d, e.g. 1m, 5m, 1h"
            )
        instruments = [self.registry.get(instrument_id) for instrument_id in instrument_ids]
        prices = start_prices or {}
        return [
            self._generate_one(
                instrument, start, end, seed, timeframe, with_ticks, prices.get(instrument.id)
            )
            for instrument in instruments
        ]

    def profile(self, instrument: Instrument) -> SimProfile:
        return self._profiles.get(instrument.id) or profile_for(instrument)

    def timeline(self, instrument: Instrument, start: date, end: date) -> Timeline:
        calendar = self._calendar_for(instrument.calendar_id, start, end)
        return build_timeline(calendar, start, end)

    def _generate_one(
        self,
        instrument: Instrument,
        start: date,
        end: date,
        seed: int,
        timeframe: Timeframe,
        with_ticks: bool,
        start_price: float | None,
    ) -> SimulatedMarket:
        timeline = self.timeline(instrument, start, end)
        profile = self.profile(instrument)
        if start_price is not None:
            profile = msgspec.structs.replace(profile, start_price=start_price)
        minute_bars = generate_bars(
            instrument, profile, timeline, _rng(seed, instrument, _BARS_STREAM)
        )
        ticks = (
            ticks_from_bars(
                minute_bars, instrument, timeline, _rng(seed, instrument, _TICKS_STREAM)
            )
            if with_ticks
            else None
        )
        return SimulatedMarket(
            instrument=instrument,
            minute_bars=minute_bars,
            bars=resample_bars(minute_bars, timeframe, timeline.sessions),
            daily_bars=resample_bars(minute_bars, ONE_DAY, timeline.sessions),
            ticks=ticks,
            sessions=timeline.sessions,
        )


def _rng(seed: int, instrument: Instrument, stream: int) -> np.random.Generator:
    if seed < 0:
        raise ValueError(f"seed {seed} must not be negative")
    key = zlib.crc32(str(instrument.id).encode())
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key, stream)))
