"""Python strategy files on ``--strategy``: what loads, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from jts.bootstrap.strategy_files import PythonStrategyFile, load_strategy_file
from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.identifiers import InstrumentId

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "strategies" / "sma_cross.py"
GOOD = """
class Hold:
    def on_bar(self, context):
        pass

NAME = "hold"
UNIVERSE = ["BTC-KRW.UPBIT", "005930.KRX"]
TIMEFRAME = "1h"
STRATEGY = Hold
"""


def write(tmp_path: Path, source: str, name: str = "mine.py") -> Path:
    path = tmp_path / name
    path.write_text(source, "utf-8")
    return path


def test_a_python_file_declares_name_universe_timeframe_and_makes_fresh_strategies(
    tmp_path: Path,
) -> None:
    loaded = load_strategy_file(write(tmp_path, GOOD))

    assert isinstance(loaded, PythonStrategyFile)
    assert loaded.name == "hold"
    assert loaded.program.universe == (
        InstrumentId.parse("BTC-KRW.UPBIT"),
        InstrumentId.parse("005930.KRX"),
    )
    assert loaded.program.timeframe == "1h"
    first, second = loaded.make(), loaded.make()
    assert first is not second
    assert type(first).__name__ == "Hold"


def test_the_example_loads() -> None:
    loaded = load_strategy_file(EXAMPLE)

    assert isinstance(loaded, PythonStrategyFile)
    assert loaded.name == "sma_cross_py"


def test_a_jts_file_still_compiles(tmp_path: Path) -> None:
    source = (
        'strategy "x"\nuniverse BTC-KRW.UPBIT\ntimeframe 1h\n'
        "entry long when close > open\nsize quantity(1)\n"
    )
    loaded = load_strategy_file(write(tmp_path, source, "x.jts"))

    assert isinstance(loaded, CompiledStrategy)


@pytest.mark.parametrize(
    ("source", "where", "says"),
    [
        ("NAME = 'x'\nUNIVERSE = [\n", ":2:12: error:", "fix the Python syntax"),
        ("import math\nNAME = math.nope\n", ":2: error:", "AttributeError"),
        (GOOD.replace('TIMEFRAME = "1h"\n', ""), ":1: error:", "TIMEFRAME is not defined"),
        (GOOD.replace('"1h"', '"hourly"'), ":8: error:", "TIMEFRAME is 'hourly'"),
        (GOOD.replace('NAME = "hold"', "NAME = 3"), ":6: error:", "NAME is 3"),
        (GOOD.replace('["BTC-KRW.UPBIT", "005930.KRX"]', '"BTC"'), ":7: error:", "a list"),
        (GOOD.replace('"005930.KRX"', '"NOVENUE"'), ":7: error:", "UNIVERSE:"),
        (GOOD.replace("STRATEGY = Hold", "STRATEGY = Hold()"), ":9: error:", "STRATEGY is a Hold"),
        (GOOD.replace("STRATEGY = Hold", "STRATEGY = dict"), ":9: error:", "no on_bar(context)"),
        (
            GOOD.replace("class Hold:", "class Hold:\n    def __init__(self):\n        1 / 0\n"),
            ":12: error:",
            "STRATEGY() raised ZeroDivisionError",
        ),
    ],
)
def test_loading_errors_name_the_file_the_line_and_what_to_do(
    tmp_path: Path, source: str, where: str, says: str
) -> None:
    path = write(tmp_path, source)

    with pytest.raises(StrategyError) as raised:
        load_strategy_file(path)

    message = str(raised.value)
    assert message.startswith(f"{path}{where}"), message
    assert says in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(StrategyError, match=r"cannot read strategy .*nope\.py"):
        load_strategy_file(tmp_path / "nope.py")
