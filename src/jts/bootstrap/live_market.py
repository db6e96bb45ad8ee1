"""The market side of ``jts up --paper``: replay files, the feed, the clock, the calendars.

- ``replay_files``: which instrument each ``--replay`` file holds (named
  ``<anything>.<SYMBOL>.<VENUE>.<csv|parquet>``, or given as ``SYMBOL.VENUE=PATH``; a single
  unnamed file serves the only instrument traded); ``read_replays`` reads them up front.
- ``market_feed``: the replay feed over those series, or the synthetic live market paced at
  ``speed`` times real time; ``live_clock`` is that market's clock.
- ``fx_markets``: the USDT-KRW series marked when USDT instruments trade.
- ``calendars_for``: trading calendars over the replayed years or around today.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from jts.adapters.calendars import trading_calendar
from jts.adapters.clock import LiveClock
from jts.adapters.feeds.replay import ReplayFeed
from jts.adapters.feeds.synthetic import SyntheticLiveFeed
from jts.adapters.marketsim.simulator import MarketSimulator
from jts.bootstrap.stores import read_bars_file
from jts.bootstrap.strategy_files import LoadedStrategy
from jts.contexts.market_data.application.ports import BarStore
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.runtime.live.clocks import ScaledClock
from jts.runtime.live.node_ports import MarketFeed
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock, datetime_to_ns
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument

USDT_KRW = InstrumentId.parse("USDT-KRW.UPBIT")
ONE_MINUTE = Timeframe.parse("1m")
_FORTNIGHT_NS = 14 * 86_400 * NANOS_PER_SECOND
_INSTRUMENT_INFIX = re.compile(r"\.([A-Z0-9][A-Z0-9_\-/]*\.[A-Z][A-Z0-9_]*)$")


def replay_files(specs: Iterable[str], traded: Iterable[InstrumentId]) -> dict[InstrumentId, Path]:
    """Which instrument each ``--replay`` file holds (see the module docstring)."""
    files: dict[InstrumentId, Path] = {}
    traded = list(dict.fromkeys(traded))
    for spec in specs:
        name, equals, text = spec.partition("=")
        if equals:
            files[InstrumentId.parse(name)] = Path(text)
            continue
        path = Path(spec)
        found = _INSTRUMENT_INFIX.search(path.stem)
        if found:
            files[InstrumentId.parse(found.group(1))] = path
        elif len(traded) == 1:
            files[traded[0]] = path
        else:
            raise ConfigurationError(
                f"--replay {spec}: say which instrument it holds, as SYMBOL.VENUE={spec} or by "
                "naming it <name>.<SYMBOL>.<VENUE>.csv"
            )
    for path in files.values():
        if not path.is_file():
            raise ConfigurationError(f"--replay file {path} does not exist")
    return files


def read_replays(
    files: Mapping[InstrumentId, Path],
    strategies: list[LoadedStrategy],
    traded: list[InstrumentId],
) -> dict[tuple[InstrumentId, Timeframe], BarSeries]:
    """Every replayed series, read once up front (bad rows fail before anything starts)."""
    series: dict[tuple[InstrumentId, Timeframe], BarSeries] = {}
    for compiled in strategies:
        timeframe = Timeframe.parse(compiled.program.timeframe)
        for instrument_id in compiled.program.universe:
            key = (instrument_id, timeframe)
            if instrument_id in traded and files and key not in series:
                series[key] = read_bars_file(files[instrument_id], instrument_id, timeframe)
    return series


def fx_markets(
    strategies: list[LoadedStrategy],
    instruments: list[Instrument],
    files: Mapping[InstrumentId, Path],
    replayed: dict[tuple[InstrumentId, Timeframe], BarSeries],
) -> list[tuple[InstrumentId, Timeframe]]:
    """The USDT-KRW series to mark when USDT instruments trade (a replay: only with its
    file, read into ``replayed``); see the module docstring."""
    usdt = {i.id for i in instruments if i.quote_currency == "USDT"}
    timeframes = [
        Timeframe.parse(s.program.timeframe)
        for s in strategies
        if usdt.intersection(s.program.universe)
    ]
    if not timeframes:
        return []
    key = (USDT_KRW, min(timeframes, key=lambda t: t.nanos))
    if files:
        path = files.get(USDT_KRW)
        if path is None:
            return []
        replayed[key] = read_bars_file(path, USDT_KRW, key[1])
    return [key]


class ReplaySource:
    """The replayed series as the replay feed's ``SeriesSource``."""

    def __init__(self, series: Mapping[tuple[InstrumentId, Timeframe], BarSeries]) -> None:
        self._series = series

    def bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        start_ns: int | None,
        end_ns: int | None,
    ) -> BarSeries:
        return self._series[(instrument_id, timeframe)].between(start_ns, end_ns)

    def ticks(
        self, instrument_id: InstrumentId, start_ns: int | None, end_ns: int | None
    ) -> TickSeries:
        raise ConfigurationError(f"a bar replay has no ticks of {instrument_id}")


