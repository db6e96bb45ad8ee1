"""hypothesis strategies that build every routed message type with valid, varied values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from jts.messages import market_data, notifications, portfolio, risk, strategy, system, trading
from jts.messages.base import Message
from jts.messages.enums import (
    AggressorSide,
    Direction,
    HealthStatus,
    LiquiditySide,
    OrderSide,
    OrderType,
    Severity,
    TimeInForce,
)
from jts.shared_kernel.identifiers import InstrumentId, Venue
from jts.shared_kernel.timeframes import Timeframe

timestamps = st.integers(min_value=0, max_value=4_102_444_800 * 10**9)
prices = st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("10000000"), places=8)
sizes = st.decimals(min_value=Decimal(0), max_value=Decimal("1000000000"), places=8)
positive_sizes = st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal(10**9), places=8)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=16)
texts = st.text(max_size=40)
instruments = st.builds(
    InstrumentId,
    st.sampled_from(["005930", "000660", "BTC-KRW", "BTCUSDT", "ETH-KRW"]),
    st.sampled_from([Venue("KRX"), Venue("NXT"), Venue("UPBIT"), Venue("BINANCE")]),
)
order_ids = st.text(alphabet="0123456789abcdef", min_size=8, max_size=28).map(lambda s: f"JTS-{s}")
figure_maps = st.dictionaries(names, st.decimals(allow_nan=False, allow_infinity=False), max_size=4)


def _event_times() -> dict[str, Any]:
    return {"ts_init": timestamps, "ts_event": timestamps}


@st.composite
def bars(draw: st.DrawFn) -> market_data.Bar:
    low, high = sorted([draw(prices), draw(prices)])
    open_, close = (draw(st.sampled_from([low, high])) for _ in range(2))
    start = draw(timestamps)
    frame = draw(st.sampled_from(["1s", "1m", "5m", "1h", "1d"]))
    timeframe = Timeframe.parse(frame)
    return market_data.Bar(
        instrument_id=draw(instruments),
        timeframe=timeframe,
        ts_start=start,
        ts_event=start + timeframe.nanos,
        ts_init=start + timeframe.nanos,
        open=open_,
        high=high,
        low=low,
        close=close,
        volume=draw(sizes),
    )


@st.composite
def books(draw: st.DrawFn) -> market_data.OrderBookSnapshot:
    levels = sorted(draw(st.sets(prices, min_size=0, max_size=10)))
    split = draw(st.integers(0, len(levels)))
    bids = tuple(market_data.BookLevel(p, draw(sizes)) for p in reversed(levels[:split]))
    asks = tuple(market_data.BookLevel(p, draw(sizes)) for p in levels[split:])
    return market_data.OrderBookSnapshot(
        instrument_id=draw(instruments),
        bids=bids,
        asks=asks,
        sequence=draw(st.none() | st.integers(0, 2**62)),
        ts_event=draw(timestamps),
        ts_init=draw(timestamps),
    )


@st.composite
def submit_orders(draw: st.DrawFn) -> trading.SubmitOrder:
    order_type = draw(st.sampled_from(OrderType))
    tif = draw(st.sampled_from(TimeInForce))
    needs_limit = order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT)
    needs_trigger = order_type in (OrderType.STOP_MARKET, OrderType.STOP_LIMIT)
    return trading.SubmitOrder(
        client_order_id=draw(order_ids),
        instrument_id=draw(instruments),
        strategy_id=draw(names),
        side=draw(st.sampled_from(OrderSide)),
        order_type=order_type,
        quantity=draw(positive_sizes),
        limit_price=draw(prices) if needs_limit else None,
        trigger_price=draw(prices) if needs_trigger else None,
        time_in_force=tif,
        expire_time_ns=draw(timestamps) if tif is TimeInForce.GTD else None,
        reduce_only=draw(st.booleans()),
        tags=tuple(draw(st.lists(names, max_size=3))),
        ts_init=draw(timestamps),
    )


def _order_event(cls: type[trading.OrderEvent], **extra: Any) -> st.SearchStrategy[Message]:
    return st.builds(
        cls, client_order_id=order_ids, instrument_id=instruments, **_event_times(), **extra
    )


_sizing = st.builds(
    strategy.Sizing,
    kind=st.sampled_from(strategy.SizingKind),
    value=positive_sizes,
    cap=st.none() | positive_sizes,
    stop_distance=st.none() | prices,
)
_positions = st.builds(
    portfolio.PositionSnapshot,
    instrument_id=instruments,
    quantity=sizes,
    average_price=prices,
    market_price=prices,
    realized_pnl=st.decimals(allow_nan=False, allow_infinity=False, places=4),
    unrealized_pnl=st.decimals(allow_nan=False, allow_infinity=False, places=4),
    currency=st.sampled_from(["KRW", "USDT"]),
)

MESSAGE_STRATEGIES: dict[type[Message], st.SearchStrategy[Any]] = {
    market_data.QuoteTick: st.builds(
        market_data.QuoteTick,
        instrument_id=instruments,
        bid_price=prices,
        ask_price=prices,
        bid_size=sizes,
        ask_size=sizes,
        **_event_times(),
    ),
    market_data.TradeTick: st.builds(
        market_data.TradeTick,
        instrument_id=instruments,
        price=prices,
        size=sizes,
        aggressor_side=st.sampled_from(AggressorSide),
        trade_id=st.none() | names,
        sequence=st.none() | st.integers(0, 2**62),
        **_event_times(),
    ),
    market_data.Bar: bars(),
    market_data.OrderBookSnapshot: books(),
    market_data.SurgeDetected: st.builds(
        market_data.SurgeDetected,
        instrument_id=instruments,
        kind=st.sampled_from(market_data.SurgeKind),
        score=positive_sizes,
        reason=texts,
        figures=figure_maps,
        **_event_times(),
    ),
    market_data.FeedStale: st.builds(
        market_data.FeedStale,
        instrument_id=instruments,
        reason=st.sampled_from(market_data.FeedStaleReason),
        last_data_ns=st.none() | timestamps,
        expected_interval_ns=st.integers(0, 10**12),
        missing=st.integers(0, 10**6),
        detail=texts,
        **_event_times(),
    ),
    market_data.FeedRecovered: st.builds(
        market_data.FeedRecovered,
        instrument_id=instruments,
        stale_since_ns=timestamps,
        **_event_times(),
    ),
    strategy.EntrySignalRaised: st.builds(
        strategy.EntrySignalRaised,
        strategy_id=names,
        instrument_id=instruments,
        direction=st.sampled_from(Direction),
        reason=texts,
        reference_price=prices,
        sizing=_sizing,
        stop_loss=st.none() | prices,
        **_event_times(),
    ),
    strategy.ExitSignalRaised: st.builds(
        strategy.ExitSignalRaised,
        strategy_id=names,
        instrument_id=instruments,
        direction=st.sampled_from(Direction),
        **_event_times(),
    ),
    trading.SubmitOrder: submit_orders(),
    trading.CancelOrder: st.builds(
        trading.CancelOrder,
        client_order_id=order_ids,
        instrument_id=instruments,
        ts_init=timestamps,
    ),
    trading.ModifyOrder: st.builds(
        trading.ModifyOrder,
        client_order_id=order_ids,
        instrument_id=instruments,
        quantity=positive_sizes,
        limit_price=st.none() | prices,
        ts_init=timestamps,
    ),
    trading.OrderSubmitted: _order_event(trading.OrderSubmitted, strategy_id=names, broker=names),
    trading.OrderAccepted: _order_event(trading.OrderAccepted, venue_order_id=names),
    trading.OrderRejected: _order_event(
        trading.OrderRejected, reason=texts, code=st.none() | names
    ),
    trading.OrderDenied: _order_event(trading.OrderDenied, reason=texts, rule=st.none() | names),
    trading.OrderFilled: _order_event(
        trading.OrderFilled,
        venue_order_id=names,
        trade_id=names,
        strategy_id=names,
        side=st.sampled_from(OrderSide),
        last_qty=positive_sizes,
        last_price=prices,
        commission=sizes,
        tax=sizes,
        liquidity_side=st.sampled_from(LiquiditySide),
    ),
    trading.OrderPendingCancel: _order_event(trading.OrderPendingCancel),
    trading.OrderPendingModify: _order_event(trading.OrderPendingModify),
    trading.OrderModified: _order_event(
        trading.OrderModified, quantity=st.none() | positive_sizes, limit_price=st.none() | prices
    ),
    trading.OrderCancelRejected: _order_event(trading.OrderCancelRejected, reason=texts),
    trading.OrderModifyRejected: _order_event(trading.OrderModifyRejected, reason=texts),
    trading.OrderCanceled: _order_event(trading.OrderCanceled, venue_order_id=st.none() | names),
    trading.OrderExpired: _order_event(trading.OrderExpired, venue_order_id=st.none() | names),
    portfolio.PortfolioUpdated: st.builds(
        portfolio.PortfolioUpdated,
        account_id=names,
        cash=st.dictionaries(st.sampled_from(["KRW", "USDT"]), sizes),
        positions=st.lists(_positions, max_size=3).map(tuple),
        equity=sizes,
        **_event_times(),
    ),
    portfolio.PerformanceUpdated: st.builds(
        portfolio.PerformanceUpdated,
        account_id=names,
        equity=sizes,
        figures=figure_maps,
        **_event_times(),
    ),
    portfolio.DailyReportPublished: st.builds(
        portfolio.DailyReportPublished,
        account_id=names,
        day=st.dates(),
        start_equity=sizes,
        end_equity=sizes,
        pnl=st.decimals(allow_nan=False, allow_infinity=False, places=4),
        day_return=st.decimals(allow_nan=False, allow_infinity=False, places=8),
        realized_pnl=st.decimals(allow_nan=False, allow_infinity=False, places=4),
        unrealized_pnl=st.decimals(allow_nan=False, allow_infinity=False, places=4),
        fees=sizes,
        fills=st.integers(0, 10_000),
        trades=st.integers(0, 10_000),
        strategy_pnl=figure_maps,
        positions=st.lists(_positions, max_size=3).map(tuple),
        risk=figure_maps,
        location=texts,
        **_event_times(),
    ),
    risk.RiskAlertRaised: st.builds(
        risk.RiskAlertRaised,
        severity=st.sampled_from(Severity),
        rule=names,
        message=texts,
        figures=figure_maps,
        **_event_times(),
    ),
    risk.RiskMetricsUpdated: st.builds(
        risk.RiskMetricsUpdated, metrics=figure_maps, **_event_times()
    ),
    risk.RiskLimitBreached: st.builds(
        risk.RiskLimitBreached,
        rule=names,
        limit=sizes,
        value=sizes,
        scope=names,
        action=names,
        **_event_times(),
    ),
    system.HealthReported: st.builds(
        system.HealthReported,
        component=names,
        status=st.sampled_from(HealthStatus),
        detail=texts,
        **_event_times(),
    ),
    system.ErrorReported: st.builds(
        system.ErrorReported, component=names, error_type=names, message=texts, **_event_times()
    ),
    system.MetricsReported: st.builds(
        system.MetricsReported,
        component=names,
        values=st.dictionaries(names, st.floats(allow_nan=False, allow_infinity=False)),
        **_event_times(),
    ),
    notifications.NotificationSent: st.builds(
        notifications.NotificationSent,
        notification_id=st.uuids(),
        channel=st.sampled_from(notifications.Channel),
        severity=st.sampled_from(Severity),
        category=st.sampled_from(notifications.Category),
        title=texts,
        body=texts,
        dedup_key=names,
        source_id=st.uuids(),
        repeats=st.integers(min_value=1, max_value=1000),
        escalation=st.integers(min_value=0, max_value=10),
        delivered=st.booleans(),
        error=texts,
        **_event_times(),
    ),
    notifications.AcknowledgeNotification: st.builds(
        notifications.AcknowledgeNotification,
        notification_id=st.uuids(),
        by=names,
        ts_init=timestamps,
    ),
}

any_message: st.SearchStrategy[Message] = st.one_of(*MESSAGE_STRATEGIES.values())
