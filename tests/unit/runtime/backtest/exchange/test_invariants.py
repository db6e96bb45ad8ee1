"""Invariants over random order flow and market data (hypothesis).

Whatever happens: fills never exceed an order's quantity; cash and holdings equal the
starting balances plus what the fills say (notional, fees in their currency, KRX tax); no
free cash or free holding is ever negative; what is locked is exactly what the open orders
reserve; limit orders never fill at a worse price than their limit.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jts.messages.enums import OrderSide, TimeInForce
from jts.messages.trading import ModifyOrder, OrderFilled
from jts.runtime.backtest.exchange import ExchangeConfig, FixedBpsSlippage, FixedLatency
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId
from tests.unit.runtime.backtest.exchange.helpers import (
    BTC_KRW,
    BTC_USDT,
    KRX_OPEN,
    MINUTE,
    SAMSUNG,
    D,
    Market,
    bar,
    market,
    order,
    quote,
    trade,
)

# instrument, price at index 0, tick, lot
SPECS: list[tuple[InstrumentId, Decimal, Decimal, Decimal]] = [
    (SAMSUNG, D(70_000), D(100), D(1)),
    (BTC_KRW, D(100_000_000), D(1_000), D("0.001")),
    (BTC_USDT, D(50_000), D("0.01"), D("0.0001")),
]
START = {"KRW": D(50_000_000), "USDT": D(20_000)}
TIFS = [TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK]

action = st.tuples(
    st.integers(0, 9),  # kind
    st.integers(0, 2),  # instrument
    st.integers(-20, 20),  # price offset (ticks)
    st.integers(1, 30),  # size (lots)
    st.integers(0, 3),  # variant
)
configs = st.sampled_from(
    [
        ExchangeConfig(),
        ExchangeConfig(participation_rate=D("0.3")),
        ExchangeConfig(slippage=FixedBpsSlippage(D(20)), latency=FixedLatency(1, 2 * MINUTE, 1)),
    ]
)


class Scenario:
    def __init__(self, config: ExchangeConfig) -> None:
        self.m: Market = market(start_ns=KRX_OPEN - MINUTE, config=config, balances=dict(START))
        self.level = [0, 0, 0]
        self.ids: list[ClientOrderId] = []
        self.limits: dict[ClientOrderId, tuple[OrderSide, Decimal | None]] = {}
        self.fills: list[OrderFilled] = []
        self.now = KRX_OPEN - MINUTE
        for index in range(3):
            self.data(index, 0, 3)
        # start with some of everything so sells can happen
        self.m.exchange.core.account.holding(SAMSUNG).quantity = D(40)
        self.m.exchange.core.account.holding(BTC_KRW).quantity = D("0.05")
        self.m.exchange.core.account.holding(BTC_USDT).quantity = D("0.2")
        self.m.exchange.core.account.touched_holdings.clear()

    def price(self, index: int, offset: int = 0) -> Decimal:
        _, base, tick, _ = SPECS[index]
        return base + (self.level[index] + offset) * tick

    def data(self, index: int, move: int, variant: int) -> None:
        instrument, _, tick, lot = SPECS[index]
        volume = lot * 20
        exchange = self.m.exchange
        before = self.price(index)
        self.level[index] = max(-100, min(100, self.level[index] + move))
        after = self.price(index)
        self.now += MINUTE
        self.m.clock.set_ns(self.now)
        if variant == 0 or index == 0:
            high, low = max(before, after) + tick, min(before, after) - tick
            exchange.on_bar(bar(instrument, self.now - MINUTE, (before, high, low, after), volume))
        elif variant == 1:
            exchange.on_trade(trade(instrument, self.now, after, volume))
        else:
            exchange.on_quote(quote(instrument, self.now, after - tick, after + tick, volume))

    def submit(self, index: int, offset: int, lots: int, variant: int, kind: int) -> None:
        instrument, _, _, lot = SPECS[index]
        side = OrderSide.BUY if kind % 2 == 0 else OrderSide.SELL
        limit = trigger = None
        if variant in (1, 3):
            limit = self.price(index, offset)
        if variant >= 2:
            trigger = self.price(
                index, abs(offset) + 1 if side is OrderSide.BUY else -abs(offset) - 1
            )
        if (limit is not None and limit <= 0) or (trigger is not None and trigger <= 0):
            return
        command = order(
            instrument,
            side,
            lot * lots,
            limit=limit,
            trigger=trigger,
            tif=TIFS[(lots + variant) % 4] if trigger is None else TimeInForce.GTC,
            reduce_only=side is OrderSide.SELL and variant == 0 and lots % 5 == 0,
        )
        if isinstance(self.m.exchange.submit(command), str):
            self.ids.append(command.client_order_id)
            self.limits[command.client_order_id] = (side, limit)

    def step(self, kind: int, index: int, offset: int, lots: int, variant: int) -> None:
        if kind <= 3:
            self.data(index, offset // 4, variant)
        elif kind <= 7:
            self.submit(index, offset, lots, variant, kind)
        elif self.ids:
            target = self.ids[(lots * 7 + variant) % len(self.ids)]
            if kind == 8:
                self.m.exchange.cancel(target)
            else:
                sim = self.m.exchange.core.orders[target]
                instrument_index = [s[0] for s in SPECS].index(sim.instrument_id)
                lot = SPECS[instrument_index][3]
                terms = ModifyOrder(
                    client_order_id=target,
                    instrument_id=sim.instrument_id,
                    quantity=lot * lots,
                    ts_init=0,
                )
                self.m.exchange.modify(terms)
        self.fills += [e for e in self.m.take() if isinstance(e, OrderFilled)]


def check(s: Scenario) -> None:
    core = s.m.exchange.core
    account = core.account
    cash = defaultdict(Decimal, START)
    held: dict[InstrumentId, Decimal] = defaultdict(Decimal)
    held.update({SAMSUNG: D(40), BTC_KRW: D("0.05"), BTC_USDT: D("0.2")})
    quote_of = {spec[0]: ("KRW" if spec[0] != BTC_USDT else "USDT") for spec in SPECS}
    for fill in s.fills:
        currency = quote_of[fill.instrument_id]
        notional = fill.last_qty * fill.last_price
        fee_in_quote = fill.commission if fill.commission_currency == currency else D(0)
        if fill.side is OrderSide.BUY:
            cash[currency] -= notional + fee_in_quote
            held[fill.instrument_id] += fill.last_qty - (fill.commission - fee_in_quote)
        else:
            cash[currency] += notional - fee_in_quote - fill.tax
            held[fill.instrument_id] -= fill.last_qty
        side, limit = s.limits[fill.client_order_id]
        if limit is not None and not core.orders[fill.client_order_id].order_type.name.startswith(
            "STOP"
        ):
            assert fill.last_price <= limit if side is OrderSide.BUY else fill.last_price >= limit
    locked_cash: dict[str, Decimal] = defaultdict(Decimal)
    locked_held: dict[InstrumentId, Decimal] = defaultdict(Decimal)
    for sim in core.orders.values():
        assert 0 <= sim.filled <= sim.quantity
        if sim.is_open and sim.is_buy:
            locked_cash[quote_of[sim.instrument_id]] += sim.reserved
        elif sim.is_open:
            locked_held[sim.instrument_id] += sim.reserved
        else:
            assert sim.reserved == 0
    for currency, balance in account.cash.items():
        assert balance.total == cash[currency], currency
        assert balance.locked == locked_cash[currency], currency
        assert balance.free >= 0, currency
    for instrument_id, holding in account.holdings.items():
        assert holding.quantity == held[instrument_id], instrument_id
        assert holding.locked == locked_held[instrument_id], instrument_id
        assert holding.free >= 0, instrument_id


@settings(max_examples=60, deadline=None)
@given(config=configs, actions=st.lists(action, min_size=15, max_size=80))
def test_accounts_reconcile_with_fills_whatever_the_order_flow(
    config: ExchangeConfig, actions: list[tuple[int, int, int, int, int]]
) -> None:
    scenario = Scenario(config)

    for step in actions:
        scenario.step(*step)
        check(scenario)
