"""The ``--summary-json`` document: what a ``jts up`` run ended with.

One JSON object, stable keys, numbers as decimal strings (exact), times as ISO 8601 UTC:

- ``finished`` (why the run ended), ``clock`` (market time at the end), ``account``,
  ``base_currency``, ``counts`` (events, bars, bars skipped on resume, warm-up bars,
  orders adopted at start, signals, fills, trades);
- ``strategies``: each strategy with its instruments and, if it was stopped, why;
- ``cash`` per currency, ``equity``, ``pnl`` (realized, unrealized, fees, in the base
  currency);
- ``positions``, ``open_orders``, ``fills`` (every fill of the account, oldest first, with
  the reason its order was sent) and ``trades`` (round trips built from the fills exactly as
  the backtest engines build them: ``instrument``, ``side``, ``quantity``, ``entry_time``,
  ``entry_price``, ``exit_time``, ``exit_price``, ``fees``, ``pnl``, ``exit_reason``);
- ``risk``: the risk guard's ``metrics`` (drawdown figures and, once the returns window
  holds enough days, one-day VaR/CVaR by method at 95% and 99%: ``var_hist_99``,
  ``cvar_mc_95``...), ``denied`` (orders refused before the venue), whether the kill
  switch is engaged and why
  (``kill_switch_state``: source, reason, who engaged it, when the node halted), the alerts;
- ``reconciliation``: what start-up reconciliation found;
- ``performance``: the figures last measured on the account's equity curve
  (``LivePerformance``: total return, Sharpe, max drawdown, win rate... as fractions; an
  undefined figure is absent), with ``curve`` (its id, points, first and last time) and
  ``daily_reports`` (the days reported by this run and where their files are);
- ``fx``: per currency, the rate into the base currency at the end and its ``source``:
  ``series`` (marked from ``instrument``, e.g. USDT-KRW.UPBIT) or ``fixed`` (the starting
  rate, never marked).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jts.runtime.backtest.results import Trade
from jts.runtime.live.node import LiveNode
from jts.shared_kernel.clock import ns_to_datetime
from jts.shared_kernel.numbers import plain


def iso(ts_ns: int) -> str:
    return ns_to_datetime(ts_ns).isoformat().replace("+00:00", "Z")


def summary(node: LiveNode) -> dict[str, Any]:
    """The document for ``node`` as it is now."""
    tracker, stats = node.tracker, node.stats
    realized, unrealized = tracker.pnl()
    return {
        "finished": stats.finished,
        "clock": iso(node.clock.now_ns()),
        "account": str(tracker.account_id),
        "base_currency": tracker.base_currency,
        "counts": _counts(node),
        "strategies": _strategies(node),
        "cash": {c: plain(v) for c, v in sorted(tracker.account.balances.items())},
        "equity": plain(tracker.equity()),
        "pnl": {
            "realized": plain(realized),
            "unrealized": plain(unrealized),
            "fees": plain(tracker.fees),
        },
        "positions": _positions(node),
        "open_orders": _open_orders(node),
        "fills": _fills(node),
        "trades": [trade_document(t) for t in tracker.trades],
        "risk": _risk(node),
        "performance": _performance(node),
        "fx": _fx(node),
        "reconciliation": [
            {
                "broker": r.broker,
                "orders_checked": r.orders_checked,
                "fills_recovered": r.fills_recovered,
                "failed": r.failed,
            }
            for r in stats.reconciliation
        ],
    }


def trade_document(trade: Trade) -> dict[str, str]:
    """One round trip as the summary (and ``jts backtest --json``) shows it."""
    return {
        "instrument": str(trade.instrument_id),
        "side": trade.direction.value.lower(),
        "quantity": plain(trade.quantity),
        "entry_time": iso(trade.entry_ts_ns),
        "entry_price": plain(trade.entry_price),
        "exit_time": iso(trade.exit_ts_ns),
        "exit_price": plain(trade.exit_price),
        "fees": plain(trade.fees),
        "pnl": plain(trade.pnl),
        "exit_reason": trade.exit_reason,
    }


def write_summary(node: LiveNode, path: Path) -> Path:
    """Write the document to ``path`` (parents created); the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary(node), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def _counts(node: LiveNode) -> dict[str, int]:
    stats = node.stats
    return {
        "events": stats.events,
        "bars": stats.bars,
        "skipped_bars": stats.skipped,
        "warmup_bars": stats.warmup_bars,
        "adopted_orders": stats.adopted_orders,
        "signals": node.engine.signals_sent,
        "fills": len(node.tracker.fills),
        "trades": len(node.tracker.trades),
    }


