"""USDT/KRW: the Upbit market in the catalog, marked by the node as the USDT rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.equity_recorder import curve_id_of
from jts.runtime.live.node import LiveNode
from jts.runtime.live.slots import PythonSlot
from jts.runtime.live.summary import summary
from jts.shared_kernel.identifiers import StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry
from tests.unit.runtime.live.daily_fx_harness import BTC_USDT, USDT_KRW, build_reporting
from tests.unit.runtime.live.harness import Stores, bars

MINUTE = Timeframe(60)
CASH = {"KRW": Decimal(100_000_000), "USDT": Decimal(100_000)}
RATES = [1380 + (i % 7) * 2.5 - (i // 10) for i in range(30)]


def test_usdt_krw_is_an_upbit_krw_market_with_its_own_half_won_ticks() -> None:
    usdt = default_registry().get(USDT_KRW)

    assert (usdt.base_asset, usdt.quote_currency) == ("USDT", "KRW")
    assert usdt.min_notional == Decimal(5_000)
    assert usdt.tick_rule.at(date(2025, 1, 2)).tick_at(Decimal(1380)) == 1
    assert usdt.tick_rule.at(date(2025, 3, 21)).tick_at(Decimal(1380)) == Decimal("0.5")
    assert usdt.tick_rule.at(date(2026, 1, 2)).tick_at(Decimal("1380.5")) == Decimal("0.5")
    assert usdt.tick_rule.at(date(2026, 1, 2)).tick_at(Decimal(12_000)) == 10  # the KRW table


class BuyOnce:
    def __init__(self) -> None:
        self.bought = False

    def on_bar(self, context: StrategyContext) -> None:
        if not self.bought:
            self.bought = True
            context.enter_long(quantity(Decimal("0.5")))


def node_with(stores: Stores, *, marked: bool) -> LiveNode:
    clock = MarketClock()
    btc = bars([45_000.0] * 30, BTC_USDT)
    rate = bars(RATES, USDT_KRW)
    slot = PythonSlot(
        BuyOnce(), strategy_id=StrategyId("b"), instrument=BTC_USDT, timeframe=MINUTE, clock=clock
    )
    return build_reporting(
        [btc, rate] if marked else [btc],
        [slot],
        clock=clock,
        stores=stores,
        marked=[(USDT_KRW, MINUTE)] if marked else [],
        fx_rates={"USDT": Decimal(1380)},
        cash=CASH,
    )


async def test_the_krw_equity_of_a_usdt_position_follows_the_usdt_krw_marks() -> None:
    stores = Stores()
    node = node_with(stores, marked=True)

    await node.run()

    tracker = node.tracker
    assert len(tracker.fills) == 1
    last_rate = Decimal(str(RATES[-1]))
    assert tracker.rates.rate("USDT") == last_rate
    held = tracker.account.held_quantity(BTC_USDT)  # 0.5 less the fee Binance takes in BTC
    usdt_value = tracker.account.cash("USDT") + held * 45_000
    assert tracker.equity() == tracker.account.cash("KRW") + usdt_value * last_rate
    # after the fill the account holds a fixed amount of USDT: KRW equity moves with the rate
    points = stores.timeseries.read_equity(curve_id_of("paper")).points()
    in_krw = [(equity - tracker.account.cash("KRW")) for _, equity in points[3:]]
    rates = [Decimal(str(r)) for r in RATES[3:]]
    assert [v / r for v, r in zip(in_krw, rates, strict=True)] == [usdt_value] * len(rates)
    assert len(set(in_krw)) > 5


async def test_the_marked_market_is_subscribed_and_marked_but_never_traded() -> None:
    node = node_with(Stores(), marked=True)

    await node.run()

    assert node.stats.bars == 60
    assert node.engine.bars_seen == 30  # only the strategy's own bars reach a slot
    assert {f.instrument_id for f in node.tracker.fills} == {BTC_USDT}
    assert node.tracker.mark_price(USDT_KRW) == Decimal(str(RATES[-1]))
    fx = summary(node)["fx"]
    assert fx == {
        "USDT": {
            "rate": str(Decimal(str(RATES[-1]))),
            "source": "series",
            "instrument": str(USDT_KRW),
        }
    }


async def test_without_the_series_the_fixed_rate_stays_and_the_summary_says_so() -> None:
    node = node_with(Stores(), marked=False)

    await node.run()

    assert node.tracker.rates.rate("USDT") == 1380
    assert summary(node)["fx"] == {"USDT": {"rate": "1380", "source": "fixed", "instrument": None}}
