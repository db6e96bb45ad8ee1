"""Where simulated data goes: the time-series store, or CSV/Parquet files.

Into a store: the bars at the requested timeframe, the daily bars derived from them
(unless the request was daily) and the ticks when generated, one batched append each.
Into files: one file per instrument in the backtest layout (``files``); with several
instruments the instrument id goes into each name (``out.csv`` ->
``out.005930.KRX.csv``), and ticks go beside the bars (``out.005930.KRX.ticks.csv``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jts.adapters.marketsim.simulator import SimulatedMarket
from jts.adapters.timeseries.file_columns import file_format
from jts.adapters.timeseries.files import write_bars_file
from jts.adapters.timeseries.tick_files import write_ticks_file
from jts.contexts.market_data.application.ports import BarStore, TickStore


def write_to_store(
    markets: Sequence[SimulatedMarket],
    bars: BarStore,
    ticks: TickStore | None = None,
    *,
    daily: bool = True,
) -> int:
    """Append every market's bars (and daily bars, and ticks) to the store; rows written."""
    written = 0
    for market in markets:
        bars.append_bars(market.bars)
        written += len(market.bars)
        if daily and market.daily_bars.timeframe != market.bars.timeframe:
            bars.append_bars(market.daily_bars)
            written += len(market.daily_bars)
        if market.ticks is not None:
            if ticks is None:
                raise ValueError("ticks were generated but no tick store was given")
            ticks.append_ticks(market.ticks)
            written += len(market.ticks)
    return written


def write_to_files(markets: Sequence[SimulatedMarket], out: Path) -> list[Path]:
    """Write each market's bars (and ticks) next to ``out``; the paths written."""
    file_format(out)  # refuse an unknown suffix before generating any file
    written: list[Path] = []
    for market in markets:
        bars_path = out if len(markets) == 1 else _with_infix(out, str(market.instrument.id))
        write_bars_file(market.bars, bars_path)
        written.append(bars_path)
        if market.ticks is not None:
            ticks_path = _with_infix(bars_path, "ticks")
            write_ticks_file(market.ticks, ticks_path)
            written.append(ticks_path)
    return written


def _with_infix(path: Path, infix: str) -> Path:
    return path.with_name(f"{path.stem}.{infix}{path.suffix}")
