"""The time-series store: bars, ticks and equity curves.

- ``duckdb_store.DuckDbTimeSeriesStore``: the embedded default (one DuckDB file).
- ``memory.InMemoryTimeSeriesStore``: the fake, same contract.
- ``files``: CSV and Parquet import/export in the backtest layout
  ``timestamp,open,high,low,close,volume``; ``tick_files`` does the same for trade ticks.
"""
