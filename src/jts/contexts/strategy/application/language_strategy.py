"""A compiled strategy-language program behind the Python ``Strategy`` protocol.

``LanguageStrategy`` advances the incremental evaluator on each bar and turns its signals
into the same intents a Python strategy would: exits first (only when holding that side),
then entries (only when flat, or when the opposite side was just exited). Stops become
price levels around the bar's close; sizes carry the program's sizing form. An entry whose
size, limit price or stop is still warming up (NaN) is not raised.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from jts.contexts.strategy.domain.language.bars import BarValues
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.contexts.strategy.domain.language.incremental import BarSignal
from jts.contexts.strategy.domain.python_api import (
    StrategyContext,
    kelly,
    percent_equity,
    quantity,
    risk,
)
from jts.messages.enums import Direction
from jts.messages.strategy import Sizing
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import to_decimal


class LanguageStrategy:
    """Runs one program for one instrument through the ``Strategy`` protocol."""

    def __init__(
        self,
        compiled: CompiledStrategy,
        *,
        instrument: InstrumentId,
        params: Mapping[str, float] | None = None,
    ) -> None:
        self._compiled = compiled
        self._evaluator = compiled.incremental(instrument=instrument, params=params)
        self._modes = {p.kind: p.mode for p in compiled.program.protections}

    def on_bar(self, context: StrategyContext) -> None:
        bar = context.bar
        prices = (bar.open, bar.high, bar.low, bar.close, bar.volume)
        signal = self._evaluator.on_bar(BarValues(bar.ts_event, *(float(p) for p in prices)))
        held = _held(context)
        exited: Direction | None = None
        if signal.exit_long and held is Direction.LONG:
            context.exit_long("exit rule")
            exited = held
        if signal.exit_short and held is Direction.SHORT:
            context.exit_short("exit rule")
            exited = held
        if held is not None and held is not exited:
            return
        if signal.entry_long:
            self._enter(context, Direction.LONG, signal)
        elif signal.entry_short:
            self._enter(context, Direction.SHORT, signal)

    def _enter(self, context: StrategyContext, direction: Direction, signal: BarSignal) -> None:
        sizing = self._sizing(signal)
        reference = context.bar.close
        limit = signal.limit_price if self._compiled.program.order.kind == "limit" else None
        stop = self._level("stop_loss", signal.stop_loss, reference, direction, against=True)
        target = self._level("take_profit", signal.take_profit, reference, direction, against=False)
        if sizing is None or stop is _WARMING_UP or target is _WARMING_UP:
            return
        if limit is not None and not (math.isfinite(limit) and limit > 0):
            return
        enter = context.enter_long if direction is Direction.LONG else context.enter_short
        enter(
            sizing,
            limit_price=limit,
            ttl_bars=self._compiled.program.order.ttl_bars if limit is not None else None,
            stop_loss=stop if stop is not None and stop > 0 else None,
            take_profit=target if target is not None and target > 0 else None,
            reason="entry rule",
        )

    def _level(
        self, kind: str, value: float, reference: Decimal, direction: Direction, *, against: bool
    ) -> Decimal | None:
        """The price level of a stop, ``None`` without one, ``_WARMING_UP`` while unknown."""
        mode = self._modes.get(kind)
        if mode is None:
            return None
        if not math.isfinite(value):
            return _WARMING_UP
        amount = _decimal(value)
        distance = reference * amount if mode == "percent" else amount
        below = (direction is Direction.LONG) == against
        return reference - distance if below else reference + distance

    def _sizing(self, signal: BarSignal) -> Sizing | None:
        form = self._compiled.program.sizing.form
        value, cap, stop = signal.size_value, signal.size_cap, signal.size_stop
        needed = {
            "quantity": (value,),
            "percent_equity": (value,),
            "kelly": (value, cap),
            "risk": (value, stop),
        }[form]
        if not all(math.isfinite(v) and v > 0 for v in needed):
            return None
        if form == "quantity":
            return quantity(_decimal(value))
        if form == "percent_equity":
            return percent_equity(_decimal(value))
        if form == "kelly":
            return kelly(_decimal(value), _decimal(cap))
        return risk(_decimal(value), _decimal(stop))


_WARMING_UP = Decimal("NaN")  # compared by identity: a stop whose value is not known yet


def _decimal(value: float) -> Decimal:
    return to_decimal(value, what="strategy value")


def _held(context: StrategyContext) -> Direction | None:
    position = context.position
    if position is None or position.quantity == 0:
        return None
    return Direction.LONG if position.quantity > 0 else Direction.SHORT
