"""The vectorized and incremental evaluators agree on every bar, for any program.

Hypothesis writes random programs from a small grammar (indicators of every shape,
arithmetic, look-back,
crosses, windows, logic, clock fields, a longer timeframe) and random price paths with
frequent ties, then compares every output of both evaluators bar by bar. Part way
through, the incremental evaluator is saved through msgpack and resumed in a fresh one.
"""

from __future__ import annotations

import math

import msgspec
import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from jts.contexts.strategy.domain.language import (
    BarArrays,
    EvaluatorState,
    IncrementalEvaluator,
    LanguageError,
    Signals,
    compile_strategy,
)
from jts.contexts.strategy.domain.language.catalog import ParamSpec, indicator_specs
from tests.unit.strategy_language.builders import KRX, KRX_DAY_ONE, KST_NS

HOUR_NS = 3_600 * 10**9
# One of each shape (single input, high/low/close, volume, several outputs, a matype); the
# indicator package's own tests hold every indicator's two forms together.
INDICATORS = [
    "sma", "ema", "kama", "rsi", "macd", "bbands", "atr", "stoch", "adx", "cci", "willr", "obv",
    "sar", "stddev", "ma",
]  # fmt: skip
FIELDS = ("open", "high", "low", "close")


def _leaves(daily: bool) -> list[str]:
    return [*FIELDS, *(f"{field}@1d" for field in FIELDS if daily)]


MA_TYPES = (0, 1, 2, 3, 4, 5, 6, 8)


@st.composite
def _argument(draw: st.DrawFn, param: ParamSpec) -> str:
    if "matype" in param.name:
        return str(draw(st.sampled_from(MA_TYPES)))
    if not param.integer:
        return repr(param.default)
    low = max(int(param.minimum), 1)
    return str(draw(st.integers(low, max(low, 2) + 6)))


