"""The incremental evaluator: a strategy's signals one bar at a time, for live trading.

Each graph node is a slot doing O(1) work per bar of its timeframe (amortized for
``highest``/``lowest``); indicators are the indicator package's streaming forms. The
meaning is the vectorized evaluator's (see ``vectorized`` for the rules), and a property
test holds the two to identical signals on every bar.

Longer timeframes are built from the primary bars as they arrive (``resample_extras``, the
default, as the vectorized evaluator does when not given them), or fed with
``on_extra_bar``; either way a longer bar is applied just before the first primary bar
closing at or after it, so no bar ever sees a partial longer bar.

``snapshot()`` returns an ``EvaluatorState`` that msgpack can encode; ``restore`` resumes
from it exactly, refusing a state taken from another program or parameter set.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import msgspec

from jts.contexts.strategy.domain.language import frames, ir, semantics
from jts.contexts.strategy.domain.language.bars import BarValues, PeriodAggregator
from jts.contexts.strategy.domain.language.checker import CheckedProgram
from jts.contexts.strategy.domain.language.exchange_time import clock_value, utc_offset_ns
from jts.contexts.strategy.domain.language.incremental_slots import (
    NAN,
    BinarySlot,
    Copy,
    CrossSlot,
    IndicatorCall,
    IndicatorSlot,
    LagSlot,
    Slot,
    UnarySlot,
    WindowSlot,
)
from jts.contexts.strategy.domain.language.indicator_bridge import stream
from jts.contexts.strategy.domain.language.plan import Plan, Warmup, merge, warmup_of
from jts.contexts.strategy.domain.language.vectorized import all_nodes
from jts.shared_kernel.errors import DataError, StrategyError


class BarSignal(msgspec.Struct, frozen=True, kw_only=True):
    """The strategy's verdict on one closed primary bar; NaN means no value."""

    ts: int
    entry_long: bool
    exit_long: bool
    entry_short: bool
    exit_short: bool
    limit_price: float
    stop_loss: float
    take_profit: float
    trailing_stop: float
    size_value: float
    size_cap: float
    size_stop: float


class EvaluatorState(msgspec.Struct, frozen=True, kw_only=True):
    """Everything an ``IncrementalEvaluator`` needs to resume; msgpack-encodable."""

    fingerprint: str
    values: list[float]
    slots: list[Any]
    bars_seen: dict[str, int]
    last_ts: dict[str, int]
    pending: list[tuple[str, BarValues]]
    aggregators: dict[str, Any]


class _Frame:
    """The current bar of one timeframe, read by field slots."""

    __slots__ = ("bar", "count", "local_ns")

    def __init__(self) -> None:
        self.bar = BarValues(0, 1.0, 1.0, 1.0, 1.0, 0.0)
        self.local_ns = 0
        self.count = [-1]  # a list so indicator slots share it


class _FieldSlot(Slot):
    __slots__ = ("frame", "is_bar_field", "name")

    def __init__(self, frame: _Frame, name: str) -> None:
        self.frame, self.name = frame, name
        self.is_bar_field = name in ir.BAR_FIELDS

    def step(self, values: list[float]) -> float:
        if self.is_bar_field:
            value: float = getattr(self.frame.bar, self.name)
            return value
        return clock_value(self.name, self.frame.local_ns)


