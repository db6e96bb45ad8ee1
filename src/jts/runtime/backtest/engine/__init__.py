"""The event-driven backtest engine: bars replayed through the real contexts.

A ``TestClock`` moves from bar close to bar close; the simulated exchange
(``runtime.backtest.exchange``) matches orders under the venue rules; strategies run
through the strategy context's ``StrategyRunner`` (strategy-language programs behind
``LanguageStrategy`` with their incremental evaluator, Python strategies through the
``Strategy`` protocol); their signals become orders through the risk context's
``OrderPlanner`` (sizing) and ``PreTradeGate`` (limits); orders follow the trading
context's life cycle to the exchange; fills are booked by the portfolio context. The
trading contract (timing, the exchange step, the program steps, levels and sizing) is the
one the vectorized engine states in ``runtime.backtest.vectorized``; both engines produce
the same ``BacktestResult`` trades and final equity (``tests/integration/
test_engine_parity.py``).

The order path is the lean in-memory one (``orders.OrderDesk``): the trading context's
``OrderRecord`` and life cycle without the OMS's store transactions, router, retries and
``asyncio``, which would cost more per order than a whole bar costs and add nothing to a
backtest (one venue that answers at once). Work is done only where something can happen:
the exchange sees a bar while orders work, before the engine acts on the instrument, and
at the end of a KRX session; ``Decimal`` values and messages are made when a rule fires or
an order works; the equity curve is rebuilt once at the end (``curve``).

Modules: ``engine`` (``EventDrivenBacktest``, ``EngineConfig``), ``run`` (the loop),
``drivers`` (strategies), ``trading`` (the program steps per instrument), ``orders`` (the
order path), ``account`` (risk's views of the account and market), ``market`` (bars),
``curve`` (equity), ``fx`` (FX series).
"""

from jts.runtime.backtest.engine.engine import EngineConfig, EventDrivenBacktest
from jts.runtime.backtest.engine.fx import FxSeries

__all__ = ["EngineConfig", "EventDrivenBacktest", "FxSeries"]
