"""Seeded OHLCV data sets the indicator tests run on, including the awkward ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]


@dataclass(frozen=True)
class Bars:
    """One named OHLCV series plus a session label per bar (a day number)."""

    name: str
    open: Vector
    high: Vector
    low: Vector
    close: Vector
    volume: Vector
    session: NDArray[np.int64]

    def series(self, names: tuple[str, ...]) -> list[NDArray[np.float64] | NDArray[np.int64]]:
        """The inputs an indicator asks for, by TA-Lib input name (``real`` is the close)."""
        by_name = {
            "real": self.close, "open": self.open, "high": self.high, "low": self.low,
            "close": self.close, "volume": self.volume, "session": self.session,
        }  # fmt: skip
        return [by_name[name] for name in names]

    @property
    def scale(self) -> float:
        """Largest price magnitude: the yardstick for "relative to the data" tolerances."""
        prices = np.concatenate([self.open, self.high, self.low, self.close])
        finite = prices[np.isfinite(prices)]
        return float(np.max(np.abs(finite))) if finite.size else 1.0


def random_walk(length: int = 2000, seed: int = 7, name: str = "random_walk") -> Bars:
    """A random-walk close with realistic high/low/open around it and positive volume."""
    rng = np.random.default_rng(seed)
    close = 100.0 + np.cumsum(rng.normal(0.0, 1.0, length))
    spread = rng.uniform(0.05, 1.5, length)
    high = close + spread * rng.uniform(0.0, 1.0, length)
    low = close - spread * rng.uniform(0.0, 1.0, length)
    opening = np.clip(np.r_[close[:1], close[:-1]] + rng.normal(0.0, 0.3, length), low, high)
    volume = rng.uniform(1_000.0, 50_000.0, length).round()
    session = (np.arange(length) // 390).astype(np.int64)
    return Bars(name, opening, high, low, close, volume, session)


def with_gaps() -> Bars:
    """A random walk with overnight-style price gaps of both signs."""
    base = random_walk(seed=11, name="gaps")
    jump = np.zeros(base.close.shape[0])
    jump[500:] += 12.0
    jump[1200:] -= 25.0
    jump[1700:] += 8.0
    return Bars(
        "gaps", base.open + jump, base.high + jump, base.low + jump, base.close + jump,
        base.volume, base.session,
    )  # fmt: skip


def constant(length: int = 300) -> Bars:
    """A flat market: every price the same, constant volume."""
    price = np.full(length, 25.75)
    session = (np.arange(length) // 100).astype(np.int64)
    return Bars("constant", price, price, price, price, np.full(length, 500.0), session)


def short() -> Bars:
    """Too few bars for most warm-ups: most outputs must be all NaN."""
    base = random_walk(length=6, seed=3, name="short")
    return base


def leading_nan() -> Bars:
    """Inputs that become numbers at different bars (TA-Lib starts where all are numbers)."""
    base = random_walk(seed=5, name="leading_nan")
    series = [array.copy() for array in (base.open, base.high, base.low, base.close, base.volume)]
    for array, count in zip(series, (3, 5, 2, 9, 4), strict=True):
        array[:count] = np.nan
    return Bars("leading_nan", *series, base.session)


def nan_inside() -> Bars:
    """NaN after the data has started: TA-Lib lets it flow through its arithmetic."""
    base = random_walk(seed=9, name="nan_inside")
    series = [array.copy() for array in (base.open, base.high, base.low, base.close, base.volume)]
    series[3][[600, 613, 650, 651]] = np.nan
    series[1][[700, 1400]] = np.nan
    series[2][900] = np.nan
    series[4][1100] = np.nan
    series[0][1300] = np.nan
    return Bars("nan_inside", *series, base.session)


DATASETS: tuple[Bars, ...] = (
    random_walk(),
    with_gaps(),
    constant(),
    short(),
    leading_nan(),
    nan_inside(),
)
