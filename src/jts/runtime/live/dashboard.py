"""The terminal dashboard of ``jts up`` (rich).

``Dashboard.render()`` draws the node as it is now: a header (market time, equity, P&L,
kill switch, counts, the live performance figures), positions, open orders, recent fills,
risk figures and the latest alerts (the notifications context's console lines,
``ConsoleNotifier.recent``). ``run()`` redraws it a few times a second in a
``rich.live.Live`` until cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from decimal import Decimal

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jts.runtime.live.node import LiveNode
from jts.runtime.live.summary import iso
from jts.shared_kernel.numbers import plain

_PERFORMANCE = (
    ("total_return", "return", True),
    ("cagr", "CAGR", True),
    ("sharpe", "Sharpe", False),
    ("sortino", "Sortino", False),
    ("max_drawdown", "max DD", True),
    ("win_rate", "win rate", True),
    ("profit_factor", "PF", False),
)


def _figure(value: Decimal, percent: bool) -> str:
    return f"{value:+.2%}" if percent else f"{value:.2f}"


def _money(value: Decimal) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4f}"


# The 99% one-day VaR/CVaR (risk_guard's keys) beside the drawdown figures; the summary
# JSON carries every figure.
RISK_COLUMNS = (
    "equity",
    "drawdown",
    "max_drawdown",
    "daily_loss",
    "var_hist_99",
    "cvar_hist_99",
    "var_param_99",
    "var_mc_99",
    "cvar_mc_99",
    "kill_switch",
)


class Dashboard:
    """The live terminal view of one node."""

    def __init__(
        self, node: LiveNode, alerts: Sequence[RenderableType], *, refresh_s: float = 0.5
    ) -> None:
        self._node = node
        self._alerts = alerts  # the notification console's latest lines
        self._refresh_s = refresh_s

    async def run(self, console: Console) -> None:
        with Live(self.render(), console=console, refresh_per_second=4) as live:
            while True:
                await asyncio.sleep(self._refresh_s)
                live.update(self.render())

    def render(self) -> RenderableType:
        return Group(
            self._header(),
            self._positions(),
            self._orders(),
            self._fills(),
            self._risk(),
            Panel(Group(*self._alerts) if self._alerts else "none", title="alerts"),
        )

    def _header(self) -> Panel:
        node, tracker = self._node, self._node.tracker
        realized, unrealized = tracker.pnl()
        stats = node.stats
        control = node.kill_switch
        killed = node.guard.tripped or (control is not None and control.halted)
        state = "trading"
        if killed:
            source = control.state.source if control is not None else None
            reason = control.state.reason if control is not None else node.guard.kill_reason
            state = f"KILL SWITCH ({source or 'drawdown'}): {reason or ''}"
        text = Text.assemble(
            (f"{iso(node.clock.now_ns())}  ", "bold"),
            f"equity {_money(tracker.equity())} {tracker.base_currency}  ",
            f"realized {_money(realized)}  unrealized {_money(unrealized)}  ",
            f"fees {_money(tracker.fees)}  ",
            (state, "bold red" if killed else "green"),
            f"\nevents {stats.events}  bars {stats.bars}  signals {node.engine.signals_sent}  "
            f"fills {len(tracker.fills)}  strategies {len(node.engine.slots)}",
            self._performance(),
        )
        return Panel(text, title="jts up --paper")

    def _performance(self) -> str:
        """One line of the live performance figures, once measured."""
        reports = self._node.reports
        figures = (
            {} if reports is None or reports.performance is None else reports.performance.figures
        )
        shown = [
            f"{label} {_figure(figures[name], percent)}"
            for name, label, percent in _PERFORMANCE
            if name in figures
        ]
        return "\n" + "  ".join(shown) if shown else ""

    def _positions(self) -> Table:
        table = Table(title="positions", expand=True)
        for column in ("instrument", "quantity", "avg price", "mark", "unrealized", "realized"):
            table.add_column(column, justify="left" if column == "instrument" else "right")
        for p in self._node.tracker.positions():
            table.add_row(
                str(p.instrument_id),
                plain(p.quantity),
                _money(p.average_price),
                _money(p.market_price),
                _money(p.unrealized_pnl),
                _money(p.realized_pnl),
            )
        return table

    def _orders(self) -> Table:
        table = Table(title="open orders", expand=True)
        for column in ("order", "strategy", "instrument", "side", "type", "qty", "price", "status"):
            table.add_column(column)
        for r in self._node.desk.open_records()[-10:]:
            price = r.limit_price or r.trigger_price
            table.add_row(
                str(r.client_order_id),
                str(r.strategy_id),
                str(r.instrument_id),
                r.side.value,
                r.order_type.value,
                plain(r.quantity),
                "" if price is None else plain(price),
                r.status.value,
            )
        return table

    def _fills(self) -> Table:
        table = Table(title="recent fills", expand=True)
        for column in ("time", "strategy", "instrument", "side", "qty", "price", "fee+tax"):
            table.add_column(column)
        for f in list(self._node.tracker.recent)[-8:]:
            table.add_row(
                iso(f.ts_event),
                str(f.strategy_id),
                str(f.instrument_id),
                f.side.value,
                plain(f.last_qty),
                plain(f.last_price),
                plain(f.commission + f.tax),
            )
        return table

    def _risk(self) -> Table:
        table = Table(title="risk", expand=True)
        every = self._node.guard.metrics(self._node.tracker.exposure())
        metrics = {k: every[k] for k in RISK_COLUMNS if k in every}
        for name in metrics:
            table.add_column(name, justify="right")
        if metrics:
            table.add_row(
                *(
                    f"{v:.2%}" if k in ("drawdown", "max_drawdown", "daily_loss") else _money(v)
                    for k, v in metrics.items()
                )
            )
        return table