def fingerprint(program: CheckedProgram, params: Mapping[str, float], zone: str) -> str:
    text = json.dumps([program.source, sorted(params.items()), zone])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class IncrementalEvaluator:
    """Signals of one program for one instrument, bar by bar."""

    def __init__(
        self,
        program: CheckedProgram,
        plan: Plan,
        *,
        zone: str,
        params: Mapping[str, float],
        resample_extras: bool = True,
    ) -> None:
        self._program, self._plan, self._zone = program, plan, zone
        self._params = dict(params)
        self._primary = program.timeframe
        self._frames = {f: _Frame() for f in (self._primary, *program.extra_timeframes)}
        self._nodes = all_nodes(plan.roots())
        self._index = {node: i for i, node in enumerate(self._nodes)}
        self._values: list[float] = [NAN] * len(self._nodes)
        self._slots: list[Slot | None] = []
        self._by_frame: dict[str, list[int]] = {frame: [] for frame in self._frames}
        self._build()
        self._last_ts = {frame: -(1 << 62) for frame in self._frames}
        self._pending: list[tuple[str, BarValues]] = []
        self._aggregators = {
            frame: PeriodAggregator(frame, zone)
            for frame in program.extra_timeframes
            if resample_extras
        }
        self.warmup: Warmup = merge([warmup_of(root, params) for root in plan.roots()])
        self._fingerprint = fingerprint(program, self._params, zone)
        self._outputs = _OutputIndexes.of(plan, self._index)
        self._session_gate = bool(program.sessions) and frames.seconds(self._primary) < 86_400

    def _build(self) -> None:
        calls: dict[ir.Node, IndicatorCall] = {}
        for i, node in enumerate(self._nodes):
            if node.timeframe is None:
                self._values[i] = semantics.evaluate_scalar(node, self._params)
                self._slots.append(None)
                continue
            self._slots.append(self._slot(node, calls))
            self._by_frame[node.timeframe].append(i)

    def _slot(self, node: ir.Node, calls: dict[ir.Node, IndicatorCall]) -> Slot:
        at = self._index
        if isinstance(node, ir.Field):
            return _FieldSlot(self._frames[node.frame], node.name)
        if isinstance(node, ir.Align):
            return Copy(at[node.source])
        if isinstance(node, ir.Unary):
            return UnarySlot(node.op, at[node.operand])
        if isinstance(node, ir.Binary):
            return BinarySlot(node.op, at[node.left], at[node.right])
        if isinstance(node, ir.Lag):
            return LagSlot(at[node.source], node.bars)
        if isinstance(node, ir.Cross):
            return CrossSlot(node.above, at[node.a], at[node.b])
        if isinstance(node, ir.Window):
            length = int(semantics.evaluate_scalar(node.length, self._params))
            return WindowSlot(at[node.source], length, node.op == "max")
        assert isinstance(node, ir.Indicator)
        key = ir.Indicator(node.frame, node.name, node.inputs, node.params)
        if key not in calls:
            settings = [semantics.evaluate_scalar(p, self._params) for p in node.params]
            try:
                indicator = stream(node.name, settings)
            except (ValueError, TypeError) as e:
                raise StrategyError(f"{node.name} with {settings}: {e}") from e
            inputs = tuple(at[child] for child in node.inputs)
            calls[key] = IndicatorCall(indicator, inputs, _output_count(node.name))
        return IndicatorSlot(calls[key], node.output, self._frames[node.frame].count)

    # --- feeding ----------------------------------------------------------------------------

    @property
    def bars_seen(self) -> dict[str, int]:
        return {frame: state.count[0] + 1 for frame, state in self._frames.items()}

    @property
    def is_warm(self) -> bool:
        """Whether every timeframe has seen at least its warm-up number of bars."""
        seen = self.bars_seen
        return all(seen.get(frame, 0) > bars for frame, bars in self.warmup.items())

    def on_extra_bar(self, frame: str, bar: BarValues) -> None:
        """Feed a closed bar of an extra timeframe; it is applied when a primary bar reaches it."""
        if frame not in self._frames or frame == self._primary:
            extras = ", ".join(self._program.extra_timeframes) or "none"
            raise DataError(f"{frame} is not an extra timeframe of this strategy ({extras})")
        if frame in self._aggregators:
            raise DataError(f"{frame} bars are built from primary bars; do not feed them too")
        self._pending.append((frame, bar))

    def on_bar(self, bar: BarValues) -> BarSignal:
        """Feed the next closed primary bar; return the signals for it."""
        if self._aggregators or self._pending:
            self._apply_extra_bars(bar)
        self._advance(self._primary, bar)
        return self._signal(bar)

    def _apply_extra_bars(self, bar: BarValues) -> None:
        """Apply every longer bar that closed at or before ``bar``, oldest (then longest) first."""
        for frame, aggregator in self._aggregators.items():
            self._pending.extend((frame, done) for done in aggregator.add(bar))
        due = sorted(
            (item for item in self._pending if item[1].ts <= bar.ts),
            key=lambda item: (item[1].ts, -frames.seconds(item[0])),
        )
        self._pending = [item for item in self._pending if item[1].ts > bar.ts]
        for frame, extra in due:
            self._advance(frame, extra)

    def _advance(self, frame: str, bar: BarValues) -> None:
        if bar.ts <= self._last_ts[frame]:
            raise DataError(
                f"{frame} bar at {bar.ts} is not after the previous one at {self._last_ts[frame]}"
            )
        self._last_ts[frame] = bar.ts
        state = self._frames[frame]
        state.bar = bar
        state.local_ns = bar.ts + utc_offset_ns(bar.ts, self._zone)
        state.count[0] += 1
        values, slots = self._values, self._slots
        for i in self._by_frame[frame]:
            values[i] = slots[i].step(values)  # type: ignore[union-attr]

    def _signal(self, bar: BarValues) -> BarSignal:
        values, out = self._values, self._outputs
        entry_long = _fires(values, out.entry_long)
        entry_short = _fires(values, out.entry_short)
        if self._session_gate and (entry_long or entry_short):
            minutes = clock_value("time", self._frames[self._primary].local_ns)
            allowed = any(w.start <= minutes <= w.end for w in self._program.sessions)
            entry_long, entry_short = entry_long and allowed, entry_short and allowed
        return BarSignal(
            ts=bar.ts,
            entry_long=entry_long,
            exit_long=_fires(values, out.exit_long),
            entry_short=entry_short,
            exit_short=_fires(values, out.exit_short),
            limit_price=NAN if out.limit_price < 0 else values[out.limit_price],
            stop_loss=NAN if out.stop_loss < 0 else values[out.stop_loss],
            take_profit=NAN if out.take_profit < 0 else values[out.take_profit],
            trailing_stop=NAN if out.trailing_stop < 0 else values[out.trailing_stop],
            size_value=NAN if out.size_value < 0 else values[out.size_value],
            size_cap=NAN if out.size_cap < 0 else values[out.size_cap],
            size_stop=NAN if out.size_stop < 0 else values[out.size_stop],
        )

    # --- saving -----------------------------------------------------------------------------

    def snapshot(self) -> EvaluatorState:
        """The complete state, to resume later with ``restore``."""
        return EvaluatorState(
            fingerprint=self._fingerprint,
            values=list(self._values),
            slots=[None if slot is None else slot.state() for slot in self._slots],
            bars_seen={frame: state.count[0] for frame, state in self._frames.items()},
            last_ts=dict(self._last_ts),
            pending=list(self._pending),
            aggregators={frame: agg.state() for frame, agg in self._aggregators.items()},
        )

    def restore(self, state: EvaluatorState) -> None:
        """Resume from ``snapshot()`` of an evaluator of the same program and parameters."""
        if state.fingerprint != self._fingerprint:
            raise StrategyError(
                "cannot restore: the saved state belongs to another strategy source, "
                "parameter set or time zone"
            )
        self._values = [float(v) for v in state.values]
        for slot, saved in zip(self._slots, state.slots, strict=True):
            if slot is not None:
                slot.load(saved)
        for frame, count in state.bars_seen.items():
            self._frames[frame].count[0] = int(count)
        self._last_ts = {frame: int(ts) for frame, ts in state.last_ts.items()}
        self._pending = [(frame, bar) for frame, bar in state.pending]
        for frame, saved in state.aggregators.items():
            self._aggregators[frame].load(saved)


