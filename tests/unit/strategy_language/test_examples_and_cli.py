"""The example strategies validate, explain, and the CLI never shows a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jts.contexts.strategy.application.explain import explain
from jts.contexts.strategy.domain.language import compile_strategy
from jts.entrypoints.cli.main import app

EXAMPLES = sorted((Path(__file__).parents[3] / "examples" / "strategies").glob("*.jts"))
REQUIRED = {
    "golden_cross",
    "rsi_mean_reversion",
    "bollinger_breakout",
    "macd_trend_atr",
    "donchian_breakout",
    "volatility_breakout",
}
runner = CliRunner()


def test_the_six_required_examples_exist() -> None:
    assert {path.stem for path in EXAMPLES} >= REQUIRED


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_compiles_without_errors_or_warnings(path: Path) -> None:
    strategy = compile_strategy(path.read_text(encoding="utf-8"), path.name)

    assert strategy.program.warnings == ()
    assert any(rule.action == "entry" for rule in strategy.program.rules)
    assert strategy.name == path.stem


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_explains_every_section(path: Path) -> None:
    text = explain(compile_strategy(path.read_text(encoding="utf-8"), path.name))

    for section in ("universe:", "parameters:", "indicators:", "warm-up", "rules:", "size:"):
        assert section in text


def test_cli_validate_accepts_every_example() -> None:
    result = runner.invoke(app, ["strategy", "validate", *map(str, EXAMPLES)])

    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok (strategy") == len(EXAMPLES)


def test_cli_explain_prints_parameters_warmup_and_rule_tree() -> None:
    golden = next(path for path in EXAMPLES if path.stem == "golden_cross")

    result = runner.invoke(app, ["strategy", "explain", str(golden)])

    assert result.exit_code == 0, result.output
    assert "fast = 20  range 5..50 step 5  (10 values)" in result.stdout
    assert "grid: 190 combinations" in result.stdout
    assert "at defaults: 1d: 60" in result.stdout
    assert "worst case over the ranges: 1d: 200" in result.stdout
    assert "entry long (line 13), warm-up 1d: 60" in result.stdout
    assert "crosses_above(fast_ma, slow_ma)" in result.stdout


def test_cli_explain_of_a_broken_file_prints_errors_and_exits_one(tmp_path: Path) -> None:
    source = tmp_path / "bad.jts"
    source.write_text(
        'strategy "x"\nuniverse 005930.KRX\ntimeframe 1d\nentry long when sam(close)\n'
    )

    result = runner.invoke(app, ["strategy", "explain", str(source)])

    assert result.exit_code == 1
    assert f"{source}:4:17: error: unknown function 'sam'; did you mean 'sma'?" in result.stderr
    assert "                    ^~~" in result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.jts", "no such file"),
        (lambda d: d, "it is a directory"),
        (lambda d: _write_bytes(d / "binary.jts", b"\xff\xfe\x00strategy"), "not UTF-8"),
        (lambda d: _write_bytes(d / "empty.jts", b""), "no name"),
        (lambda d: _write_bytes(d / "nul.jts", b"strategy \x00\x01"), "unexpected character"),
    ],
    ids=["missing", "directory", "binary", "empty", "control-characters"],
)
def test_cli_validate_turns_unreadable_input_into_a_message(
    tmp_path: Path, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]

    result = runner.invoke(app, ["strategy", "validate", str(path)])

    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
