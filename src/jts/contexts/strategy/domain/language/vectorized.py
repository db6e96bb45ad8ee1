"""The vectorized evaluator: a strategy's signals over whole arrays of bars.

For research, backtests and optimization. Semantics (shared with the incremental
evaluator, see ``semantics`` and ``ir``):

* Evaluation is at bar close: the signal computed on bar ``t`` is for an order placed
  after ``t`` closes; the backtest engine fills a market order at bar ``t+1``'s open.
* NaN means unknown (warm-up, division by zero); a signal needs a definite true.
* ``x[n]`` is the value ``n`` bars ago. A longer timeframe's value at a bar is that of its
  last bar closed at or before the bar's close: never a partial bar.
* ``crosses_above(a, b)[t] = a[t] > b[t] and a[t-1] <= b[t-1]`` (below: the mirror).
* The session filter (intraday timeframes) lets entries fire only on bars whose local
  close time lies in a window; exits always fire. On daily and longer bars the session
  is the order window only and is left to the execution side.

``evaluate_many`` runs many parameter sets over the same bars: nodes that no parameter
reaches are computed once, and each indicator is computed once per distinct
(indicator, parameters, input) and kept in a byte-bounded cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language import frames, ir, semantics, vector_ops
from jts.contexts.strategy.domain.language.bars import BarArrays, resample
from jts.contexts.strategy.domain.language.catalog import indicator_specs
from jts.contexts.strategy.domain.language.checker import CheckedProgram
from jts.contexts.strategy.domain.language.exchange_time import clock_values, utc_offsets_ns
from jts.contexts.strategy.domain.language.indicator_bridge import batch
from jts.contexts.strategy.domain.language.plan import SIGNAL_LABELS, Plan, Warmup, merge, warmup_of
from jts.shared_kernel.errors import StrategyError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Value = FloatArray | float
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, eq=False)
class Levels:
    """Per-bar values of a stop or sizing input; ``mode`` is ``percent`` or ``distance``."""

    mode: str
    values: FloatArray


@dataclass(frozen=True, eq=False)
class Signals:
    """Everything the strategy says about each primary bar of one instrument.

    Arrays are read-only when they are shared (bar columns, values the same on every bar).
    """

    ts: NDArray[np.int64]
    params: Mapping[str, float]
    entry_long: BoolArray
    exit_long: BoolArray
    entry_short: BoolArray
    exit_short: BoolArray
    limit_price: FloatArray | None
    stop_loss: Levels | None
    take_profit: Levels | None
    trailing_stop: Levels | None
    size_form: str
    size_value: FloatArray
    size_cap: FloatArray | None
    size_stop: FloatArray | None
    ttl_bars: int | None
    warmup: Warmup

    def signal(self, label: str) -> BoolArray:
        """``entry long`` ... ``exit short`` by label."""
        array: BoolArray = getattr(self, label.replace(" ", "_"))
        return array


def all_nodes(roots: Iterable[ir.Node]) -> list[ir.Node]:
    """Every node under ``roots`` once, children first."""
    seen: set[ir.Node] = set()
    ordered: list[ir.Node] = []
    for root in roots:
        for node in ir.walk(root):
            if node not in seen:
                seen.add(node)
                ordered.append(node)
    return ordered


def dependencies(nodes: list[ir.Node]) -> dict[ir.Node, tuple[str, ...]]:
    """The parameters each node depends on (children must come first in ``nodes``)."""
    found: dict[ir.Node, tuple[str, ...]] = {}
    for node in nodes:
        names = {node.name} if isinstance(node, ir.Param) else set()
        for child in node.children():
            names.update(found[child])
        found[node] = tuple(sorted(names))
    return found


class VectorizedEvaluator:
    """Signals of one program over one instrument's bars, for any parameter values."""

    def __init__(
        self,
        program: CheckedProgram,
        plan: Plan,
        bars: BarArrays,
        *,
        zone: str,
        extra: Mapping[str, BarArrays] | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        self._program = program
        self._plan = plan
        self._zone = zone
        self._bars = {program.timeframe: bars}
        for frame in program.extra_timeframes:
            given = (extra or {}).get(frame)
            self._bars[frame] = given if given is not None else resample(bars, frame, zone)
        self._nodes = all_nodes(plan.roots())
        self._deps = dependencies(self._nodes)
        self._static: dict[ir.Node, Value] = {}
        self._indicators: OrderedDict[object, tuple[FloatArray, ...]] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self._clock: dict[tuple[str, str], FloatArray] = {}
        self._positions: dict[tuple[str, str], NDArray[np.intp]] = {}
        self.indicator_runs = 0  # batch indicator computations so far (for tuning and tests)
        self._pool: list[FloatArray] = []  # primary-length buffers free for reuse
        self._taken: list[FloatArray] = []

    def evaluate(self, params: Mapping[str, float]) -> Signals:
        """Signals for one complete set of parameter values."""
        values: dict[ir.Node, Value] = {}
        with np.errstate(all="ignore"):
            for node in self._nodes:
                if node in self._static:
                    values[node] = self._static[node]
                    continue
                values[node] = self._compute(node, values, params)
                if not self._deps[node]:
                    self._static[node] = values[node]
        signals = self._assemble(values, params)
        self._recycle(signals)
        return signals

    def evaluate_many(self, param_sets: Iterable[Mapping[str, float]]) -> Iterator[Signals]:
        """Signals for each parameter set, sharing every computation they have in common."""
        for params in param_sets:
            yield self.evaluate(params)

    # --- nodes ------------------------------------------------------------------------------

    def _compute(
        self, node: ir.Node, values: dict[ir.Node, Value], params: Mapping[str, float]
    ) -> Value:
        if node.timeframe is None:
            return semantics.evaluate_scalar(node, params)
        if isinstance(node, ir.Field):
            return self._field(node)
        if isinstance(node, ir.Align):
            return self._align(node, values[node.source])
        if isinstance(node, ir.Indicator):
            return self._indicator(node, values, params)[node.output]
        out = self._buffer(node)
        if isinstance(node, ir.Unary):
            return vector_ops.unary(node.op, _array(values[node.operand]), out)
        if isinstance(node, ir.Binary):
            return vector_ops.binary(node.op, values[node.left], values[node.right], out)
        if isinstance(node, ir.Lag):
            return vector_ops.lag(_array(values[node.source]), node.bars, out)
        if isinstance(node, ir.Cross):
            length = len(self._bars[node.timeframe])
            return vector_ops.crosses(node.above, values[node.a], values[node.b], length, out)
        assert isinstance(node, ir.Window)
        window = int(semantics.evaluate_scalar(node.length, params))
        source = np.ascontiguousarray(_array(values[node.source]))
        result: FloatArray = vector_ops.rolling_extreme(source, window, node.op == "max")
        return result

    def _buffer(self, node: ir.Node) -> FloatArray | None:
        # Parameter-dependent primary-frame values are recomputed for every parameter set:
        # reuse their memory instead of allocating (and page-faulting) fresh arrays.
        if not self._deps[node] or node.timeframe != self._program.timeframe:
            return None
        buffer = self._pool.pop() if self._pool else np.empty(len(self._bars[node.timeframe]))
        self._taken.append(buffer)
        return buffer

    def _recycle(self, signals: Signals) -> None:
        handed_out = {
            id(array)
            for array in (
                signals.limit_price,
                signals.size_value,
                signals.size_cap,
                signals.size_stop,
                *(
                    levels.values
                    for levels in (signals.stop_loss, signals.take_profit, signals.trailing_stop)
                    if levels is not None
                ),
            )
            if array is not None
        }
        self._pool.extend(b for b in self._taken if id(b) not in handed_out)
        self._taken = []

    def _field(self, node: ir.Field) -> FloatArray:
        bars = self._bars[node.frame]
        if node.name in ir.BAR_FIELDS:
            return bars.kernel_column(node.name)
        key = (node.frame, node.name)
        if key not in self._clock:
            local = bars.ts + utc_offsets_ns(bars.ts, self._zone)
            self._clock[key] = clock_values(node.name, local)
        return self._clock[key]

    def _align(self, node: ir.Align, source: Value) -> FloatArray:
        coarse = node.source.timeframe
        assert coarse is not None
        key = (coarse, node.frame)
        if key not in self._positions:
            fine_ts, coarse_ts = self._bars[node.frame].ts, self._bars[coarse].ts
            self._positions[key] = np.searchsorted(coarse_ts, fine_ts, side="right") - 1
        positions = self._positions[key]
        array = _array(source)
        if array.shape[0] == 0:
            return np.full(positions.shape[0], np.nan)
        return np.where(positions >= 0, array[np.maximum(positions, 0)], np.nan)

    def _indicator(
        self, node: ir.Indicator, values: dict[ir.Node, Value], params: Mapping[str, float]
    ) -> tuple[FloatArray, ...]:
        key = (
            ir.Indicator(node.frame, node.name, node.inputs, node.params),
            tuple(params[name] for name in self._deps[node]),
        )
        cached = self._indicators.get(key)
        if cached is not None:
            self._indicators.move_to_end(key)
            return cached
        inputs = [np.ascontiguousarray(_array(values[child])) for child in node.inputs]
        settings = [semantics.evaluate_scalar(p, params) for p in node.params]
        if not _has_complete_bar(inputs):
            # The streaming form never starts without a bar on which every input is known;
            # the batch form would still run the kernel on the last bar.
            empty = np.full(inputs[0].shape[0], np.nan)
            return tuple(empty for _ in indicator_specs()[node.name].outputs)
        self.indicator_runs += 1
        try:
            outputs = batch(node.name, inputs, settings)
        except (ValueError, TypeError) as e:
            raise StrategyError(f"{node.name} with {settings}: {e}") from e
        self._remember(key, outputs)
        return outputs

    def _remember(self, key: object, outputs: tuple[FloatArray, ...]) -> None:
        size = sum(output.nbytes for output in outputs)
        if size > self._cache_bytes:
            return
        self._indicators[key] = outputs
        self._cached_bytes += size
        while self._cached_bytes > self._cache_bytes:
            _, evicted = self._indicators.popitem(last=False)
            self._cached_bytes -= sum(output.nbytes for output in evicted)

    # --- outputs ----------------------------------------------------------------------------

    def _assemble(self, values: dict[ir.Node, Value], params: Mapping[str, float]) -> Signals:
        plan, program = self._plan, self._program
        bars = self._bars[program.timeframe]
        length = len(bars)
        fired = {label: self._fired(plan.rules[label], values, length) for label in SIGNAL_LABELS}
        if program.sessions and frames.seconds(program.timeframe) < 86_400:
            allowed = self._in_session(bars)
            fired["entry long"] &= allowed
            fired["entry short"] &= allowed
        stops = {kind: Levels(mode, _full(values[node], length)) for kind, mode, node in plan.stops}
        return Signals(
            ts=bars.ts,
            params=dict(params),
            entry_long=fired["entry long"],
            exit_long=fired["exit long"],
            entry_short=fired["entry short"],
            exit_short=fired["exit short"],
            limit_price=_optional(plan.limit_price, values, length),
            stop_loss=stops.get("stop_loss"),
            take_profit=stops.get("take_profit"),
            trailing_stop=stops.get("trailing_stop"),
            size_form=program.sizing.form,
            size_value=_full(values[plan.size_value], length),
            size_cap=_optional(plan.size_cap, values, length),
            size_stop=_optional(plan.size_stop, values, length),
            ttl_bars=program.order.ttl_bars,
            warmup=merge([warmup_of(root, params) for root in plan.roots()]),
        )

    @staticmethod
    def _fired(rules: tuple[ir.Node, ...], values: dict[ir.Node, Value], length: int) -> BoolArray:
        if len(rules) == 1:
            return np.equal(_full(values[rules[0]], length), 1.0)
        fired = np.zeros(length, dtype=np.bool_)
        for node in rules:
            np.logical_or(fired, np.equal(values[node], 1.0), out=fired)
        return fired

    def _in_session(self, bars: BarArrays) -> BoolArray:
        local = bars.ts + utc_offsets_ns(bars.ts, self._zone)
        minutes = clock_values("time", local)
        allowed = np.zeros(len(bars), dtype=np.bool_)
        for window in self._program.sessions:
            allowed |= (minutes >= window.start) & (minutes <= window.end)
        return allowed


def _has_complete_bar(inputs: list[FloatArray]) -> bool:
    if not inputs or inputs[0].shape[0] == 0:
        return True
    known = np.ones(inputs[0].shape[0], dtype=np.bool_)
    for array in inputs:
        known &= ~np.isnan(array)
    return bool(known.any())


def _array(value: Value) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def _full(value: Value, length: int) -> FloatArray:
    # A value that is the same on every bar becomes a read-only view, not a copy.
    array = np.asarray(value, dtype=np.float64)
    return np.broadcast_to(array, (length,)) if array.ndim == 0 else array


def _optional(node: ir.Node | None, values: dict[ir.Node, Value], length: int) -> FloatArray | None:
    return None if node is None else _full(values[node], length)
