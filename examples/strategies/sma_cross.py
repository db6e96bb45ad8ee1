"""A Python strategy file for ``jts up --paper --strategy examples/strategies/sma_cross.py``.

Buys when the 5-bar simple moving average of closes crosses above the 20-bar one and sells
when it crosses back below, with 8% of equity per trade. A Python strategy file defines
NAME, UNIVERSE, TIMEFRAME and STRATEGY (a class; one object is made per instrument).
"""

from __future__ import annotations

import math

from jts.contexts.strategy.domain.python_api import StrategyContext, percent_equity

NAME = "sma_cross_py"
UNIVERSE = ["BTC-KRW.UPBIT"]
TIMEFRAME = "1h"
FAST, SLOW = 5, 20


class SmaCross:
    """Long while the fast average is above the slow one."""

    def __init__(self) -> None:
        self._was_above: bool | None = None

    def on_bar(self, context: StrategyContext) -> None:
        fast = float(context.indicator("sma", timeperiod=FAST))  # type: ignore[arg-type]
        slow = float(context.indicator("sma", timeperiod=SLOW))  # type: ignore[arg-type]
        if math.isnan(fast) or math.isnan(slow):
            return
        above = fast > slow
        crossed_up = self._was_above is False and above
        crossed_down = self._was_above is True and not above
        self._was_above = above
        if crossed_up and context.position is None:
            context.enter_long(percent_equity(0.08), reason="sma cross up")
        elif crossed_down and context.position is not None:
            context.exit_long(reason="sma cross down")


STRATEGY = SmaCross
