"""``jts strategy explain``: a compiled strategy described for a trader.

Shows the parameters and their grid, every indicator with its look-back, the warm-up per
timeframe (at the defaults and the worst case over the optimization ranges), each rule as a
tree of conditions with its own warm-up, then stops, sizing, order type and session.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from jts.contexts.strategy.domain.language import ir
from jts.contexts.strategy.domain.language.calls import sample_assignments
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.contexts.strategy.domain.language.exchange_time import exchange_zone
from jts.contexts.strategy.domain.language.frames import seconds
from jts.contexts.strategy.domain.language.indicator_bridge import lookback
from jts.contexts.strategy.domain.language.plan import Warmup, merge, warmup_of
from jts.contexts.strategy.domain.language.render import call_text, render
from jts.contexts.strategy.domain.language.semantics import evaluate_scalar
from jts.contexts.strategy.domain.language.value_types import ParamInfo
from jts.contexts.strategy.domain.language.vectorized import all_nodes
from jts.shared_kernel.errors import StrategyError


def explain(strategy: CompiledStrategy) -> str:
    """A plain-text description of ``strategy``, one section per aspect."""
    program = strategy.program
    lines = [f'strategy "{program.name}"  ({program.file})']
    lines.append("universe: " + ", ".join(str(i) for i in program.universe))
    extra = f"; also {', '.join(program.extra_timeframes)}" if program.extra_timeframes else ""
    lines.append(f"timeframe: {program.timeframe}{extra}")
    lines += _parameters(program.params)
    for section in (_indicators, _warmup, _rules, _execution):
        try:
            lines += section(strategy)
        except StrategyError as e:  # an indicator missing from this build
            lines.append(f"{section.__name__.strip('_')}: unavailable ({e})")
    return "\n".join(lines)


def _number(value: float, percent: bool = False) -> str:
    shown = value * 100 if percent else value
    text = str(int(shown)) if shown == int(shown) else f"{shown:g}"
    return text + ("%" if percent else "")


def _parameters(params: tuple[ParamInfo, ...]) -> list[str]:
    if not params:
        return ["parameters: none"]
    lines = ["parameters:"]
    combinations = 1
    for info in params:
        grid = info.grid()
        combinations *= len(grid)
        text = f"  {info.name} = {_number(info.default, info.percent)}"
        if info.high > info.low:
            text += (
                f"  range {_number(info.low, info.percent)}..{_number(info.high, info.percent)}"
                f" step {_number(info.step, info.percent)}  ({len(grid)} values)"
            )
        lines.append(text)
    lines.append(f"  grid: {combinations} combination{'s' if combinations != 1 else ''}")
    return lines


def _let_names(strategy: CompiledStrategy) -> dict[ir.Node, str]:
    return {node: name for name, node in strategy.program.lets}


def _indicators(strategy: CompiledStrategy) -> list[str]:
    primary = strategy.program.timeframe
    calls = {
        ir.Indicator(n.frame, n.name, n.inputs, n.params): n
        for n in all_nodes(strategy.plan.roots())
        if isinstance(n, ir.Indicator)
    }
    if not calls:
        return ["indicators: none"]
    lines = ["indicators:"]
    defaults = strategy.default_params()
    for key in calls:
        settings = [evaluate_scalar(p, defaults) for p in key.params]
        text = call_text(key, primary)
        lines.append(f"  {text}  on {key.frame}, look-back {lookback(key.name, settings)} bars")
    return lines


def _worst(strategy: CompiledStrategy, root: ir.Node | None = None) -> Warmup:
    program = strategy.program
    infos: Mapping[str, ParamInfo] = {info.name: info for info in program.params}
    roots = [root] if root is not None else strategy.plan.roots()
    found = [
        warmup_of(node, values)
        for values in sample_assignments(infos, frozenset(infos))
        for node in roots
    ]
    return merge(found)


def _frames(warmup: Warmup) -> str:
    ordered = sorted(warmup.items(), key=lambda item: seconds(item[0]))
    return ", ".join(f"{frame}: {bars}" for frame, bars in ordered)


def _warmup(strategy: CompiledStrategy) -> list[str]:
    return [
        "warm-up (bars consumed before the first value, per timeframe):",
        f"  at defaults: {_frames(strategy.warmup())}",
        f"  worst case over the ranges: {_frames(_worst(strategy))}",
    ]


def _rules(strategy: CompiledStrategy) -> list[str]:
    lines = ["rules:"]
    defaults = strategy.default_params()
    names = _let_names(strategy)
    primary = strategy.program.timeframe
    for rule in strategy.program.rules:
        warm = _frames(warmup_of(rule.node, defaults))
        lines.append(f"  {rule.label} (line {rule.line}), warm-up {warm}")
        lines += [f"    {text}" for text in _tree(rule.node, primary, names, 0)]
    return lines


def _tree(node: ir.Node, primary: str, names: Mapping[ir.Node, str], depth: int) -> Iterator[str]:
    indent = "  " * depth
    if isinstance(node, ir.Binary) and node.op in ir.LOGICAL and node not in names:
        yield indent + ("all of:" if node.op == "and" else "any of:")
        for part in _flatten(node, node.op):
            yield from _tree(part, primary, names, depth + 1)
    elif isinstance(node, ir.Unary) and node.op == "not" and node not in names:
        yield indent + "not:"
        yield from _tree(node.operand, primary, names, depth + 1)
    else:
        yield indent + render(node, primary, names)


def _flatten(node: ir.Node, op: str) -> list[ir.Node]:
    if isinstance(node, ir.Binary) and node.op == op:
        return [*_flatten(node.left, op), *_flatten(node.right, op)]
    return [node]


def _execution(strategy: CompiledStrategy) -> list[str]:
    program = strategy.program
    primary = program.timeframe
    lines = []
    for protection in program.protections:
        text = render(protection.node, primary, _let_names(strategy))
        unit = "of the entry price" if protection.mode == "percent" else "price distance"
        if protection.mode == "percent":
            text = _number(evaluate_scalar(protection.node, strategy.default_params()), True)
        lines.append(f"{protection.kind}: {text} ({unit})")
    lines.append(f"size: {_sizing(strategy)}")
    order = program.order
    if order.kind == "limit" and order.price is not None:
        ttl = f", ttl {order.ttl_bars} bar(s)" if order.ttl_bars else ""
        lines.append(f"order: limit({render(order.price, primary)}){ttl}")
    else:
        lines.append("order: market (filled at the next bar's open in backtests)")
    lines += _session(strategy)
    return lines


def _sizing(strategy: CompiledStrategy) -> str:
    sizing = strategy.program.sizing
    primary = strategy.program.timeframe
    defaults = strategy.default_params()

    def shown(node: ir.Node, percent: bool) -> str:
        if node.timeframe is None and percent:
            return _number(evaluate_scalar(node, defaults), True)
        return render(node, primary, _let_names(strategy))

    value = shown(sizing.value, sizing.form in ("percent_equity", "risk"))
    if sizing.form == "kelly" and sizing.cap is not None:
        return f"kelly({value}, max={shown(sizing.cap, True)})"
    if sizing.form == "risk" and sizing.stop is not None:
        return f"risk({value}, stop={shown(sizing.stop, False)})"
    return f"{sizing.form}({value})"


def _session(strategy: CompiledStrategy) -> list[str]:
    program = strategy.program
    if not program.sessions:
        return ["session: any time"]
    windows = ", ".join(
        f"{w.start // 60:02d}:{w.start % 60:02d}-{w.end // 60:02d}:{w.end % 60:02d}"
        for w in program.sessions
    )
    zones = sorted({program.session_zone or exchange_zone(i.venue) for i in program.universe})
    scope = "entries only" if seconds(program.timeframe) < 86_400 else "the order window only"
    return [f"session: {windows} ({', '.join(zones)}; limits {scope})"]
