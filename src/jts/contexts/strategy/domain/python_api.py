"""Strategies written in Python: the ``Strategy`` protocol, its context and the guard.

A Python strategy is any object with ``on_bar(context)``; it reads the closed bar, the
bar history, indicators and its position from the ``StrategyContext`` and asks for trades
with its order helpers. It never touches the engine: the context hands it immutable
snapshots only (a frozen ``Bar`` message, a frozen ``PositionSnapshot``, read-only numpy
history arrays that never change after they are handed out) and collects its requests as
``EntryIntent`` / ``ExitIntent`` values. ``call_guarded`` runs user code and turns any
exception it raises into a ``StrategyError`` naming the strategy, instrument and bar, so
the engine stops that strategy and keeps running.

Strategies written in the strategy language run through the same protocol
(``application.language_strategy.LanguageStrategy``), so both kinds share one engine.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

import msgspec
import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language import indicator_bridge
from jts.contexts.strategy.domain.language.catalog import indicator_specs, input_field
from jts.contexts.strategy.domain.language.names import did_you_mean
from jts.messages.enums import Direction
from jts.messages.market_data import Bar
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import Sizing, SizingKind
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import to_decimal

STRATEGY_API_VERSION = 1
FIELDS = ("open", "high", "low", "close", "volume")
FloatArray = NDArray[np.float64]


class Strategy(Protocol):
    """What a Python strategy implements: one call per closed bar of its instrument."""

    def on_bar(self, context: StrategyContext) -> None: ...


class EntryIntent(msgspec.Struct, frozen=True, kw_only=True):
    """A request to open a position; the runner turns it into ``EntrySignalRaised``."""

    direction: Direction
    sizing: Sizing
    limit_price: Decimal | None = None
    ttl_bars: int | None = None
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None
    reason: str = ""


class ExitIntent(msgspec.Struct, frozen=True, kw_only=True):
    """A request to close the whole position on one side."""

    direction: Direction
    reason: str = ""


Intent = EntryIntent | ExitIntent


def quantity(amount: Decimal | float | int) -> Sizing:
    """A fixed number of shares or coins."""
    return Sizing(kind=SizingKind.QUANTITY, value=_positive(amount, "quantity"))


def percent_equity(fraction: Decimal | float) -> Sizing:
    """A share of equity, 0.1 for 10%."""
    return Sizing(kind=SizingKind.PERCENT_EQUITY, value=_fraction(fraction, "percent_equity"))


def kelly(fraction: Decimal | float, cap: Decimal | float) -> Sizing:
    """Fractional Kelly (0.5 = half Kelly), never above ``cap`` of equity."""
    return Sizing(
        kind=SizingKind.KELLY,
        value=_fraction(fraction, "kelly fraction"),
        cap=_fraction(cap, "kelly cap"),
    )


def risk(fraction: Decimal | float, stop_distance: Decimal | float) -> Sizing:
    """Risk ``fraction`` of equity if price moves ``stop_distance`` against the position."""
    return Sizing(
        kind=SizingKind.RISK,
        value=_fraction(fraction, "risk"),
        stop_distance=_positive(stop_distance, "stop distance"),
    )


def _positive(value: Decimal | float | int, what: str) -> Decimal:
    number = to_decimal(value, what=what)
    if number <= 0:
        raise ValueError(f"{what} must be positive, got {number}")
    return number


def _fraction(value: Decimal | float, what: str) -> Decimal:
    number = to_decimal(value, what=what)
    if not 0 < number <= 1:
        raise ValueError(f"{what} must be above 0 and at most 1 (100%), got {number}")
    return number


class BarHistory:
    """The last ``capacity`` bars as read-only float arrays, oldest first.

    Arrays are append-only: a view handed out keeps its values forever, even after more
    bars arrive (the store moves to a fresh buffer when it fills).
    """

    __slots__ = ("_buffers", "_capacity", "_length", "_start")

    def __init__(self, capacity: int = 5_000) -> None:
        if capacity < 1:
            raise ValueError(f"history capacity must be at least 1, got {capacity}")
        self._capacity = capacity
        self._buffers = {name: np.empty(2 * capacity) for name in FIELDS}
        self._start = 0
        self._length = 0

    def append(self, bar: Bar) -> None:
        end = self._start + self._length
        if end == 2 * self._capacity:
            keep = min(self._length, self._capacity - 1)
            for name in FIELDS:
                fresh = np.empty(2 * self._capacity)
                fresh[:keep] = self._buffers[name][end - keep : end]
                self._buffers[name] = fresh
            self._start, self._length, end = 0, keep, keep
        for name in FIELDS:
            self._buffers[name][end] = float(getattr(bar, name))
        self._length += 1
        if self._length > self._capacity:
            self._start += 1
            self._length -= 1

    def __len__(self) -> int:
        return self._length

    def field(self, name: str) -> FloatArray:
        """A read-only view of one field: ``open``, ``high``, ``low``, ``close``, ``volume``."""
        if name not in FIELDS:
            raise AttributeError(f"bars have no field '{name}'{did_you_mean(name, FIELDS)}")
        view = self._buffers[name][self._start : self._start + self._length]
        view.flags.writeable = False
        return view

    @property
    def close(self) -> FloatArray:
        return self.field("close")

    @property
    def open(self) -> FloatArray:
        return self.field("open")

    @property
    def high(self) -> FloatArray:
        return self.field("high")

    @property
    def low(self) -> FloatArray:
        return self.field("low")

    @property
    def volume(self) -> FloatArray:
        return self.field("volume")


class IndicatorBook:
    """Streaming indicators a strategy asked for, kept up to date bar by bar."""

    def __init__(self) -> None:
        self._streams: dict[tuple[str, tuple[str, ...], tuple[float, ...]], Any] = {}
        self._values: dict[tuple[str, tuple[str, ...], tuple[float, ...]], Any] = {}

    def value(
        self, history: BarHistory, name: str, inputs: tuple[str, ...], params: dict[str, float]
    ) -> float | tuple[float, ...]:
        key = self._key(name, inputs, params)
        if key not in self._streams:
            stream = indicator_bridge.stream(name, list(key[2]))
            columns = [history.field(field) for field in key[1]]
            for i in range(len(history)):
                self._values[key] = stream.update(*(float(column[i]) for column in columns))
            self._streams[key] = stream
        result = self._values.get(key, float("nan"))
        return tuple(result) if isinstance(result, tuple) else float(result)

    def advance(self, bar: Bar) -> None:
        for key, stream in self._streams.items():
            self._values[key] = stream.update(*(float(getattr(bar, f)) for f in key[1]))

    @staticmethod
    def _key(
        name: str, inputs: tuple[str, ...], params: dict[str, float]
    ) -> tuple[str, tuple[str, ...], tuple[float, ...]]:
        specs = indicator_specs()
        if name not in specs:
            raise ValueError(f"unknown indicator '{name}'{did_you_mean(name, specs)}")
        spec = specs[name]
        fields = inputs or tuple(input_field(i) for i in spec.inputs)
        if len(fields) != len(spec.inputs) or any(f not in FIELDS for f in fields):
            raise ValueError(f"{name} takes inputs {spec.inputs} as bar fields {FIELDS}")
        unknown = set(params) - {p.name for p in spec.params}
        if unknown:
            raise ValueError(f"{name} has no parameter {sorted(unknown)}; form: {spec.signature()}")
        values = tuple(float(params.get(p.name, p.default)) for p in spec.params)
        return name, fields, values


Price = Decimal | float | None


def _price(value: Price, what: str) -> Decimal | None:
    return None if value is None else _positive(value, what)


class StrategyContext:
    """What a strategy sees on one bar, and how it asks for trades."""

    __slots__ = ("_bar", "_book", "_history", "_instrument", "_intents", "_position")

    def __init__(
        self,
        *,
        instrument: InstrumentId,
        bar: Bar,
        position: PositionSnapshot | None,
        history: BarHistory,
        indicators: IndicatorBook,
    ) -> None:
        self._instrument = instrument
        self._bar = bar
        self._position = position
        self._history = history
        self._book = indicators
        self._intents: list[Intent] = []

    @property
    def instrument(self) -> InstrumentId:
        return self._instrument

    @property
    def bar(self) -> Bar:
        """The bar that just closed (a frozen message)."""
        return self._bar

    @property
    def position(self) -> PositionSnapshot | None:
        """The position in this instrument, or ``None`` when flat."""
        return self._position

    @property
    def history(self) -> BarHistory:
        """Closed bars up to and including this one (read-only arrays)."""
        return self._history

    @property
    def intents(self) -> tuple[Intent, ...]:
        return tuple(self._intents)

    def indicator(self, name: str, *inputs: str, **params: float) -> float | tuple[float, ...]:
        """The indicator's value on this bar, e.g. ``indicator("sma", timeperiod=20)``."""
        return self._book.value(self._history, name, inputs, dict(params))

    def enter_long(
        self,
        sizing: Sizing,
        *,
        limit_price: Price = None,
        ttl_bars: int | None = None,
        stop_loss: Price = None,
        take_profit: Price = None,
        reason: str = "",
    ) -> None:
        """Ask to open (or add to) a long position; prices are levels, not distances."""
        self._enter(Direction.LONG, sizing, limit_price, ttl_bars, stop_loss, take_profit, reason)

    def enter_short(
        self,
        sizing: Sizing,
        *,
        limit_price: Price = None,
        ttl_bars: int | None = None,
        stop_loss: Price = None,
        take_profit: Price = None,
        reason: str = "",
    ) -> None:
        """Ask to open (or add to) a short position; prices are levels, not distances."""
        self._enter(Direction.SHORT, sizing, limit_price, ttl_bars, stop_loss, take_profit, reason)

    def exit_long(self, reason: str = "") -> None:
        self._intents.append(ExitIntent(direction=Direction.LONG, reason=reason))

    def exit_short(self, reason: str = "") -> None:
        self._intents.append(ExitIntent(direction=Direction.SHORT, reason=reason))

    def _enter(
        self,
        direction: Direction,
        sizing: Sizing,
        limit_price: Price,
        ttl_bars: int | None,
        stop_loss: Price,
        take_profit: Price,
        reason: str,
    ) -> None:
        if not isinstance(sizing, Sizing):
            raise TypeError("sizing must come from quantity(), percent_equity(), kelly() or risk()")
        if ttl_bars is not None and (ttl_bars < 1 or limit_price is None):
            raise ValueError("ttl_bars needs a limit_price and must be 1 or more")
        intent = EntryIntent(
            direction=direction,
            sizing=sizing,
            limit_price=_price(limit_price, "limit_price"),
            ttl_bars=ttl_bars,
            stop_loss=_price(stop_loss, "stop_loss"),
            take_profit=_price(take_profit, "take_profit"),
            reason=reason,
        )
        self._intents.append(intent)


def call_guarded(
    strategy_id: str, callback: Callable[[StrategyContext], None], context: StrategyContext
) -> None:
    """Run user code; any exception it raises becomes a ``StrategyError`` that says where."""
    try:
        callback(context)
    except Exception as e:
        raise StrategyError(
            f"strategy {strategy_id} failed on the {context.instrument} bar closing at "
            f"{context.bar.ts_event}: {type(e).__name__}: {e}"
        ) from e
