"""Seeded return series and equity curves for the analytics tests, with pandas twins."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from jts.contexts.portfolio.domain.analytics import ClosedTrade
from jts.messages.enums import Direction
from jts.shared_kernel.identifiers import InstrumentId

NS_PER_DAY = 86_400 * 10**9
SAMSUNG = InstrumentId.parse("005930.KRX")


def seeded_returns(seed: int, n: int = 750, mean: float = 4e-4, std: float = 0.012) -> np.ndarray:
    """Fat-tailed daily returns (Student t, 4 dof) scaled to ``std``."""
    rng = np.random.default_rng(seed)
    return mean + std * rng.standard_t(4, n) / np.sqrt(2.0)


def business_days(n: int, start: str = "2019-01-02") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n)


def daily_curve(
    returns: np.ndarray, start: str = "2019-01-02", tz: str = "Asia/Seoul"
) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """A daily equity curve (starting point the day before, closes at 15:30 local) for
    ``returns``, and the returns as a pandas series on the local dates (for the judges)."""
    days = business_days(len(returns), start)
    closes = (days.tz_localize(tz) + pd.Timedelta(hours=15, minutes=30)).as_unit("ns").asi8
    ts = np.concatenate(([closes[0] - NS_PER_DAY], closes)).astype(np.int64)
    equity = 1_000_000.0 * np.concatenate(([1.0], np.cumprod(1.0 + returns)))
    return ts, equity, pd.Series(returns, index=days)


def minute_curve(
    n_days: int, seed: int, tz: str = "Asia/Seoul", start: str = "2021-01-04"
) -> tuple[np.ndarray, np.ndarray]:
    """One-minute equity from 09:00 to 15:29 local on ``n_days`` business days."""
    rng = np.random.default_rng(seed)
    days = business_days(n_days, start).tz_localize(tz)
    opens = (days + pd.Timedelta(hours=9)).as_unit("ns").asi8
    minutes = np.arange(390, dtype=np.int64) * 60 * 10**9
    ts = (opens[:, None] + minutes[None, :]).ravel()
    returns = rng.normal(2e-6, 6e-4, len(ts))
    equity = 50_000_000.0 * np.cumprod(1.0 + returns)
    return ts, equity


def trade(
    pnl: str,
    *,
    entry_ts_ns: int = 0,
    exit_ts_ns: int = NS_PER_DAY,
    quantity: str = "10",
    entry_price: str = "70000",
    exit_price: str = "71000",
    fees: str = "0",
    direction: Direction = Direction.LONG,
) -> ClosedTrade:
    return ClosedTrade(
        instrument_id=SAMSUNG,
        direction=direction,
        quantity=Decimal(quantity),
        entry_ts_ns=entry_ts_ns,
        exit_ts_ns=exit_ts_ns,
        entry_price=Decimal(entry_price),
        exit_price=Decimal(exit_price),
        pnl=Decimal(pnl),
        fees=Decimal(fees),
    )
