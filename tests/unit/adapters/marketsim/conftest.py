"""Simulated data shared by the simulator tests (generated once per session: a year of
KRX minutes and a quarter of crypto minutes take about a second)."""

from __future__ import annotations

from datetime import date

import pytest

from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket

YEAR = (date(2024, 1, 1), date(2024, 12, 31))
QUARTER = (date(2024, 1, 1), date(2024, 3, 31))


@pytest.fixture(scope="session")
def simulator() -> MarketSimulator:
    return MarketSimulator()


@pytest.fixture(scope="session")
def samsung_year(simulator: MarketSimulator) -> SimulatedMarket:
    return simulator.generate(["005930.KRX"], *YEAR, seed=11)[0]


@pytest.fixture(scope="session")
def btc_quarter(simulator: MarketSimulator) -> SimulatedMarket:
    return simulator.generate(["BTCUSDT.BINANCE"], *QUARTER, seed=11)[0]
