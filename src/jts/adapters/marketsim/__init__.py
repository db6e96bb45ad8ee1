"""The market simulator: seeded, realistic bars and trade ticks for KRX stocks and crypto.

- ``simulator.MarketSimulator``: generate data for instruments over a date range.
- ``model``: GARCH(1,1) volatility with jumps and day-to-day regimes, the tick grid, KRX
  daily limits, a U-shaped intraday volume profile; ``ticks``: trades behind the bars.
- ``timeline``: the trading minutes (KRX sessions and holidays, crypto around the clock).
- ``resample``: session-aligned coarser bars (5m, 1h, 1d) from 1-minute bars.
- ``output``: write to the time-series store or to CSV/Parquet files.
- ``stream.MarketReplay``: replay bars and ticks as live messages at a chosen speed.
"""
