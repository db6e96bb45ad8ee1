"""``InMemoryTimeSeriesStore``: the fake behind the time-series ports, for tests and demos.

Holds one merged series per key in dictionaries and keeps exactly the semantics of the
DuckDB store (idempotent batched appends, newest row wins, half-open range reads); the
contract suite runs against both.
"""

from __future__ import annotations

from typing import Literal

from jts.contexts.market_data.application.ports import StoredSeries
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.contexts.portfolio.domain.equity_curve import EquityCurve, EquityCurveInfo
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe


class InMemoryTimeSeriesStore:
    """Bars, ticks and equity curves in process memory."""

    def __init__(self) -> None:
        self._bars: dict[tuple[InstrumentId, Timeframe], BarSeries] = {}
        self._ticks: dict[InstrumentId, TickSeries] = {}
        self._equity: dict[str, EquityCurve] = {}

    def append_bars(self, series: BarSeries) -> None:
        if not len(series):
            return
        key = (series.instrument_id, series.timeframe)
        stored = self._bars.get(key)
        self._bars[key] = series if stored is None else stored.merged_with(series)

    def read_bars(
        self,
        instrument_id: InstrumentId,
        timeframe: Timeframe,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> BarSeries:
        stored = self._bars.get((instrument_id, timeframe))
        if stored is None:
            return BarSeries.empty(instrument_id, timeframe)
        return stored.between(start_ns, end_ns)

    def list_bars(self) -> list[StoredSeries]:
        return [
            _info("bars", series.instrument_id, series.timeframe, series)
            for _, series in sorted(self._bars.items(), key=lambda item: _order(*item[0]))
        ]

    def append_ticks(self, series: TickSeries) -> None:
        if not len(series):
            return
        stored = self._ticks.get(series.instrument_id)
        self._ticks[series.instrument_id] = series if stored is None else stored.merged_with(series)

    def read_ticks(
        self,
        instrument_id: InstrumentId,
        *,
        start_ns: int | None = None,
        end_ns: int | None = None,
    ) -> TickSeries:
        stored = self._ticks.get(instrument_id)
        if stored is None:
            return TickSeries.empty(instrument_id)
        return stored.between(start_ns, end_ns)

    def list_ticks(self) -> list[StoredSeries]:
        return [
            _info("ticks", instrument_id, None, series)
            for instrument_id, series in sorted(self._ticks.items(), key=lambda item: str(item[0]))
        ]

    def append_equity(self, curve: EquityCurve) -> None:
        if not len(curve):
            return
        stored = self._equity.get(curve.curve_id)
        self._equity[curve.curve_id] = curve if stored is None else stored.merged_with(curve)

    def read_equity(
        self, curve_id: str, *, start_ns: int | None = None, end_ns: int | None = None
    ) -> EquityCurve:
        stored = self._equity.get(curve_id)
        if stored is None:
            return EquityCurve.from_points(curve_id, [])
        return stored.between(start_ns, end_ns)

    def list_equity(self) -> list[EquityCurveInfo]:
        return [
            EquityCurveInfo(
                curve_id=curve_id,
                count=len(curve),
                first_ts=int(curve.ts[0]),
                last_ts=int(curve.ts[-1]),
            )
            for curve_id, curve in sorted(self._equity.items())
        ]


def _order(instrument_id: InstrumentId, timeframe: Timeframe) -> tuple[str, int]:
    return str(instrument_id), timeframe.seconds


def _info(
    kind: Literal["bars", "ticks"],
    instrument_id: InstrumentId,
    timeframe: Timeframe | None,
    series: BarSeries | TickSeries,
) -> StoredSeries:
    ts = series.ts_start if isinstance(series, BarSeries) else series.ts_event
    return StoredSeries(
        kind=kind,
        instrument_id=instrument_id,
        timeframe=timeframe,
        count=len(series),
        first_ts=int(ts[0]),  # stored series are never empty
        last_ts=int(ts[-1]),
    )
