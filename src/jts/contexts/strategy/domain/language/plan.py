"""What both evaluators compute: the output nodes of a checked program, and warm-up.

Rules with the same label (two ``entry long`` lines) fire independently: the signal is
raised when any of them is definitely true, so one rule still warming up never silences
another.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from jts.contexts.strategy.domain.language import ir, semantics
from jts.contexts.strategy.domain.language.checker import CheckedProgram
from jts.contexts.strategy.domain.language.indicator_bridge import lookback

SIGNAL_LABELS = ("entry long", "exit long", "entry short", "exit short")


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    """Output nodes, all on the primary timeframe or scalar."""

    rules: Mapping[str, tuple[ir.Node, ...]]
    limit_price: ir.Node | None
    stops: tuple[tuple[str, str, ir.Node], ...]  # (kind, mode, node)
    size_value: ir.Node
    size_cap: ir.Node | None
    size_stop: ir.Node | None

    def roots(self) -> list[ir.Node]:
        nodes = [node for label in SIGNAL_LABELS for node in self.rules[label]]
        nodes += [node for _, _, node in self.stops]
        nodes += [
            n for n in (self.limit_price, self.size_value, self.size_cap, self.size_stop) if n
        ]
        return nodes


def build_plan(program: CheckedProgram) -> Plan:
    rules: dict[str, tuple[ir.Node, ...]] = {}
    for label in SIGNAL_LABELS:
        rules[label] = tuple(rule.node for rule in program.rules if rule.label == label)
    sizing = program.sizing
    return Plan(
        rules=rules,
        limit_price=program.order.price,
        stops=tuple((p.kind, p.mode, p.node) for p in program.protections),
        size_value=sizing.value,
        size_cap=sizing.cap,
        size_stop=sizing.stop,
    )


Warmup = dict[str, int]


def warmup_of(root: ir.Node, params: Mapping[str, float]) -> Warmup:
    """Bars of each timeframe ``root`` needs before it can hold a value.

    Counts for a timeframe assume the longer timeframes it reads have warmed up already.
    """
    need: dict[ir.Node, Warmup] = {}
    for node in ir.walk(root):
        merged: Warmup = {}
        for child in node.children():
            for frame, bars in need[child].items():
                merged[frame] = max(merged.get(frame, 0), bars)
        own = node.timeframe
        if own is not None:
            merged[own] = merged.get(own, 0) + _own_warmup(node, params)
        need[node] = merged
    return need[root]


def _own_warmup(node: ir.Node, params: Mapping[str, float]) -> int:
    if isinstance(node, ir.Indicator):
        values = [semantics.evaluate_scalar(p, params) for p in node.params]
        return lookback(node.name, values)
    if isinstance(node, ir.Lag):
        return node.bars
    if isinstance(node, ir.Cross):
        return 1
    if isinstance(node, ir.Window):
        return int(semantics.evaluate_scalar(node.length, params)) - 1
    return 0


def merge(warmups: list[Warmup]) -> Warmup:
    result: Warmup = {}
    for warmup in warmups:
        for frame, bars in warmup.items():
            result[frame] = max(result.get(frame, 0), bars)
    return result
