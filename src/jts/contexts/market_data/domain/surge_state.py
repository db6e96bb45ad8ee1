"""The state of every surge detector, one row per instrument (struct of arrays).

Rows are handed out as instruments appear; the arrays double when full. The compiled
trade kernel (``surge_kernels``) reads and writes the velocity and new-high arrays in
place; the volume, daily-high and book detectors, which run per bar or per book snapshot,
are updated here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from jts.contexts.market_data.domain.fixed_point import Float64Array, Int64Array
from jts.contexts.market_data.domain.surge_kernels import BoolArray
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.identifiers import InstrumentId

if TYPE_CHECKING:
    from jts.contexts.market_data.domain.surge import SurgeConfig

_WINSOR_SD = 3.0  # a spike enters the volume baseline at most this many deviations up


class SurgeState:
    """Detector state for a growing set of instruments."""

    def __init__(self, config: SurgeConfig, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity {capacity} must be positive")
        self.config = config
        self.ids: list[InstrumentId] = []
        self.index: dict[InstrumentId, int] = {}
        self._by_identity: dict[int, int] = {}
        self._seen: list[InstrumentId] = []  # keeps the ids in ``_by_identity`` taken
        self._last_rows: tuple[Sequence[InstrumentId], Int64Array] | None = None
        self._capacity = 0
        self._grow(capacity)

    def row(self, instrument_id: InstrumentId) -> int:
        row = self.index.get(instrument_id)
        if row is None:
            row = self.index[instrument_id] = len(self.ids)
            self.ids.append(instrument_id)
            if row >= self._capacity:
                self._grow(self._capacity * 2)
        return row

    def rows(self, instruments: Sequence[InstrumentId]) -> Int64Array:
        """The rows of a batch's instruments, in the batch's order.

        Parsers hand out the same ``InstrumentId`` object for a symbol every time, so rows
        are looked up by object identity (an ``int`` hash) and by value only for an object
        not seen before. The state keeps every object it has seen alive, so while an id is
        in the cache no other object can have it.
        """
        last = self._last_rows
        if last is not None and last[0] is instruments:
            return last[1]  # batches cut from one batch share its instruments
        get = self._by_identity.get
        rows = [get(id(instrument_id), -1) for instrument_id in instruments]
        if -1 in rows:
            for position, instrument_id in enumerate(instruments):
                if rows[position] < 0:
                    rows[position] = self._by_identity[id(instrument_id)] = self.row(instrument_id)
                    self._seen.append(instrument_id)
        result = np.array(rows, dtype=np.int64)
        self._last_rows = (instruments, result)
        return result

    def roll_high(self, instrument_id: InstrumentId, high: float) -> None:
        """A daily bar closed: its high joins the look-back window, and a new day may fire."""
        config, row = self.config, self.row(instrument_id)
        position = int(self.high_pos[row])
        self.high_ring[row, position] = high
        self.high_pos[row] = (position + 1) % config.high_days
        self.high_len[row] = min(int(self.high_len[row]) + 1, config.high_days)
        known = int(self.high_len[row])
        enough = known >= config.high_min_days
        self.window_high[row] = self.high_ring[row, :known].max() if enough else 0.0
        self.high_fired[row] = False

    def volume_observe(self, row: int, slot: int, volume: float) -> tuple[float, float] | None:
        """Judge ``volume`` against the row's baseline for ``slot``, then learn from it;
        ``(z, typical volume)`` when it is a spike."""
        config = self.config
        x = math.log1p(volume)
        mean, var = float(self.volume_mean[row, slot]), float(self.volume_var[row, slot])
        seen = int(self.volume_n[row, slot])
        verdict = None
        if seen >= config.volume_warmup:
            sd = math.sqrt(var) + 1e-9
            z = (x - mean) / sd
            typical = math.expm1(mean)
            if z >= config.volume_z and volume >= config.volume_min_ratio * typical:
                verdict = (z, typical)
            x = min(x, mean + _WINSOR_SD * sd)
        weight = max(config.volume_alpha, 1.0 / (seen + 1))
        delta = x - mean
        self.volume_mean[row, slot] = mean + weight * delta
        self.volume_var[row, slot] = (1.0 - weight) * (var + weight * delta * delta)
        self.volume_n[row, slot] = seen + 1
        return verdict

    def book_streak(self, row: int, imbalance: float, ts: int) -> bool:
        """Count a lopsided snapshot; true when the streak reaches the persistence."""
        config = self.config
        if abs(imbalance) < config.book_threshold or ts < self.book_rest[row]:
            self.book_run[row] = 0
            return False
        side = 1 if imbalance > 0 else -1
        run = int(self.book_run[row])
        run = run + side if run * side > 0 else side
        self.book_run[row] = run
        if abs(run) < config.book_persistence:
            return False
        self.book_run[row] = 0
        self.book_rest[row] = ts + config.book_cooldown_s * NANOS_PER_SECOND
        return True

    def _grow(self, capacity: int) -> None:
        config, old = self.config, self._capacity
        slots = 86_400 // config.volume_slot_s

        def grown(current: Any, shape: tuple[int, ...], dtype: type, fill: float) -> Any:
            array: Any = np.full((capacity, *shape), fill, dtype=dtype)
            if old:
                array[:old] = current
            return array

        get = self.__dict__.get
        self.last_step: Int64Array = grown(get("last_step"), (), np.int64, -1)
        self.last_x: Float64Array = grown(get("last_x"), (), np.float64, 0.0)
        self.ring: Float64Array = grown(get("ring"), (config.velocity_horizon,), np.float64, 0.0)
        self.ring_pos: Int64Array = grown(get("ring_pos"), (), np.int64, 0)
        self.ring_len: Int64Array = grown(get("ring_len"), (), np.int64, 0)
        self.var: Float64Array = grown(get("var"), (), np.float64, 0.0)
        self.var_n: Int64Array = grown(get("var_n"), (), np.int64, 0)
        self.rest_until: Int64Array = grown(get("rest_until"), (), np.int64, 0)
        self.window_high: Float64Array = grown(get("window_high"), (), np.float64, 0.0)
        self.no_high: Float64Array = np.zeros(capacity, dtype=np.float64)
        self.high_fired: BoolArray = grown(get("high_fired"), (), np.bool_, False)
        self.high_ring: Float64Array = grown(get("high_ring"), (config.high_days,), np.float64, 0)
        self.high_pos: Int64Array = grown(get("high_pos"), (), np.int64, 0)
        self.high_len: Int64Array = grown(get("high_len"), (), np.int64, 0)
        self.volume_mean: Float64Array = grown(get("volume_mean"), (slots,), np.float64, 0.0)
        self.volume_var: Float64Array = grown(get("volume_var"), (slots,), np.float64, 0.0)
        self.volume_n: Int64Array = grown(get("volume_n"), (slots,), np.int64, 0)
        self.book_run: Int64Array = grown(get("book_run"), (), np.int64, 0)
        self.book_rest: Int64Array = grown(get("book_rest"), (), np.int64, 0)
        self._capacity = capacity