def _positions(node: LiveNode) -> list[dict[str, str]]:
    return [
        {
            "instrument": str(p.instrument_id),
            "quantity": plain(p.quantity),
            "average_price": plain(p.average_price),
            "market_price": plain(p.market_price),
            "realized_pnl": plain(p.realized_pnl),
            "unrealized_pnl": plain(p.unrealized_pnl),
            "currency": p.currency,
        }
        for p in node.tracker.positions()
    ]


def _strategies(node: LiveNode) -> list[dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for slot in node.engine.slots:
        entry = by_id.setdefault(
            str(slot.strategy_id), {"id": str(slot.strategy_id), "instruments": [], "stopped": []}
        )
        entry["instruments"].append(str(slot.instrument))
        if slot.stopped is not None:
            entry["stopped"].append(str(slot.stopped))
    return list(by_id.values())


def _open_orders(node: LiveNode) -> list[dict[str, Any]]:
    return [
        {
            "client_order_id": str(r.client_order_id),
            "strategy": str(r.strategy_id),
            "instrument": str(r.instrument_id),
            "side": r.side.value,
            "type": r.order_type.value,
            "quantity": plain(r.quantity),
            "filled": plain(r.filled_quantity),
            "limit_price": None if r.limit_price is None else plain(r.limit_price),
            "trigger_price": None if r.trigger_price is None else plain(r.trigger_price),
            "status": r.status.value,
        }
        for r in node.desk.open_records()
    ]


def _fills(node: LiveNode) -> list[dict[str, Any]]:
    tracker = node.tracker
    return [
        {
            "time": iso(f.ts_event),
            "client_order_id": str(f.client_order_id),
            "trade_id": str(f.trade_id),
            "strategy": str(f.strategy_id),
            "instrument": str(f.instrument_id),
            "side": f.side.value,
            "quantity": plain(f.last_qty),
            "price": plain(f.last_price),
            "commission": plain(f.commission),
            "tax": plain(f.tax),
            "reason": reason,
        }
        for f, reason in zip(tracker.fills, tracker.reasons, strict=True)
    ]


def _engaged(node: LiveNode) -> bool:
    return node.kill_switch is not None and node.kill_switch.halted


def _kill_reason(node: LiveNode) -> str | None:
    control = node.kill_switch
    if control is not None and control.halted and control.state.reason:
        return control.state.reason
    return node.guard.kill_reason


def _kill_switch_state(node: LiveNode) -> dict[str, Any] | None:
    """The stored switch as the node last read it, and when (market time) it halted."""
    control = node.kill_switch
    if control is None:
        return None
    state = control.state
    halted_at = control.halted_at_ns
    return {
        "engaged": state.engaged,
        "source": None if state.source is None else state.source.value,
        "reason": state.reason,
        "engaged_by": state.engaged_by,
        "halted_at": None if halted_at is None else iso(halted_at),
        "halted_at_ns": halted_at,
        "released_by": state.released_by,
        "release_reason": state.release_reason,
    }


def _risk(node: LiveNode) -> dict[str, Any]:
    guard = node.guard
    return {
        "metrics": {k: plain(v) for k, v in guard.metrics(node.tracker.exposure()).items()},
        "denied": node.desk.denied,
        "kill_switch": guard.tripped or _engaged(node),
        "kill_reason": _kill_reason(node),
        "kill_switch_state": _kill_switch_state(node),
        "alerts": [
            {
                "time": iso(a.ts_event),
                "severity": a.severity.value,
                "rule": a.rule,
                "message": a.message,
            }
            for a in guard.alerts
        ],
    }


def _performance(node: LiveNode) -> dict[str, Any]:
    reports = node.reports
    if reports is None:
        return {"figures": {}, "curve": None, "daily_reports": []}
    figures = {} if reports.performance is None else reports.performance.figures
    equity = reports.equity
    curve = None
    if equity is not None and len(equity):
        curve = {
            "id": equity.curve_id,
            "points": len(equity),
            "first": iso(int(equity.ts[0])),
            "last": iso(int(equity.ts[-1])),
        }
    published = [] if reports.daily is None else reports.daily.published
    return {
        "figures": {name: plain(value) for name, value in figures.items()},
        "curve": curve,
        "daily_reports": [
            {"day": r.day.isoformat(), "pnl": plain(r.pnl), "file": r.location} for r in published
        ],
    }


def _fx(node: LiveNode) -> dict[str, Any]:
    tracker = node.tracker
    by_currency = {currency: instrument for instrument, currency in tracker.fx_instruments.items()}
    rates: dict[str, Any] = {}
    currencies = {*tracker.account.balances, *by_currency} - {tracker.base_currency}
    for currency in sorted(currencies):
        if currency not in tracker.rates:
            continue
        instrument = by_currency.get(currency)
        marked = instrument is not None and tracker.mark_price(instrument) is not None
        rates[currency] = {
            "rate": plain(tracker.rates.rate(currency)),
            "source": "series" if marked else "fixed",
            "instrument": None if instrument is None else str(instrument),
        }
    return rates
