"""Checking the declarations: name, universe, timeframes, parameters and sessions."""

from __future__ import annotations

import math
import zoneinfo

import msgspec

from jts.contexts.strategy.domain.language import ast, frames
from jts.contexts.strategy.domain.language.errors import Span
from jts.contexts.strategy.domain.language.limits import ProgramLimits
from jts.contexts.strategy.domain.language.value_types import ParamInfo, Reporter
from jts.shared_kernel.errors import InvalidInstrumentId
from jts.shared_kernel.identifiers import InstrumentId


class SessionWindow(msgspec.Struct, frozen=True):
    """Minutes of the local day, ``start`` to ``end`` inclusive."""

    start: int
    end: int


def check_universe(
    decl: ast.UniverseDecl, report: Reporter, limits: ProgramLimits
) -> tuple[InstrumentId, ...]:
    instruments: list[InstrumentId] = []
    for text in decl.instruments:
        try:
            instrument = InstrumentId.parse(text.text)
        except InvalidInstrumentId as e:
            report.error(text.span, str(e))
            continue
        if instrument in instruments:
            report.error(text.span, f"{instrument} is listed twice in the universe")
            continue
        instruments.append(instrument)
    if len(instruments) > limits.max_universe:
        report.error(
            decl.span,
            f"universe has {len(instruments)} instruments; the limit is {limits.max_universe}",
        )
    return tuple(instruments)


def check_timeframes(decl: ast.TimeframeDecl, report: Reporter) -> list[str]:
    """Canonical timeframes, primary first; extra ones must be longer than the primary."""
    result: list[str] = []
    for text in decl.timeframes:
        try:
            frame = frames.canonical(text.text)
        except ValueError as e:
            report.error(text.span, str(e))
            continue
        if frame in result:
            report.error(text.span, f"timeframe {frame} is listed twice")
            continue
        if result and frames.seconds(frame) <= frames.seconds(result[0]):
            report.error(
                text.span,
                f"extra timeframe {frame} must be longer than the primary {result[0]}; "
                "the first timeframe is the one the strategy trades on",
            )
            continue
        result.append(frame)
    return result


def check_param(decl: ast.ParamDecl, report: Reporter) -> ParamInfo | None:
    """A parameter with a sound range around its default, or ``None`` after reporting."""
    numbers = [n for n in (decl.default, decl.low, decl.high, decl.step) if n is not None]
    bad = next((n for n in numbers if not math.isfinite(n.value)), None)
    if bad is not None:
        report.error(bad.span, f"number {bad.text} is too large")
        return None
    if len({n.is_percent for n in numbers}) > 1:
        report.error(decl.span, f"parameter {decl.name} mixes percents and plain numbers")
        return None
    if decl.low is None or decl.high is None:
        return _fixed_param(decl)
    integer = all(n.is_integer for n in numbers)
    step = _step(decl, integer, report)
    if step is None or not _range_holds_default(decl, decl.low, decl.high, step, report):
        return None
    return ParamInfo(
        name=decl.name,
        default=decl.default.value,
        low=decl.low.value,
        high=decl.high.value,
        step=step,
        integer=integer,
        percent=decl.default.is_percent,
        line=decl.span.line,
    )


def _range_holds_default(
    decl: ast.ParamDecl,
    low: ast.ParamNumber,
    high: ast.ParamNumber,
    step: float,
    report: Reporter,
) -> bool:
    default = decl.default
    if low.value > high.value:
        message = f"range {low.text}..{high.text} is empty: the low end is above the high end"
        report.error(low.span.to(high.span), message)
        return False
    if not low.value <= default.value <= high.value:
        report.error(
            default.span,
            f"default {default.text} of {decl.name} is outside its range {low.text}..{high.text}",
        )
        return False
    if not _on_grid(default.value, low.value, step):
        report.error(
            default.span,
            f"default {default.text} of {decl.name} is not on its grid: the range "
            f"{low.text}..{high.text} steps by {_text(step, default.is_percent)} from {low.text}",
        )
        return False
    return True


def _fixed_param(decl: ast.ParamDecl) -> ParamInfo:
    value = decl.default.value
    return ParamInfo(
        name=decl.name,
        default=value,
        low=value,
        high=value,
        step=0.0,
        integer=decl.default.is_integer,
        percent=decl.default.is_percent,
        line=decl.span.line,
    )


def _step(decl: ast.ParamDecl, integer: bool, report: Reporter) -> float | None:
    if decl.step is None:
        if integer:
            return 1.0
        report.error(
            decl.span,
            f"range of {decl.name} has non-whole numbers, so it needs a step, e.g. step 0.1",
        )
        return None
    if decl.step.value <= 0:
        report.error(decl.step.span, f"step must be positive, not {decl.step.text}")
        return None
    return decl.step.value


def _on_grid(value: float, low: float, step: float) -> bool:
    steps = (value - low) / step
    return abs(steps - round(steps)) < 1e-9


def _text(value: float, percent: bool) -> str:
    shown = value * 100 if percent else value
    text = f"{shown:g}"
    return f"{text}%" if percent else text


def grid_size(params: list[ParamInfo]) -> int:
    size = 1
    for info in params:
        size *= len(info.grid())
    return size


def check_session(
    decl: ast.SessionDecl, report: Reporter
) -> tuple[tuple[SessionWindow, ...], str | None]:
    windows: list[SessionWindow] = []
    for window in decl.windows:
        bad = next((t for t in (window.start, window.end) if not _valid_time(t)), None)
        if bad is not None:
            report.error(bad.span, f"{bad.text} is not a time of day; use 00:00 to 23:59")
            continue
        if window.start.minutes >= window.end.minutes:
            report.error(
                window.span,
                f"session {window.start.text}-{window.end.text} ends before it starts; "
                f"write an overnight session as two windows, e.g. "
                f"{window.start.text}-23:59, 00:00-{window.end.text}",
            )
            continue
        windows.append(SessionWindow(window.start.minutes, window.end.minutes))
    zone = decl.zone.text if decl.zone is not None else None
    if decl.zone is not None and not _known_zone(decl.zone.text):
        report.error(
            decl.zone.span,
            f"unknown time zone '{decl.zone.text}'; use an IANA name such as Asia/Seoul or UTC",
        )
    return tuple(windows), zone


def _valid_time(time: ast.TimeLit) -> bool:
    hours, minutes = (int(part) for part in time.text.split(":"))
    return hours <= 23 and minutes <= 59


def _known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def duplicate(report: Reporter, span: Span, what: str, first_line: int) -> None:
    report.error(span, f"{what} is already given on line {first_line}; give it once")
