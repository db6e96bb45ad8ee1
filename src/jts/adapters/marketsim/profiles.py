"""How each simulated instrument behaves: start price, volatility, jumps and volume.

A ``SimProfile`` holds the parameters of the price and volume model (see ``model``) in
annual or daily units, so they read like market facts ("Samsung: 25% a year, 15 million
shares a day"). The built-in instruments (``jts.shared_kernel.venues.catalog``) have
profiles with levels typical of 2024; any other instrument gets its asset class's default,
which ``profile_for`` can be told to override.
"""

from __future__ import annotations

import msgspec

from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import AssetClass


class SimProfile(msgspec.Struct, frozen=True, kw_only=True):
    """Model parameters for one instrument.

    - ``start_price``: the close before the first simulated day.
    - ``annual_volatility`` / ``annual_drift``: of log prices, over a year of sessions.
    - ``garch_alpha`` / ``garch_beta``: GARCH(1,1) reaction and persistence per model step
      (a quarter of a minute); ``alpha + beta < 1``. The defaults give intraday bursts
      with a half-life of about half an hour.
    - ``regime_persistence`` / ``regime_volatility``: a slower, day-to-day level of
      volatility (an AR(1) in log volatility per session), so calm and busy stretches last
      for days as they do in real markets.
    - ``jumps_per_day`` and ``jump_volatility``: Poisson jumps with normal log sizes.
    - ``overnight_share``: the part of a day's variance that arrives as the opening gap
      (KRX); crypto trades around the clock and has none.
    - ``daily_volume``: traded base units per session (shares, coins); ``volume_noise`` is
      the log-normal dispersion of each bar's volume around the intraday profile.
    """

    start_price: float
    annual_volatility: float
    annual_drift: float = 0.0
    garch_alpha: float = 0.05
    garch_beta: float = 0.945
    regime_persistence: float = 0.9
    regime_volatility: float = 0.15
    jumps_per_day: float = 0.1
    jump_volatility: float = 0.03
    overnight_share: float = 0.0
    daily_volume: float = 1_000_000.0
    volume_noise: float = 0.4

    def __post_init__(self) -> None:
        positive = {
            "start_price": self.start_price,
            "annual_volatility": self.annual_volatility,
            "daily_volume": self.daily_volume,
        }
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"simulation profile {name} must be positive, got {value}")
        if not (self.garch_alpha >= 0 and self.garch_beta >= 0):
            raise ValueError("GARCH alpha and beta must not be negative")
        if self.garch_alpha + self.garch_beta >= 1:
            raise ValueError(
                f"GARCH alpha + beta = {self.garch_alpha + self.garch_beta} must be below 1 "
                "for a finite long-run volatility"
            )
        if min(self.jumps_per_day, self.jump_volatility, self.volume_noise) < 0:
            raise ValueError("jumps_per_day, jump_volatility and volume_noise must not be negative")
        if not 0 <= self.regime_persistence < 1 or self.regime_volatility < 0:
            raise ValueError("regime_persistence must be in [0, 1) and regime_volatility >= 0")
        if not 0 <= self.overnight_share < 1:
            raise ValueError(f"overnight_share {self.overnight_share} must be in [0, 1)")


_KRX_STOCK = {"overnight_share": 0.25, "jumps_per_day": 0.08, "jump_volatility": 0.025}
_CRYPTO = {"jumps_per_day": 0.3, "jump_volatility": 0.02}

BUILTIN_PROFILES: dict[str, SimProfile] = {
    "005930.KRX": SimProfile(
        start_price=75_000, annual_volatility=0.25, daily_volume=15e6, **_KRX_STOCK
    ),
    "000660.KRX": SimProfile(
        start_price=140_000, annual_volatility=0.40, daily_volume=3e6, **_KRX_STOCK
    ),
    "035420.KRX": SimProfile(
        start_price=200_000, annual_volatility=0.35, daily_volume=7e5, **_KRX_STOCK
    ),
    "069500.KRX": SimProfile(
        start_price=35_000, annual_volatility=0.15, daily_volume=5e6, overnight_share=0.25
    ),
    "BTC-KRW.UPBIT": SimProfile(
        start_price=60_000_000, annual_volatility=0.55, daily_volume=3_000, **_CRYPTO
    ),
    "ETH-KRW.UPBIT": SimProfile(
        start_price=3_000_000, annual_volatility=0.70, daily_volume=30_000, **_CRYPTO
    ),
    "USDT-KRW.UPBIT": SimProfile(  # a dollar in won: calm, rare small jumps
        start_price=1_380,
        annual_volatility=0.05,
        daily_volume=5e7,
        jumps_per_day=0.05,
        jump_volatility=0.003,
        regime_volatility=0.05,
    ),
    "BTCUSDT.BINANCE": SimProfile(
        start_price=45_000, annual_volatility=0.55, daily_volume=25_000, **_CRYPTO
    ),
    "ETHUSDT.BINANCE": SimProfile(
        start_price=2_500, annual_volatility=0.70, daily_volume=400_000, **_CRYPTO
    ),
}


def profile_for(instrument: Instrument, *, start_price: float | None = None) -> SimProfile:
    """The built-in profile of ``instrument``, else its asset class's default."""
    profile = BUILTIN_PROFILES.get(str(instrument.id)) or _default_profile(instrument)
    if start_price is not None:
        profile = msgspec.structs.replace(profile, start_price=start_price)
    return profile


def _default_profile(instrument: Instrument) -> SimProfile:
    if instrument.asset_class is AssetClass.CRYPTO:
        price = {"KRW": 1_000_000.0, "BTC": 0.01}.get(instrument.quote_currency, 100.0)
        return SimProfile(start_price=price, annual_volatility=0.8, daily_volume=1e5, **_CRYPTO)
    if instrument.asset_class is AssetClass.ETF:
        return SimProfile(start_price=10_000, annual_volatility=0.18, overnight_share=0.25)
    return SimProfile(start_price=50_000, annual_volatility=0.35, **_KRX_STOCK)
