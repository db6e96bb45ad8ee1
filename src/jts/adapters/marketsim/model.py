"""1-minute bars for one instrument: GARCH returns and jumps, the tick grid, daily limits
and a U-shaped intraday volume profile.

Each minute is modelled as ``SUBSTEPS`` steps of the return kernel (``kernels``); a bar's
open, high, low and close are the first, highest, lowest and last of its steps after the
prices are put on the venue's tick grid. Prices are built one session at a time from the
previous close, the KRX opening gap (``overnight_share`` of the day's variance) is added
to each session's first step, and on KRX every price is clipped into the +/-30% band
around the previous close (``rules.price_limits``), limits included, so a session that
runs into its limit stays pinned there. Volume per bar is the session's volume spread over
an intraday profile (heavier at the open and close on KRX, by hour of day for crypto),
scaled by the current volatility (busy markets trade more) and log-normal noise, and
rounded to the instrument's lot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from jts.adapters.marketsim.grid import PriceGrid
from jts.adapters.marketsim.kernels import garch_returns
from jts.adapters.marketsim.profiles import SimProfile
from jts.adapters.marketsim.timeline import MINUTE_NS, Timeline
from jts.contexts.market_data.domain.fixed_point import decimal_scale, rescale_units, trim_scale
from jts.contexts.market_data.domain.series import BarSeries
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID, Instrument

SUBSTEPS = 4
MIN_LOTS_PER_BAR = 4  # enough to print open, high, low and close as separate trades
SESSIONS_PER_YEAR = {"crypto": 365, "exchange": 248}
ONE_MINUTE = Timeframe(60)
Float64Array = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ReturnPath:
    """Per model step: log return, GARCH volatility, time-of-day and regime multiplier of
    that volatility, and whether a jump happened."""

    returns: Float64Array
    volatility: Float64Array
    shape: Float64Array
    jumped: npt.NDArray[np.bool_]
    long_run_volatility: float


def generate_bars(
    instrument: Instrument, profile: SimProfile, timeline: Timeline, rng: np.random.Generator
) -> BarSeries:
    """1-minute bars of ``instrument`` over ``timeline``, reproducible for a seeded ``rng``."""
    around_the_clock = instrument.calendar_id == CRYPTO_CALENDAR_ID
    path = simulate_returns(profile, timeline, around_the_clock=around_the_clock, rng=rng)
    prices, price_scale = build_prices(instrument, profile, timeline, path.returns)
    volume, volume_scale = simulate_volume(
        instrument, profile, timeline, path, around_the_clock=around_the_clock, rng=rng
    )
    open_, high, low, close = prices
    starts = timeline.minute_starts
    return BarSeries(
        instrument.id,
        ONE_MINUTE,
        starts,
        starts + np.int64(MINUTE_NS),
        open_,
        high,
        low,
        close,
        volume,
        price_scale,
        volume_scale,
    )


def simulate_returns(
    profile: SimProfile, timeline: Timeline, *, around_the_clock: bool, rng: np.random.Generator
) -> ReturnPath:
    """Per-step log returns: GARCH diffusion shaped by time of day, jumps, opening gaps."""
    per_year = SESSIONS_PER_YEAR["crypto" if around_the_clock else "exchange"]
    steps_per_session = float(np.mean(timeline.session_minutes())) * SUBSTEPS
    daily_variance = profile.annual_volatility**2 / per_year
    step_variance = daily_variance * (1 - profile.overnight_share) / steps_per_session
    alpha, beta = profile.garch_alpha, profile.garch_beta
    drift = (profile.annual_drift / per_year - daily_variance / 2) / steps_per_session
    steps = len(timeline) * SUBSTEPS
    normals = rng.standard_normal(steps)
    jumped = rng.random(steps) < profile.jumps_per_day / steps_per_session
    jumps = np.where(jumped, rng.normal(0.0, profile.jump_volatility, steps), 0.0)
    regime = np.repeat(
        volatility_regime(profile, len(timeline.days), rng), timeline.session_minutes()
    )
    shape = volatility_shape(timeline, around_the_clock=around_the_clock) * regime
    shape = np.repeat(shape, SUBSTEPS)
    omega = step_variance * (1 - alpha - beta)
    returns, volatility = garch_returns(normals, jumps, shape, omega, alpha, beta, drift)
    gaps = rng.normal(0.0, np.sqrt(daily_variance * profile.overnight_share), len(timeline.days))
    returns[timeline.day_starts[:-1] * SUBSTEPS] += gaps
    return ReturnPath(returns, volatility, shape, jumped, float(np.sqrt(step_variance)))


def build_prices(
    instrument: Instrument, profile: SimProfile, timeline: Timeline, returns: Float64Array
) -> tuple[tuple[Int64Array, Int64Array, Int64Array, Int64Array], int]:
    """Open/high/low/close units per minute on the tick grid, within any daily limits."""
    grids: dict[str, PriceGrid] = {}
    first_table = instrument.tick_rule.at(timeline.days[0])
    previous_close = first_table.round_price(Decimal(repr(profile.start_price)))
    days: list[tuple[Int64Array, int]] = []
    for index, day in enumerate(timeline.days):
        table = instrument.tick_rule.at(day)
        grid = grids.setdefault(table.name, PriceGrid(table))
        lo, hi = (
            int(timeline.day_starts[index]) * SUBSTEPS,
            int(timeline.day_starts[index + 1]) * SUBSTEPS,
        )
        units, scale = _session_prices(instrument, grid, day, previous_close, returns[lo:hi])
        days.append((units, scale))
        previous_close = Decimal(int(units[-1])).scaleb(-scale)
    scale = max(day_scale for _, day_scale in days)
    steps = np.concatenate([rescale_units(u, s, scale, what="prices") for u, s in days])
    by_minute = steps.reshape(-1, SUBSTEPS)
    columns, scale = trim_scale(
        [by_minute[:, 0], by_minute.max(axis=1), by_minute.min(axis=1), by_minute[:, -1]], scale
    )
    open_, high, low, close = (np.ascontiguousarray(column) for column in columns)
    return (open_, high, low, close), scale


def _session_prices(
    instrument: Instrument, grid: PriceGrid, day: date, base: Decimal, returns: Float64Array
) -> tuple[Int64Array, int]:
    path = float(base) * np.exp(np.cumsum(returns))
    band = rules.price_limits(instrument, base, on=day)
    limits = np.array([float(base)] if band is None else [float(band.lower), float(band.upper)])
    scale = max(grid.scale_for(path), grid.scale_for(limits), decimal_scale([base]))
    units = grid.round_units(path, scale)
    if band is not None:
        units = np.clip(units, int(band.lower.scaleb(scale)), int(band.upper.scaleb(scale)))
    return units, scale


def simulate_volume(
    instrument: Instrument,
    profile: SimProfile,
    timeline: Timeline,
    path: ReturnPath,
    *,
    around_the_clock: bool,
    rng: np.random.Generator,
) -> tuple[Int64Array, int]:
    """Traded volume per minute in lot-sized units."""
    per_minute = profile.daily_volume / np.repeat(
        timeline.session_minutes(), timeline.session_minutes()
    )
    activity = path.volatility.reshape(-1, SUBSTEPS).mean(axis=1) / path.long_run_volatility
    activity *= path.shape.reshape(-1, SUBSTEPS).mean(axis=1)
    jumped = path.jumped.reshape(-1, SUBSTEPS).any(axis=1)
    noise = rng.lognormal(-(profile.volume_noise**2) / 2, profile.volume_noise, len(timeline))
    volume = per_minute * volume_shape(timeline, around_the_clock=around_the_clock)
    volume *= activity**1.5 * noise * np.where(jumped, 5.0, 1.0)
    lot = instrument.lot_size
    scale = decimal_scale([lot], what="lot size")
    lot_units = int(lot.scaleb(scale))
    lots = np.maximum(np.rint(volume / float(lot)), MIN_LOTS_PER_BAR).astype(np.int64)
    [units], scale = trim_scale([lots * np.int64(lot_units)], scale)
    return units, scale


def volatility_regime(profile: SimProfile, sessions: int, rng: np.random.Generator) -> Float64Array:
    """Per-session volatility multiplier: ``exp`` of a stationary AR(1), mean square 1."""
    phi, eta = profile.regime_persistence, profile.regime_volatility
    spread = eta / np.sqrt(1 - phi**2)
    shocks = rng.normal(0.0, eta, sessions)
    level = np.empty(sessions)
    previous = rng.normal(0.0, spread)
    for day in range(sessions):
        previous = phi * previous + shocks[day]
        level[day] = previous
    return np.asarray(np.exp(level - spread**2), dtype=np.float64)


def volatility_shape(timeline: Timeline, *, around_the_clock: bool) -> Float64Array:
    """Per-minute volatility multiplier with mean square 1: a U on KRX, a daily wave for
    crypto (busiest when Europe and America overlap, about 15:00 UTC)."""
    if around_the_clock:
        shape = 1 + 0.15 * np.cos(2 * np.pi * (_utc_hours(timeline) - 15) / 24)
    else:
        length = np.repeat(timeline.session_minutes(), timeline.session_minutes())
        x = timeline.position * length
        shape = 1 + 1.2 * np.exp(-x / 20) + 0.4 * np.exp(-(length - x) / 20)
    return np.asarray(shape / np.sqrt(np.mean(shape**2)), dtype=np.float64)


def volume_shape(timeline: Timeline, *, around_the_clock: bool) -> Float64Array:
    """Per-minute volume multiplier with mean 1: the KRX U (open and close heavy)."""
    if around_the_clock:
        shape = 1 + 0.35 * np.cos(2 * np.pi * (_utc_hours(timeline) - 15) / 24)
    else:
        length = np.repeat(timeline.session_minutes(), timeline.session_minutes())
        x = timeline.position * length
        shape = 0.6 + 3.0 * np.exp(-x / 15) + 2.0 * np.exp(-(length - x) / 12)
    return np.asarray(shape / np.mean(shape), dtype=np.float64)


def _utc_hours(timeline: Timeline) -> Float64Array:
    minute_of_day = (timeline.minute_starts // MINUTE_NS) % 1440
    return np.asarray(minute_of_day / 60.0, dtype=np.float64)
