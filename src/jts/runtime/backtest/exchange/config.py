"""Settings of one simulated exchange: liquidity, slippage, latency and session handling."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from jts.runtime.backtest.exchange.latency import NO_LATENCY, LatencyModel
from jts.runtime.backtest.exchange.slippage import NoSlippage, SlippageModel
from jts.shared_kernel.numbers import ONE, ZERO


class SessionPolicy(StrEnum):
    """What happens to an order submitted while its venue is closed (KRX nights, weekends).

    ``REJECT`` is what KIS and Creon do (``APBK0918``): paper trading uses it. ``QUEUE`` accepts
    the order as a reservation order (예약주문) that works from the next session: a backtest on
    daily bars submits after the close and needs it. Crypto venues never close.
    """

    REJECT = "REJECT"
    QUEUE = "QUEUE"


@dataclass(frozen=True, slots=True)
class ExchangeConfig:
    """How the simulated exchange fills orders.

    ``participation_rate`` caps each order side's fills on one market data event at that
    share of the bar's volume (or the trade's size, or the quote's size on the order's
    side); ``None`` means no cap. ``market_buy_buffer`` values market buys on venues without
    a daily price band at the last price times ``1 + buffer`` when reserving cash (KRX market
    buys reserve at the upper limit price, as KIS does). ``keep_closed_orders`` keeps
    finished orders queryable by ``order``; long backtests can turn it off to save memory.
    """

    participation_rate: Decimal | None = None
    slippage: SlippageModel = field(default_factory=NoSlippage)
    latency: LatencyModel = NO_LATENCY
    session_policy: SessionPolicy = SessionPolicy.REJECT
    market_buy_buffer: Decimal = Decimal("0.05")
    keep_closed_orders: bool = True
    order_id_prefix: str = "SIM"

    def __post_init__(self) -> None:
        rate = self.participation_rate
        if rate is not None and not ZERO < rate <= ONE:
            raise ValueError(f"participation_rate {rate} must lie in (0, 1], or be None (no cap)")
        if not ZERO <= self.market_buy_buffer < ONE:
            raise ValueError(f"market_buy_buffer {self.market_buy_buffer} must lie in [0, 1)")
        if not self.order_id_prefix or not self.order_id_prefix.isalnum():
            raise ValueError(f"order_id_prefix {self.order_id_prefix!r} must be alphanumeric")
