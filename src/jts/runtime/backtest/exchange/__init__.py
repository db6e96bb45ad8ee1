"""The simulated exchange: the backtest exchange and the engine of the paper broker.

It matches one account's orders against incoming market data (bars, trade ticks, quotes,
order book snapshots) with price-time priority, a latency model, partial fills capped by a
participation rate, slippage, fees and KRX sell tax, the venue rules of
``jts.shared_kernel.venues`` (tick, lot, daily price band, minimum totals and filters,
sessions and holidays) and cash constraints, refusing invalid orders with the venue's own
code and words. Several venues and quote currencies (KRW and USDT instruments) share one
account in one run.

Modules:

- ``exchange``: ``SimulatedExchange``, the public entry point.
- ``window``: **the fill rules** (bars, trades, quotes), documented for a vectorized engine.
- ``matching``: the matching pass and fill settlement.
- ``book``: per-instrument books in price-time priority.
- ``validation``: pre-trade checks, sessions and DAY/GTD expiry.
- ``requests``: latency-delayed arrivals, cancels and modifies.
- ``reservations``: what working orders lock (KRX market buys at the upper limit price).
- ``account``: cash per currency and holdings, each with a locked part.
- ``listing``: per-instrument market state (last price, KRX base price and band).
- ``latency``, ``slippage``, ``config``: the models and settings.
- ``venue_errors``: refusals in each venue's terms.
- ``state``, ``ports``, ``memory_store``: persistence of paper accounts (``AccountStore``).

Time in force: GTC works until filled or canceled; DAY expires at the close of the session
it was accepted in (``OrderExpired`` stamped with the close; on 24/7 venues, UTC midnight);
GTD at ``expire_time_ns``; IOC and FOK get exactly one market data event. Orders sent while
KRX is closed are refused (``APBK0918``) or, with ``SessionPolicy.QUEUE``, queued for the next
session, where a DAY order expires at that session's close.

Short selling is not simulated: sells need the units (spot accounts).
"""

from jts.runtime.backtest.exchange.config import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.exchange.exchange import SimulatedExchange
from jts.runtime.backtest.exchange.latency import FixedLatency, LatencyModel, UniformLatency
from jts.runtime.backtest.exchange.slippage import (
    FixedBpsSlippage,
    NoSlippage,
    SlippageModel,
    VolumeShareSlippage,
)
from jts.runtime.backtest.exchange.venue_errors import ExchangeRejection

__all__ = [
    "ExchangeConfig",
    "ExchangeRejection",
    "FixedBpsSlippage",
    "FixedLatency",
    "LatencyModel",
    "NoSlippage",
    "SessionPolicy",
    "SimulatedExchange",
    "SlippageModel",
    "UniformLatency",
    "VolumeShareSlippage",
]
