"""Whatever text arrives (from the web UI, a file), checking ends in diagnostics, never a crash."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.strategy.application.validation import compile_source

HEADER = 'strategy "f"\nuniverse 005930.KRX\ntimeframe 1h, 1d\n'
TOKENS = [
    *"()[]{},.%@+-*/<>=!&|#\"':;",
    "==", "<=", ">=", "..", "\n", " ", "\t", "strategy", "universe", "timeframe", "param",
    "let", "entry", "exit", "long", "short", "when", "stop_loss", "take_profit",
    "trailing_stop", "size", "order", "session", "tz", "range", "step", "ttl", "bars", "and",
    "or", "not", "true", "false", "close", "open", "high", "low", "volume", "time", "weekday",
    "sma", "rsi", "macd", "bbands", "atr", "highest", "lowest", "crosses_above", "abs", "max",
    "quantity", "percent_equity", "kelly", "risk", "market", "limit", "x", "f", "0", "1", "20",
    "2.5", "1e999", "5%", "09:30", "25:99", "1d", "1h", "5m", "005930.KRX", "BTC-KRW.UPBIT",
    '"Asia/Seoul"', ".macdsignal", "@1d", "[1]", "[-1]",
]  # fmt: skip


@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.booleans())
def test_any_token_soup_yields_a_report_and_never_an_internal_error(
    tokens: list[str], with_header: bool
) -> None:
    source = (HEADER if with_header else "") + " ".join(tokens)

    strategy, report = compile_source(source, "fuzz.jts")

    assert not any("internal error" in d.message for d in report.diagnostics), report.rendered
    assert (strategy is None) == (not report.ok)
    for diagnostic in report.diagnostics:
        assert diagnostic.line >= 1
        assert diagnostic.col >= 1


@given(st.text(max_size=200))
def test_arbitrary_unicode_yields_a_report(text: str) -> None:
    _, report = compile_source(text, "fuzz.jts")

    assert not any("internal error" in d.message for d in report.diagnostics), report.rendered
