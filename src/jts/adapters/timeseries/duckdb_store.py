"""``DuckDbTimeSeriesStore``: bars, ticks and equity curves in one embedded DuckDB file.

Implements ``BarStore``, ``TickStore`` (``jts.contexts.market_data.application.ports``) and
``EquityCurveStore`` (``jts.contexts.portfolio.application.ports``). The table layout and
why it uses scaled ``BIGINT``s are in ``jts.adapters.timeseries.schema``.

Appends go through Arrow: the series' numpy columns are wrapped without copying, registered
as a DuckDB view and inserted with one ``INSERT ... SELECT`` (about ten million rows a
second). Reads come back with ``fetchnumpy``. One process may hold the file open for
writing; calls from several threads of that process are serialised by a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb
import numpy as np
import pyarrow as pa

from jts.adapters.timeseries import schema
from jts.contexts.market_data.application.ports import StoredSeries
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.portfolio.domain.equity_curve import EquityCurve, EquityCurveInfo
from jts.shared_kernel.errors import ConfigurationError, DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

_MIN_TS = np.iinfo(np.int64).min
_MAX_TS = np.iinfo(np.int64).max
_INT64_MAX = np.iinfo(np.int64).max
_IN_MEMORY = ":memory:"


class DuckDbTimeSeriesStore:
    """The embedded time-series store. ``path=None`` keeps everything in memory."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self._path = _IN_MEMORY if path is None else str(path)
        if path is not None and not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connection = duckdb.connect(self._path, read_only=read_only)
        except duckdb.Error as e:
            raise ConfigurationError(
                f"cannot open the time-series store {self._path}: {e}. Another JTS process may "
                "be writing to it; stop it or point timeseries.path elsewhere"
            ) from e
        self._lock = threading.Lock()
        if not read_only:
            self._create_schema()

    @property
    def path(self) -> str:
        return self._path

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- bars -------------------------------------------------------------------------------

    def append_bars(self, series: BarSeries) -> None:
        if not len(series):
            return
        batch = pa.table(
            {
                "ts_start": series.ts_start,
                "ts_event": series.ts_event,
                "open": series.open_units,
                "high": series.high_units,
                "low": series.low_units,
                "close": series.close_units,
                "volume": series.volume_units,
            }
        )
        key = {"instrument": str(series.instrument_id), "timeframe_s": series.timeframe.seconds}
        bounds = {"first": series.first_ts, "last": series.last_ts}
        scales = {"price_scale": series.price_scale, "volume_scale": series.volume_scale}
        self._replace(
            batch, schema.DELETE_BARS, {**key, **bounds}, schema.INSERT_BARS, {**key, **scales}
        )

    def read_bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> BarSeries:
        params = {"instrument": str(instrument_id), "timeframe_s": timeframe.seconds}
        rows = self._select(schema.SELECT_BARS, {**params, **_range(start_ns, end_ns)})
        prices, price_scale = _common_scale(
            [rows["open"], rows["high"], rows["low"], rows["close"]], rows["price_scale"]
        )
        (volume,), volume_scale = _common_scale([rows["volume"]], rows["volume_scale"])
        open_, high, low, close = prices
        return BarSeries(
            instrument_id,
            timeframe,
            rows["ts_start"],
            rows["ts_event"],
            open_,
            high,
            low,
            close,
            volume,
            price_scale,
            volume_scale,
        )

    def list_bars(self) -> list[StoredSeries]:
        with self._lock:
            rows = self._connection.execute(schema.LIST_BARS).fetchall()
        return [
            StoredSeries(
                kind="bars",
                instrument_id=InstrumentId.parse(instrument),
                timeframe=Timeframe(seconds),
                count=count,
                first_ts=first,
                last_ts=last,
            )
            for instrument, seconds, count, first, last in rows
        ]

    # -- ticks ------------------------------------------------------------------------------

    def append_ticks(self, series: TickSeries) -> None:
        if not len(series):
            return
        ts, sequence, price, size, aggressor = series.columns()
        batch = pa.table(
            {
                "ts_event": ts,
                "sequence": sequence,
                "price": price,
                "size": size,
                "aggressor": aggressor,
            }
        )
        key = {"instrument": str(series.instrument_id)}
        bounds = {"first": series.first_ts, "last": series.last_ts}
        scales = {"price_scale": series.price_scale, "size_scale": series.size_scale}
        self._replace(
            batch, schema.DELETE_TICKS, {**key, **bounds}, schema.INSERT_TICKS, {**key, **scales}
        )

    def read_ticks(
        self,
        instrument_id: InstrumentId,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> TickSeries:
        params = {"instrument": str(instrument_id), **_range(start_ns, end_ns)}
        rows = self._select(schema.SELECT_TICKS, params)
        (price,), price_scale = _common_scale([rows["price"]], rows["price_scale"])
        (size,), size_scale = _common_scale([rows["size"]], rows["size_scale"])
        return TickSeries(
            instrument_id,
            rows["ts_event"],
            rows["sequence"],
            price,
            size,
            rows["aggressor"],
            price_scale,
            size_scale,
        )

    def list_ticks(self) -> list[StoredSeries]:
        with self._lock:
            rows = self._connection.execute(schema.LIST_TICKS).fetchall()
        return [
            StoredSeries(
                kind="ticks",
                instrument_id=InstrumentId.parse(instrument),
                timeframe=None,
                count=count,
                first_ts=first,
                last_ts=last,
            )
            for instrument, count, first, last in rows
        ]

    # -- equity -----------------------------------------------------------------------------

    def append_equity(self, curve: EquityCurve) -> None:
        if not len(curve):
            return
        batch = pa.table({"ts": curve.ts, "equity": curve.equity_units})
        key = {"curve_id": curve.curve_id}
        bounds = {"first": int(curve.ts[0]), "last": int(curve.ts[-1])}
        self._replace(
            batch,
            schema.DELETE_EQUITY,
            {**key, **bounds},
            schema.INSERT_EQUITY,
            {**key, "scale": curve.scale},
        )

    def read_equity(
        self, curve_id: str, *, start_ns: int | None = None, end_ns: int | None = None
    ) -> EquityCurve:
        rows = self._select(
            schema.SELECT_EQUITY, {"curve_id": curve_id, **_range(start_ns, end_ns)}
        )
        (equity,), scale = _common_scale([rows["equity"]], rows["scale"])
        return EquityCurve(curve_id, rows["ts"], equity, scale)

    def list_equity(self) -> list[EquityCurveInfo]:
        with self._lock:
            rows = self._connection.execute(schema.LIST_EQUITY).fetchall()
        return [
            EquityCurveInfo(curve_id=curve_id, count=count, first_ts=first, last_ts=last)
            for curve_id, count, first, last in rows
        ]

    # -- plumbing ---------------------------------------------------------------------------

    def _create_schema(self) -> None:
        with self._lock, self._transaction():
            for statement in schema.TABLES:
                self._connection.execute(statement)
            stored = self._connection.execute(
                "SELECT value FROM jts_meta WHERE key = 'schema_version'"
            ).fetchone()
            if stored is None:
                self._connection.execute(
                    "INSERT INTO jts_meta VALUES ('schema_version', ?)",
                    [str(schema.SCHEMA_VERSION)],
                )
            elif int(stored[0]) != schema.SCHEMA_VERSION:
                raise ConfigurationError(
                    f"time-series store {self._path} has schema version {stored[0]}, this JTS "
                    f"expects {schema.SCHEMA_VERSION}; export its data with the JTS that wrote it"
                )

    def _replace(
        self,
        batch: pa.Table,
        delete_sql: str,
        delete_params: Mapping[str, Any],
        insert_sql: str,
        insert_params: Mapping[str, Any],
    ) -> None:
        """Delete the stored rows whose key is in ``batch`` and insert ``batch``, atomically."""
        with self._lock, self._transaction():
            self._connection.register("batch", batch)
            try:
                self._connection.execute(delete_sql, dict(delete_params))
                self._connection.execute(insert_sql, dict(insert_params))
            finally:
                self._connection.unregister("batch")

    def _select(self, sql: str, params: Mapping[str, Any]) -> dict[str, np.ndarray[Any, Any]]:
        with self._lock:
            return self._connection.execute(sql, dict(params)).fetchnumpy()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._connection.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")


def _range(start_ns: int | None, end_ns: int | None) -> dict[str, int]:
    return {
        "start": _MIN_TS if start_ns is None else start_ns,
        "end": _MAX_TS if end_ns is None else end_ns,
    }


def _common_scale(
    columns: list[np.ndarray[Any, Any]], scales: np.ndarray[Any, Any]
) -> tuple[list[np.ndarray[Any, Any]], int]:
    """Columns of units whose rows may carry different scales, brought to the finest one."""
    if scales.size == 0:
        return [np.asarray(column, dtype=np.int64) for column in columns], 0
    target = int(scales.max())
    if int(scales.min()) == target:
        return [np.asarray(column, dtype=np.int64) for column in columns], target
    factors = np.power(np.int64(10), target - scales.astype(np.int64))
    for column in columns:
        if bool((np.abs(column) > _INT64_MAX // factors).any()):
            raise DataError(f"stored values are too large to read at {target} decimals")
    return [np.asarray(column, dtype=np.int64) * factors for column in columns], target
