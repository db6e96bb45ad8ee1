"""The incremental evaluator: warm-up, saving and resuming, bar order, explicit extra bars."""

from __future__ import annotations

import math

import msgspec
import pytest

from jts.contexts.strategy.domain.language import BarValues, EvaluatorState, resample
from jts.shared_kernel.errors import DataError, StrategyError
from tests.unit.strategy_language.builders import (
    KRX,
    KRX_DAY_ONE,
    MINUTE_NS,
    bars_from_closes,
    random_walk,
    strategy,
)

SMA = "param n = 5 range 2..10\nentry long when close > sma(close, n)\n"


def test_warm_up_is_explicit_and_signals_stay_off_until_it_is_over() -> None:
    live = strategy(SMA).incremental(instrument=KRX)
    bars = bars_from_closes(list(range(1, 12)))

    fired = [live.on_bar(bars.bar(i)).entry_long for i in range(6)]

    assert live.warmup == {"1d": 4}
    assert fired == [False, False, False, False, True, True]
    assert live.is_warm


def test_a_saved_state_resumes_exactly_after_a_msgpack_round_trip() -> None:
    compiled = strategy(SMA + "exit long when crosses_below(close, highest(close, 3)[1])\n")
    bars = bars_from_closes(random_walk(80))
    straight = compiled.incremental(instrument=KRX)
    first = compiled.incremental(instrument=KRX)
    expected = [straight.on_bar(bars.bar(i)) for i in range(80)]

    for i in range(40):
        first.on_bar(bars.bar(i))
    blob = msgspec.msgpack.encode(first.snapshot())
    resumed = compiled.incremental(instrument=KRX)
    resumed.restore(msgspec.msgpack.decode(blob, type=EvaluatorState))

    assert [resumed.on_bar(bars.bar(i)) for i in range(40, 80)] == expected[40:]


def test_a_state_from_other_parameters_is_refused() -> None:
    compiled = strategy(SMA)
    saved = compiled.incremental(instrument=KRX, params={"n": 3}).snapshot()

    with pytest.raises(StrategyError, match="another strategy source, parameter set"):
        compiled.incremental(instrument=KRX, params={"n": 4}).restore(saved)


def test_bars_must_arrive_in_time_order() -> None:
    live = strategy(SMA).incremental(instrument=KRX)
    bars = bars_from_closes([10, 11])
    live.on_bar(bars.bar(1))

    with pytest.raises(DataError, match="not after the previous one"):
        live.on_bar(bars.bar(0))


def test_corrupt_bars_fail_fast() -> None:
    with pytest.raises(DataError, match="finite and positive"):
        BarValues(1, math.nan, 1.0, 1.0, 1.0)


def test_explicit_extra_bars_give_the_same_signals_as_building_them() -> None:
    compiled = strategy(
        "entry long when close > highest(high@1d, 2)\norder limit(close@1d)\n",
        timeframe="1h, 1d",
    )
    rising = [100.0 + i for i in range(24 * 6)]
    hourly = bars_from_closes(rising, start_ns=KRX_DAY_ONE, step_ns=60 * MINUTE_NS)
    daily = resample(hourly, "1d", "Asia/Seoul")
    built = compiled.incremental(instrument=KRX)
    fed = compiled.incremental(instrument=KRX, resample_extras=False)
    for i in range(len(daily)):
        fed.on_extra_bar("1d", daily.bar(i))

    pairs = [(built.on_bar(hourly.bar(i)), fed.on_bar(hourly.bar(i))) for i in range(len(hourly))]

    assert all(a == b or (a.ts == b.ts and _nan_equal(a, b)) for a, b in pairs)
    assert any(a.entry_long for a, _ in pairs)


def _nan_equal(a: object, b: object) -> bool:
    left, right = msgspec.structs.asdict(a), msgspec.structs.asdict(b)  # type: ignore[arg-type]
    return all(
        left[k] == right[k]
        or (isinstance(left[k], float) and math.isnan(left[k]) and math.isnan(right[k]))
        for k in left
    )


def test_extra_bars_are_refused_for_unknown_or_built_timeframes() -> None:
    compiled = strategy("entry long when close > close@1d\n", timeframe="1h, 1d")
    bar = BarValues(1, 1.0, 1.0, 1.0, 1.0)

    with pytest.raises(DataError, match="not an extra timeframe"):
        compiled.incremental(instrument=KRX).on_extra_bar("1w", bar)
    with pytest.raises(DataError, match="built from primary bars"):
        compiled.incremental(instrument=KRX).on_extra_bar("1d", bar)


def test_an_indicator_whose_input_is_never_known_has_no_value_in_either_evaluator() -> None:
    compiled = strategy("entry long when obv(highest(open@1d, 2), open) > 0\n", timeframe="1h, 1d")
    hourly = bars_from_closes(random_walk(20), start_ns=KRX_DAY_ONE, step_ns=60 * MINUTE_NS)
    live = compiled.incremental(instrument=KRX)

    vector = compiled.evaluate(hourly, instrument=KRX)
    streamed = [live.on_bar(hourly.bar(i)).entry_long for i in range(len(hourly))]

    assert not vector.entry_long.any()
    assert not any(streamed)
