"""Surge detection across the whole universe: ``SurgeScanner`` and its ``SurgeConfig``.

Four streaming detectors, each emitting ``SurgeDetected`` with a score (how far past its
threshold the statistic went; 1.0 is just at it), a reason and the numbers behind it:

- ``VOLUME_SPIKE`` (on bars of ``volume_timeframe``): the bar's volume against the
  instrument's baseline *for that time of day*. Each instrument keeps an exponentially
  weighted mean and variance of ``log(1 + volume)`` per ``volume_slot_s`` slot of the day
  (15 minutes by default, so the U-shaped KRX day and the crypto rhythms are both learnt);
  ``z >= volume_z`` and ``volume >= volume_min_ratio * typical`` fire once the slot has
  ``volume_warmup`` observations. A spike enters the baseline capped at 3 deviations, so
  one burst does not hide the next.
- ``PRICE_VELOCITY`` (per trade): see ``surge_kernels``.
- ``NEW_HIGH`` (per trade): above the highest high of the last ``high_days`` daily bars
  (at least ``high_min_days`` of them) by ``high_margin``; once a day.
- ``BOOK_IMBALANCE`` (per book snapshot): ``(bids - asks) / (bids + asks)`` of the sizes in
  the top ``book_levels`` levels at or beyond ``book_threshold`` (either side) for
  ``book_persistence`` snapshots in a row; then the instrument rests ``book_cooldown_s``.

State is struct-of-arrays, one row per instrument, grown as instruments appear: work per
trade, bar or book is constant whatever the universe's size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from jts.contexts.market_data.domain.bar_units import BarUnits
from jts.contexts.market_data.domain.surge_kernels import NEW_HIGH, scan_trades
from jts.contexts.market_data.domain.surge_state import SurgeState
from jts.contexts.market_data.domain.trade_batch import TradeBatch
from jts.messages.market_data import OrderBookSnapshot, SurgeDetected, SurgeKind
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

_DAY_S = 86_400
ONE_MINUTE = Timeframe(60)
ONE_DAY = Timeframe(_DAY_S)


@dataclass(frozen=True)
class SurgeConfig:
    """Thresholds and windows of the four detectors (see the module docstring)."""

    volume_timeframe: Timeframe = ONE_MINUTE
    volume_slot_s: int = 900
    volume_z: float = 4.0
    volume_min_ratio: float = 3.0
    volume_warmup: int = 5
    volume_alpha: float = 0.1
    velocity_step_s: int = 10
    velocity_horizon: int = 6
    velocity_z: float = 5.0
    velocity_alpha: float = 0.02
    velocity_warmup: int = 30
    velocity_cooldown_s: int = 300
    high_timeframe: Timeframe = ONE_DAY
    high_days: int = 20
    high_min_days: int = 5
    high_margin: float = 0.001
    book_levels: int = 5
    book_threshold: float = 0.6
    book_persistence: int = 3
    book_cooldown_s: int = 300
    enabled: frozenset[SurgeKind] = field(default_factory=lambda: frozenset(SurgeKind))

    def __post_init__(self) -> None:
        if _DAY_S % self.volume_slot_s or self.volume_slot_s < self.volume_timeframe.seconds:
            raise ValueError(
                f"volume_slot_s {self.volume_slot_s} must divide a day and be at least the "
                f"volume timeframe ({self.volume_timeframe})"
            )
        positive = {
            "volume_z": self.volume_z,
            "velocity_z": self.velocity_z,
            "velocity_step_s": self.velocity_step_s,
            "velocity_horizon": self.velocity_horizon,
            "high_days": self.high_days,
            "book_levels": self.book_levels,
            "book_persistence": self.book_persistence,
        }
        bad = [name for name, value in positive.items() if not value > 0]
        if bad or not 0 < self.book_threshold <= 1 or self.high_min_days > self.high_days:
            raise ValueError(
                f"surge config: {', '.join(bad) or 'book_threshold/high_min_days'} out of range"
                " (thresholds and windows positive, book_threshold in (0, 1], high_min_days <="
                " high_days)"
            )


class SurgeScanner:
    """Runs the detectors over trades, bars and books of any number of instruments."""

    def __init__(self, config: SurgeConfig | None = None, *, capacity: int = 4_096) -> None:
        self.config = config or SurgeConfig()
        self._state = SurgeState(self.config, capacity)

    @property
    def instruments(self) -> int:
        return len(self._state.ids)

    def on_trades(self, batch: TradeBatch, ts_init: int | None = None) -> list[SurgeDetected]:
        """Velocity and new-high detectors over a batch of trades (in arrival order)."""
        config, state = self.config, self._state
        wanted = {SurgeKind.PRICE_VELOCITY, SurgeKind.NEW_HIGH} & config.enabled
        if not len(batch) or not wanted:
            return []
        rows = state.rows(batch.instruments)[batch.instrument]
        log_price = np.log(batch.price.astype(np.float64)) - batch.price_scale * math.log(10)
        hits = np.empty(len(batch), dtype=np.int64), np.empty(len(batch), dtype=np.int64)
        figures = [np.empty(len(batch), dtype=np.float64) for _ in range(3)]
        velocity_on = SurgeKind.PRICE_VELOCITY in wanted
        count = scan_trades(
            rows,
            batch.ts_event,
            log_price,
            config.velocity_step_s * NANOS_PER_SECOND,
            config.velocity_alpha,
            config.velocity_z if velocity_on else math.inf,
            config.velocity_warmup,
            config.velocity_cooldown_s * NANOS_PER_SECOND,
            config.high_margin,
            state.last_step,
            state.last_x,
            state.ring,
            state.ring_pos,
            state.ring_len,
            state.var,
            state.var_n,
            state.rest_until,
            state.window_high if SurgeKind.NEW_HIGH in wanted else state.no_high,
            state.high_fired,
            hits[0],
            hits[1],
            *figures,
        )
        events = []
        for k in range(count):
            row = int(hits[0][k])
            instrument_id = batch.instruments[int(batch.instrument[row])]
            ts = int(batch.ts_event[row])
            values = (float(figures[0][k]), float(figures[1][k]), float(figures[2][k]))
            events.append(_trade_event(instrument_id, int(hits[1][k]), ts, ts_init, values, config))
        return events

    def on_bars(self, bars: Sequence[BarUnits], ts_init: int | None = None) -> list[SurgeDetected]:
        """Volume spikes on ``volume_timeframe`` bars; ``high_timeframe`` bars move the
        new-high window. Revisions are ignored."""
        events: list[SurgeDetected] = []
        for bar in bars:
            if bar.revision:
                continue
            if bar.timeframe == self.config.volume_timeframe:
                event = self._volume(bar, ts_init)
                if event is not None:
                    events.append(event)
            if bar.timeframe == self.config.high_timeframe and bar.trades:
                self._state.roll_high(bar.instrument_id, bar.high * 10.0**-bar.price_scale)
        return events

    def on_book(self, book: OrderBookSnapshot, ts_init: int | None = None) -> SurgeDetected | None:
        """The order book imbalance detector on one snapshot."""
        config = self.config
        if SurgeKind.BOOK_IMBALANCE not in config.enabled:
            return None
        bids = sum(float(level.size) for level in book.bids[: config.book_levels])
        asks = sum(float(level.size) for level in book.asks[: config.book_levels])
        if bids + asks <= 0:
            return None
        imbalance = (bids - asks) / (bids + asks)
        row = self._state.row(book.instrument_id)
        if not self._state.book_streak(row, imbalance, book.ts_event):
            return None
        return _event(
            book.instrument_id,
            SurgeKind.BOOK_IMBALANCE,
            abs(imbalance) / config.book_threshold,
            f"order book {'bid' if imbalance > 0 else 'ask'}-heavy for "
            f"{config.book_persistence} snapshots: imbalance {imbalance:+.2f}",
            {
                "imbalance": imbalance,
                "bid_size": bids,
                "ask_size": asks,
                "threshold": config.book_threshold,
            },
            book.ts_event,
            ts_init,
        )

    def _volume(self, bar: BarUnits, ts_init: int | None) -> SurgeDetected | None:
        if SurgeKind.VOLUME_SPIKE not in self.config.enabled:
            return None
        volume = bar.volume * 10.0**-bar.volume_scale
        slot = bar.ts_start // NANOS_PER_SECOND % _DAY_S // self.config.volume_slot_s
        judged = self._state.volume_observe(self._state.row(bar.instrument_id), slot, volume)
        if judged is None:
            return None
        z, typical = judged
        config = self.config
        return _event(
            bar.instrument_id,
            SurgeKind.VOLUME_SPIKE,
            z / config.volume_z,
            f"{bar.timeframe} volume {volume:g} is {volume / max(typical, 1e-12):.1f}x the "
            f"usual {typical:g} for this time of day (z {z:.1f})",
            {"volume": volume, "typical": typical, "z": z, "threshold": config.volume_z},
            bar.ts_event,
            ts_init,
        )


def _trade_event(
    instrument_id: InstrumentId,
    kind: int,
    ts: int,
    ts_init: int | None,
    values: tuple[float, float, float],
    config: SurgeConfig,
) -> SurgeDetected:
    score, first, second = values
    if kind == NEW_HIGH:
        return _event(
            instrument_id,
            SurgeKind.NEW_HIGH,
            score,
            f"price {first:g} above the {config.high_days}-day high {second:g}",
            {"price": first, "window_high": second, "margin": config.high_margin},
            ts,
            ts_init,
        )
    horizon_s = config.velocity_step_s * config.velocity_horizon
    return _event(
        instrument_id,
        SurgeKind.PRICE_VELOCITY,
        score,
        f"price moved {math.expm1(second):+.2%} in about {horizon_s}s: {first:+.1f} standard "
        "deviations",
        {"z": first, "log_move": second, "threshold": config.velocity_z},
        ts,
        ts_init,
    )


def _event(
    instrument_id: InstrumentId,
    kind: SurgeKind,
    score: float,
    reason: str,
    figures: dict[str, float],
    ts: int,
    ts_init: int | None,
) -> SurgeDetected:
    return SurgeDetected(
        instrument_id=instrument_id,
        kind=kind,
        score=_decimal(score),
        reason=reason,
        figures={name: _decimal(value) for name, value in figures.items() if math.isfinite(value)},
        ts_event=ts,
        ts_init=ts if ts_init is None else ts_init,
    )


def _decimal(value: float) -> Decimal:
    return Decimal(repr(round(value, 8)))
