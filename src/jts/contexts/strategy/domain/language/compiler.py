"""Compile strategy source into a ``CompiledStrategy``: parse, check, plan, then evaluate.

``compile_strategy(source, file)`` raises ``LanguageError`` (with every diagnostic) or
returns a ``CompiledStrategy`` that makes either evaluator for any instrument of its
universe and any parameter values::

    strategy = compile_strategy(text, "golden.jts")
    signals = strategy.evaluate(bars, instrument=InstrumentId.parse("005930.KRX"))
    for signals in strategy.evaluate_many(bars, instrument=..., param_sets=strategy.grid()):
        ...
    live = strategy.incremental(instrument=..., params={"fast": 10})
    signal = live.on_bar(bar)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping

from jts.contexts.strategy.domain.language.bars import BarArrays
from jts.contexts.strategy.domain.language.checker import CheckedProgram, check_program
from jts.contexts.strategy.domain.language.exchange_time import exchange_zone
from jts.contexts.strategy.domain.language.incremental import IncrementalEvaluator
from jts.contexts.strategy.domain.language.limits import DEFAULT_LIMITS, ProgramLimits
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.contexts.strategy.domain.language.parser import parse_program
from jts.contexts.strategy.domain.language.plan import Plan, Warmup, build_plan, merge, warmup_of
from jts.contexts.strategy.domain.language.vectorized import (
    DEFAULT_CACHE_BYTES,
    Signals,
    VectorizedEvaluator,
)
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId


class CompiledStrategy:
    """A checked strategy, ready to evaluate vectorized or bar by bar."""

    def __init__(self, program: CheckedProgram) -> None:
        self.program = program
        self.plan: Plan = build_plan(program)

    @property
    def name(self) -> str:
        return self.program.name

    def default_params(self) -> dict[str, float]:
        return {info.name: info.default for info in self.program.params}

    def resolve_params(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Defaults with ``overrides`` applied, after checking names and ranges."""
        params = self.default_params()
        infos = {info.name: info for info in self.program.params}
        for name, value in (overrides or {}).items():
            if name not in infos:
                raise StrategyError(
                    f"{self.name} has no parameter '{name}'{did_you_mean(name, infos)}"
                )
            info = infos[name]
            number = float(value)
            if info.integer and number != int(number):
                raise StrategyError(f"parameter {name} takes whole numbers, not {value}")
            ranged = info.high > info.low
            if ranged and not info.low <= number <= info.high:
                raise StrategyError(
                    f"parameter {name} = {value} is outside its range {info.low:g}..{info.high:g}"
                )
            params[name] = number
        return params

    def grid(self) -> Iterator[dict[str, float]]:
        """Every parameter combination of the declared optimization ranges."""
        infos = self.program.params
        for values in itertools.product(*(info.grid() for info in infos)):
            yield dict(zip((info.name for info in infos), values, strict=True))

    def warmup(self, params: Mapping[str, float] | None = None) -> Warmup:
        """Bars per timeframe before every output can hold a value."""
        resolved = self.resolve_params(params)
        return merge([warmup_of(root, resolved) for root in self.plan.roots()])

    def rule_warmups(self, params: Mapping[str, float] | None = None) -> dict[str, Warmup]:
        """Warm-up per rule, keyed ``"entry long (line 11)"``."""
        resolved = self.resolve_params(params)
        return {
            f"{rule.label} (line {rule.line})": warmup_of(rule.node, resolved)
            for rule in self.program.rules
        }

    def zone_for(self, instrument: InstrumentId) -> str:
        return self.program.session_zone or exchange_zone(instrument.venue)

    def vectorized(
        self,
        bars: BarArrays,
        *,
        instrument: InstrumentId,
        extra: Mapping[str, BarArrays] | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> VectorizedEvaluator:
        """A vectorized evaluator over one instrument's bars (reuse it across parameter sets)."""
        return VectorizedEvaluator(
            self.program,
            self.plan,
            bars,
            zone=self.zone_for(instrument),
            extra=extra,
            cache_bytes=cache_bytes,
        )

    def evaluate(
        self,
        bars: BarArrays,
        *,
        instrument: InstrumentId,
        params: Mapping[str, float] | None = None,
        extra: Mapping[str, BarArrays] | None = None,
    ) -> Signals:
        """Signals for one parameter set (defaults when ``params`` is omitted)."""
        evaluator = self.vectorized(bars, instrument=instrument, extra=extra)
        return evaluator.evaluate(self.resolve_params(params))

    def evaluate_many(
        self,
        bars: BarArrays,
        *,
        instrument: InstrumentId,
        param_sets: Iterable[Mapping[str, float]],
        extra: Mapping[str, BarArrays] | None = None,
    ) -> Iterator[Signals]:
        """Signals for each parameter set, computing shared indicators once."""
        evaluator = self.vectorized(bars, instrument=instrument, extra=extra)
        return evaluator.evaluate_many(self.resolve_params(p) for p in param_sets)

    def incremental(
        self,
        *,
        instrument: InstrumentId,
        params: Mapping[str, float] | None = None,
        resample_extras: bool = True,
    ) -> IncrementalEvaluator:
        """A bar-by-bar evaluator for one instrument."""
        return IncrementalEvaluator(
            self.program,
            self.plan,
            zone=self.zone_for(instrument),
            params=self.resolve_params(params),
            resample_extras=resample_extras,
        )


def compile_strategy(
    source: str, file: str = "<string>", limits: ProgramLimits = DEFAULT_LIMITS
) -> CompiledStrategy:
    """Parse, check and compile; raise ``LanguageError`` listing every problem."""
    return CompiledStrategy(check_program(parse_program(source, file, limits), limits))
