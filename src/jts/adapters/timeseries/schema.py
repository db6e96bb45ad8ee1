"""The DuckDB tables of the time-series store.

Numbers are exact scaled integers: a price column holds ``BIGINT`` units and the row's
``price_scale`` says how many decimals they carry (``65000.12`` is ``6500012`` at scale 2).
This was chosen over ``DECIMAL(p, s)`` because one table holds instruments with different
grids (KRW stocks at 0 decimals, USDT pairs at 2, crypto sizes at 8): a fixed ``s`` would
either lose digits or waste 128-bit storage, and ``BIGINT`` columns move to and from numpy
without conversion. ClickHouse maps the same layout onto ``Int64`` + ``Int8``.

Timestamps are ``BIGINT`` UNIX nanoseconds. There is no primary key: DuckDB's ART index
makes bulk appends an order of magnitude slower, so an append deletes the stored rows whose
key is in the batch and inserts the batch in one transaction. Appends arrive in time order,
so DuckDB's per-row-group min/max (zone maps) prune range queries without an index.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

TABLES = (
    """
    CREATE TABLE IF NOT EXISTS jts_meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS bars (
        instrument VARCHAR NOT NULL,
        timeframe_s INTEGER NOT NULL,
        ts_start BIGINT NOT NULL,
        ts_event BIGINT NOT NULL,
        open BIGINT NOT NULL,
        high BIGINT NOT NULL,
        low BIGINT NOT NULL,
        close BIGINT NOT NULL,
        price_scale TINYINT NOT NULL,
        volume BIGINT NOT NULL,
        volume_scale TINYINT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS ticks (
        instrument VARCHAR NOT NULL,
        ts_event BIGINT NOT NULL,
        sequence BIGINT NOT NULL,
        price BIGINT NOT NULL,
        price_scale TINYINT NOT NULL,
        size BIGINT NOT NULL,
        size_scale TINYINT NOT NULL,
        aggressor TINYINT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS equity (
        curve_id VARCHAR NOT NULL,
        ts BIGINT NOT NULL,
        equity BIGINT NOT NULL,
        scale TINYINT NOT NULL
    )
    """,
)

INSERT_BARS = """
    INSERT INTO bars
    SELECT $instrument, $timeframe_s, ts_start, ts_event, open, high, low, close,
           $price_scale, volume, $volume_scale
    FROM batch
"""
DELETE_BARS = """
    DELETE FROM bars
    WHERE instrument = $instrument AND timeframe_s = $timeframe_s
      AND ts_start BETWEEN $first AND $last
      AND ts_start IN (SELECT ts_start FROM batch)
"""
SELECT_BARS = """
    SELECT ts_start, ts_event, open, high, low, close, price_scale, volume, volume_scale
    FROM bars
    WHERE instrument = $instrument AND timeframe_s = $timeframe_s
      AND ts_start >= $start AND ts_start < $end
    ORDER BY ts_start
"""
LIST_BARS = """
    SELECT instrument, timeframe_s, count(*), min(ts_start), max(ts_start)
    FROM bars GROUP BY instrument, timeframe_s ORDER BY instrument, timeframe_s
"""

INSERT_TICKS = """
    INSERT INTO ticks
    SELECT $instrument, ts_event, sequence, price, $price_scale, size, $size_scale, aggressor
    FROM batch
"""
DELETE_TICKS = """
    DELETE FROM ticks
    WHERE instrument = $instrument AND ts_event BETWEEN $first AND $last
      AND EXISTS (
          SELECT 1 FROM batch
          WHERE batch.ts_event = ticks.ts_event AND batch.sequence = ticks.sequence
      )
"""
SELECT_TICKS = """
    SELECT ts_event, sequence, price, price_scale, size, size_scale, aggressor
    FROM ticks
    WHERE instrument = $instrument AND ts_event >= $start AND ts_event < $end
    ORDER BY ts_event, sequence
"""
LIST_TICKS = """
    SELECT instrument, count(*), min(ts_event), max(ts_event)
    FROM ticks GROUP BY instrument ORDER BY instrument
"""

INSERT_EQUITY = "INSERT INTO equity SELECT $curve_id, ts, equity, $scale FROM batch"
DELETE_EQUITY = """
    DELETE FROM equity
    WHERE curve_id = $curve_id AND ts BETWEEN $first AND $last
      AND ts IN (SELECT ts FROM batch)
"""
SELECT_EQUITY = """
    SELECT ts, equity, scale FROM equity
    WHERE curve_id = $curve_id AND ts >= $start AND ts < $end
    ORDER BY ts
"""
LIST_EQUITY = """
    SELECT curve_id, count(*), min(ts), max(ts) FROM equity GROUP BY curve_id ORDER BY curve_id
"""
