"""The vectorized engine fills exactly as the simulated exchange driven bar by bar.

Every case runs the same bars and signals through ``run_exact`` (kernel + exact replay)
and through ``ReferenceRun`` (the contract written out over the real ``SimulatedExchange``)
and requires identical fills (side, quantity, price, commission, tax, liquidity, time,
reason), balances and round trips.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jts.runtime.backtest.exchange import (
    ExchangeConfig,
    FixedBpsSlippage,
    SessionPolicy,
    VolumeShareSlippage,
)
from jts.runtime.backtest.vectorized.specs import ProgramShape
from jts.shared_kernel.venues.instruments import Instrument
from tests.unit.runtime.backtest.vectorized.builders import (
    BTC_KRW,
    BTC_USDT,
    HYNIX,
    SAMSUNG,
    Scenario,
    both_engines,
    random_bars,
    random_signals,
)

BARS = 600
CASH = {"KRW": Decimal(200_000_000), "USDT": Decimal(150_000)}


def shape(**changes: object) -> ProgramShape:
    base: dict[str, object] = {
        "sizing": "percent_equity",
        "limit_entries": False,
        "ttl_bars": None,
        "has_stop_loss": False,
        "has_take_profit": False,
        "has_trailing_stop": False,
    }
    base.update(changes)
    return ProgramShape(**base)  # type: ignore[arg-type]


SCENARIOS = {
    "market": Scenario(shape()),
    "all_in": Scenario(shape(), size=1.0),
    "quantity": Scenario(shape(sizing="quantity"), size=3.0),
    "kelly": Scenario(shape(sizing="kelly"), size=0.6, cap=0.4, entry_rate=0.1),
    "risk": Scenario(shape(sizing="risk", has_stop_loss=True), size=0.02, stop=("percent", 0.01)),
    "stops": Scenario(
        shape(has_stop_loss=True, has_take_profit=True),
        stop=("percent", 0.01),
        target=("percent", 0.015),
    ),
    "distance_stops": Scenario(
        shape(has_stop_loss=True, has_take_profit=True),
        stop=("distance", 0.008),
        target=("distance", 0.01),
    ),
    "trailing": Scenario(
        shape(has_stop_loss=True, has_trailing_stop=True),
        stop=("percent", 0.02),
        trail=("percent", 0.008),
    ),
    "limit_ttl": Scenario(
        shape(limit_entries=True, ttl_bars=3, has_take_profit=True), target=("percent", 0.01)
    ),
}
CONFIGS = {
    "plain": ExchangeConfig(session_policy=SessionPolicy.QUEUE),
    "participation": ExchangeConfig(
        session_policy=SessionPolicy.QUEUE, participation_rate=Decimal("0.2")
    ),
    "fixed_slippage": ExchangeConfig(
        session_policy=SessionPolicy.QUEUE, slippage=FixedBpsSlippage(Decimal("7.5"))
    ),
    "volume_slippage": ExchangeConfig(
        session_policy=SessionPolicy.QUEUE,
        slippage=VolumeShareSlippage(Decimal("0.2")),
        participation_rate=Decimal("0.5"),
    ),
}
VENUES = {"krx": SAMSUNG, "upbit": BTC_KRW, "binance": BTC_USDT}


def assert_same(
    instruments: list[Instrument],
    scenario: Scenario,
    config: ExchangeConfig,
    seed: int,
    fx: dict[str, Decimal] | None = None,
) -> int:
    rng = np.random.default_rng(seed)
    series = [random_bars(i, rng, BARS) for i in instruments]
    signals = [random_signals(s, scenario, rng) for s in series]
    cash = {c: a for c, a in CASH.items() if fx or c in {i.quote_currency for i in instruments}}
    result, reference = both_engines(
        instruments, series, signals, scenario.shape, balances=cash, config=config, fx=fx
    )
    assert result.fills == tuple(reference.fills)
    assert result.trades == tuple(reference.book.trades)
    expected = {b.currency: b.total for b in reference.exchange.balances()}
    assert dict(result.balances) == expected
    return len(result.fills)


@pytest.mark.parametrize("venue", VENUES)
@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_fills_match_the_simulated_exchange(venue: str, config: str, scenario: str) -> None:
    fills = assert_same([VENUES[venue]], SCENARIOS[scenario], CONFIGS[config], seed=11)

    assert fills > 0


def test_fills_match_with_several_instruments_sharing_cash_and_fx() -> None:
    scenario = Scenario(
        shape(sizing="kelly", has_stop_loss=True, has_take_profit=True, has_trailing_stop=True),
        stop=("percent", 0.01),
        target=("percent", 0.02),
        trail=("distance", 0.01),
        size=0.7,
        cap=0.3,
        entry_rate=0.08,
    )
    fills = assert_same(
        [SAMSUNG, BTC_USDT, BTC_KRW, HYNIX],
        scenario,
        CONFIGS["participation"],
        seed=3,
        fx={"USDT": Decimal("1350.25")},
    )
    assert fills > 0


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    scenario=st.sampled_from(sorted(SCENARIOS)),
    config=st.sampled_from(sorted(CONFIGS)),
    venue=st.sampled_from(sorted(VENUES)),
)
def test_any_seed_fills_like_the_exchange(
    seed: int, scenario: str, config: str, venue: str
) -> None:
    assert_same([VENUES[venue]], SCENARIOS[scenario], CONFIGS[config], seed=seed)