def market_feed(
    replayed: Mapping[tuple[InstrumentId, Timeframe], BarSeries],
    keys: list[tuple[InstrumentId, Timeframe]],
    clock: Clock,
    *,
    speed: float | None,
    seed: int,
    start_prices: Mapping[InstrumentId, float] | None = None,
) -> MarketFeed:
    if replayed:
        missing = sorted(f"{i} {tf}" for i, tf in keys if (i, tf) not in replayed)
        if missing:
            raise ConfigurationError(f"no --replay file for {', '.join(missing)}")
        return ReplayFeed(ReplaySource(replayed), clock=LiveClock(), speed=speed)
    pace = speed or 1.0

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / pace)

    return SyntheticLiveFeed(
        MarketSimulator(), clock=clock, seed=seed, sleep=sleep, start_prices=start_prices
    )


def stored_closes(
    store: BarStore, instrument_ids: Iterable[InstrumentId], before_ns: int
) -> dict[InstrumentId, float]:
    """The last stored one-minute close of each instrument before ``before_ns`` (within a
    fortnight), so the synthetic market carries on from the data the strategies warm up on."""
    closes: dict[InstrumentId, float] = {}
    for instrument_id in instrument_ids:
        recent = store.read_bars(
            instrument_id, ONE_MINUTE, start_ns=before_ns - _FORTNIGHT_NS, end_ns=before_ns
        )
        if len(recent):
            closes[instrument_id] = float(recent.close[-1])
    return closes


def feed_start(
    replayed: Mapping[tuple[InstrumentId, Timeframe], BarSeries], clock: Clock
) -> Callable[[tuple[InstrumentId, Timeframe]], int | None]:
    """Where the feed begins: a replayed series' first bar; the live market's now."""
    if not replayed:
        return lambda key: clock.now_ns()
    starts = {key: int(series.ts_start[0]) for key, series in replayed.items() if len(series)}
    return starts.get


def live_clock(start: datetime | None, speed: float | None, resume_after_ns: int | None) -> Clock:
    """The live market's clock: from ``--start`` (or now), and never before the last bar a
    previous run traded (a restarted accelerated market carries on from there)."""
    base = LiveClock()
    origin = base.now_ns() if start is None else datetime_to_ns(start)
    if resume_after_ns is not None:
        origin = max(origin, resume_after_ns)
    return ScaledClock(base, speed=speed or 1.0, origin_ns=origin)


def _year(ts_ns: int) -> int:
    return datetime.fromtimestamp(ts_ns // 1_000_000_000, UTC).year


def calendars_for(
    instruments: list[Instrument],
    replayed: Mapping[tuple[InstrumentId, Timeframe], BarSeries],
    clock: Clock,
) -> dict[str, TradingCalendar]:
    """Calendars over the replayed years, or around today for a live market."""
    starts = [int(s.ts_start[0]) for s in replayed.values() if len(s)]
    ends = [int(s.ts_event[-1]) for s in replayed.values() if len(s)]
    if starts:
        first, last = _year(min(starts)), _year(max(ends)) + 1
    else:
        now = _year(clock.now_ns())
        first, last = now - 1, now + 2
    ids = {instrument.calendar_id for instrument in instruments}
    return {i: trading_calendar(i, first_year=first, last_year=last) for i in ids}