_NONE = -1


def _fires(values: list[float], rules: tuple[int, ...]) -> bool:
    """Whether any of the rules at ``rules`` holds on this bar (a loop: no generator)."""
    for index in rules:  # noqa: SIM110 (any() over a generator costs ~4x on the hot path)
        if values[index] == 1.0:
            return True
    return False


class _OutputIndexes(msgspec.Struct, frozen=True):
    """Where each signal's values sit in the evaluator's value list (``_NONE``: absent)."""

    entry_long: tuple[int, ...]
    exit_long: tuple[int, ...]
    entry_short: tuple[int, ...]
    exit_short: tuple[int, ...]
    limit_price: int
    stop_loss: int
    take_profit: int
    trailing_stop: int
    size_value: int
    size_cap: int
    size_stop: int

    @classmethod
    def of(cls, plan: Plan, index: Mapping[ir.Node, int]) -> _OutputIndexes:
        def rules(label: str) -> tuple[int, ...]:
            return tuple(index[node] for node in plan.rules[label])

        def one(node: ir.Node | None) -> int:
            return _NONE if node is None else index[node]

        stops = {kind: index[node] for kind, _, node in plan.stops}
        return cls(
            rules("entry long"),
            rules("exit long"),
            rules("entry short"),
            rules("exit short"),
            one(plan.limit_price),
            stops.get("stop_loss", _NONE),
            stops.get("take_profit", _NONE),
            stops.get("trailing_stop", _NONE),
            one(plan.size_value),
            one(plan.size_cap),
            one(plan.size_stop),
        )


def _output_count(name: str) -> int:
    from jts.contexts.strategy.domain.language.catalog import indicator_specs

    return len(indicator_specs()[name].outputs)