@st.composite
def _indicator(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    spec = indicator_specs()[draw(st.sampled_from(INDICATORS))]
    inputs = [draw(inner) for _ in spec.inputs] if draw(st.booleans()) else []
    params = [draw(_argument(param)) for param in spec.params]
    output = f".{draw(st.sampled_from(spec.outputs))}" if len(spec.outputs) > 1 else ""
    return f"{spec.name}({', '.join([*inputs, *params])}){output}"


@st.composite
def _operation(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        right = draw(st.one_of(inner, st.sampled_from(["2", "0.5", "100"])))
        return f"({draw(inner)} {draw(st.sampled_from('+-*/'))} {right})"
    if kind == 1:
        window = draw(st.sampled_from(["highest", "lowest"]))
        return f"{window}({draw(inner)}, {draw(st.integers(1, 6))})"
    if kind == 2:
        return f"({draw(inner)})[{draw(st.integers(0, 3))}]"
    if kind == 3:
        return f"{draw(st.sampled_from(['min', 'max']))}({draw(inner)}, {draw(inner)})"
    if kind == 4:
        return f"abs({draw(inner)} - {draw(inner)})"
    return f"(-{draw(inner)})"


def numbers(depth: int, daily: bool) -> st.SearchStrategy[str]:
    """A number series expression."""
    leaf = st.sampled_from(_leaves(daily))
    if depth <= 0:
        return leaf
    inner = numbers(depth - 1, daily)
    return st.one_of(leaf, _indicator(inner), _operation(inner))


@st.composite
def conditions(draw: st.DrawFn, depth: int, daily: bool) -> str:
    """A condition over number series."""
    kind = draw(st.integers(0, 7 if depth > 0 else 2))
    left, right = draw(numbers(2, daily)), draw(numbers(2, daily))
    if kind == 0:
        return f"{left} {draw(st.sampled_from(['<', '<=', '>', '>=']))} {right}"
    if kind == 1:
        return f"{draw(st.sampled_from(['crosses_above', 'crosses_below']))}({left}, {right})"
    if kind == 2:
        return f"{left} > {draw(st.sampled_from(['50', '100', '0']))}"
    inner = conditions(depth - 1, daily)
    if kind == 3:
        return f"({draw(inner)} and {draw(inner)})"
    if kind == 4:
        return f"({draw(inner)} or {draw(inner)})"
    if kind == 5:
        return f"not ({draw(inner)})"
    if kind == 6:
        return f"({draw(inner)})[{draw(st.integers(1, 2))}]"
    return f"({draw(inner)} and time >= {draw(st.sampled_from(['10:00', '13:00']))})"


@st.composite
def programs(draw: st.DrawFn) -> str:
    daily = draw(st.booleans())
    frames = "1h, 1d" if daily else "1h"
    lines = ['strategy "prop"', "universe 005930.KRX", f"timeframe {frames}"]
    for label in ("entry long", "exit long", "entry short", "exit short"):
        if label.startswith("entry") or draw(st.booleans()):
            lines.append(f"{label} when {draw(conditions(2, daily))}")
    lines.append(f"stop_loss {draw(st.sampled_from(['5%', 'abs(close - open) + 1']))}")
    lines.append(f"size risk(1%, stop={draw(numbers(1, daily))})")
    if draw(st.booleans()):
        lines.append(f"order limit({draw(numbers(2, daily))}) ttl 2 bars")
    if draw(st.booleans()):
        lines.append("session 10:00-14:00")
    return "\n".join(lines) + "\n"


@st.composite
def price_paths(draw: st.DrawFn) -> BarArrays:
    steps = draw(st.lists(st.sampled_from([-2, -1, 0, 0, 1, 2, 3]), min_size=20, max_size=160))
    close = 100.0 + np.cumsum(np.asarray(steps, dtype=np.float64)) * 0.5
    close = np.maximum(close, 1.0)
    opened = np.r_[close[:1], close[:-1]]
    spread = np.asarray(
        draw(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=len(steps), max_size=len(steps)))
    )
    hours = np.arange(1, len(steps) + 1, dtype=np.int64)
    ts = KRX_DAY_ONE - KST_NS + 8 * HOUR_NS + hours * HOUR_NS  # from 09:00 KST on, hourly
    return BarArrays(
        ts,
        opened,
        np.maximum(opened, close) + spread,
        np.minimum(opened, close) * 0.99,
        close,
        np.ones(len(steps)),
    )


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _assert_bar_equal(vector: Signals, i: int, bar: object) -> None:
    for label in ("entry_long", "exit_long", "entry_short", "exit_short"):
        assert bool(getattr(vector, label)[i]) == getattr(bar, label), (label, i)
    pairs = [
        (vector.limit_price, bar.limit_price),  # type: ignore[attr-defined]
        (vector.stop_loss.values if vector.stop_loss else None, bar.stop_loss),  # type: ignore[attr-defined]
        (vector.size_value, bar.size_value),  # type: ignore[attr-defined]
        (vector.size_stop, bar.size_stop),  # type: ignore[attr-defined]
    ]
    for array, value in pairs:
        expected = math.nan if array is None else float(array[i])
        assert _same(expected, value), (i, expected, value)


def _resumed(live: IncrementalEvaluator, fresh: IncrementalEvaluator) -> IncrementalEvaluator:
    saved = msgspec.msgpack.decode(msgspec.msgpack.encode(live.snapshot()), type=EvaluatorState)
    fresh.restore(saved)
    return fresh


@given(source=programs(), bars=price_paths(), cut=st.floats(0.0, 1.0))
def test_vectorized_and_incremental_give_identical_signals_on_every_bar(
    source: str, bars: BarArrays, cut: float
) -> None:
    try:
        compiled = compile_strategy(source, "prop.jts")
    except LanguageError:
        assume(False)
        raise
    vector = compiled.evaluate(bars, instrument=KRX)
    live = compiled.incremental(instrument=KRX)
    resume_at = int(cut * len(bars))

    for i in range(len(bars)):
        if i == resume_at:
            live = _resumed(live, compiled.incremental(instrument=KRX))
        _assert_bar_equal(vector, i, live.on_bar(bars.bar(i)))

    assert vector.warmup == live.warmup
