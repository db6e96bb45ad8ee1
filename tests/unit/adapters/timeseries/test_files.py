"""CSV and Parquet bar/tick files: exact round trips and errors that name the bad row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jts.adapters.timeseries.files import read_bars_file, write_bars_file
from jts.adapters.timeseries.tick_files import read_ticks_file, write_ticks_file
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.tick_series import TickSeries
from jts.messages.enums import AggressorSide
from jts.messages.market_data import Bar, TradeTick
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

BTC = InstrumentId.parse("BTCUSDT.BINANCE")
SAMSUNG = InstrumentId.parse("005930.KRX")
ONE_MINUTE = Timeframe.parse("1m")
ONE_DAY = Timeframe.parse("1d")
T0 = 1_704_153_600_000_000_000  # 2024-01-02T00:00:00Z
MINUTE_NS = 60_000_000_000
HEADER = "timestamp,open,high,low,close,volume\n"
GOOD_ROWS = [
    "2024-01-02T00:00:00Z,100,101,99,100.5,10",
    "2024-01-02T00:01:00Z,100.5,102,100,101,12.25",
    "2024-01-02T00:02:00Z,101,101.5,100.5,101,0",
]


def write_csv(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "bars.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    return path


def bars_series(price: str = "65000.12", volume: str = "0.00012345", count: int = 4) -> BarSeries:
    base = Decimal(price)
    return BarSeries.from_bars(
        [
            Bar(
                instrument_id=BTC,
                timeframe=ONE_MINUTE,
                ts_start=T0 + i * MINUTE_NS,
                ts_event=T0 + (i + 1) * MINUTE_NS,
                ts_init=0,
                open=base,
                high=base + i,
                low=base - 1,
                close=base + Decimal("0.01") * i,
                volume=Decimal(volume) * (i + 1),
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_written_bars_read_back_exactly(tmp_path: Path, suffix: str) -> None:
    series = bars_series()
    path = tmp_path / f"bars{suffix}"

    write_bars_file(series, path)

    assert read_bars_file(path, BTC, ONE_MINUTE) == series


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_bars_closing_off_the_timeframe_grid_keep_their_close_time(
    tmp_path: Path, suffix: str
) -> None:
    session_open = T0  # 09:00 KST
    daily = BarSeries.from_bars(
        [
            Bar(
                instrument_id=SAMSUNG,
                timeframe=ONE_DAY,
                ts_start=session_open,
                ts_event=session_open + 390 * MINUTE_NS,
                ts_init=0,
                open=Decimal(70000),
                high=Decimal(71000),
                low=Decimal(69500),
                close=Decimal(70500),
                volume=Decimal(1_000_000),
            )
        ]
    )
    path = tmp_path / f"daily{suffix}"

    write_bars_file(daily, path)

    assert read_bars_file(path, SAMSUNG, ONE_DAY) == daily


def test_csv_export_is_the_backtest_layout_with_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"

    write_bars_file(bars_series(count=2), path)

    assert path.read_text().splitlines() == [
        "timestamp,open,high,low,close,volume",
        "2024-01-02T00:00:00Z,65000.12,65000.12,64999.12,65000.12,0.00012345",
        "2024-01-02T00:01:00Z,65000.12,65001.12,64999.12,65000.13,0.00024690",
    ]


def test_csv_import_infers_decimals_and_ignores_case_and_extra_columns(tmp_path: Path) -> None:
    header = " Timestamp ,OPEN,High,low,Close,Volume,notes\n"
    path = write_csv(tmp_path, [row + ",x" for row in GOOD_ROWS], header=header)

    series = read_bars_file(path, BTC, ONE_MINUTE)

    assert (series.price_scale, series.volume_scale) == (1, 2)
    assert [bar.close for bar in series.to_bars()] == [Decimal("100.5"), 101, 101]
    assert series.ts_start.tolist() == [T0, T0 + MINUTE_NS, T0 + 2 * MINUTE_NS]
    assert series.ts_event.tolist() == [T0 + MINUTE_NS * k for k in (1, 2, 3)]


def test_epoch_milliseconds_are_read_as_utc(tmp_path: Path) -> None:
    ms = T0 // 1_000_000
    path = write_csv(tmp_path, [f"{ms},100,101,99,100,1", f"{ms + 60_000},100,101,99,100,1"])

    series = read_bars_file(path, BTC, ONE_MINUTE)

    assert series.ts_start.tolist() == [T0, T0 + MINUTE_NS]


def test_text_without_offset_is_read_in_the_given_time_zone(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["2024-01-02 09:00:00,100,101,99,100,1"])

    series = read_bars_file(path, SAMSUNG, ONE_MINUTE, timezone="Asia/Seoul")

    assert series.ts_start.tolist() == [T0]


def test_iso_offsets_are_honoured(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["2024-01-02T09:00:00+09:00,100,101,99,100,1"])

    assert read_bars_file(path, SAMSUNG, ONE_MINUTE).ts_start.tolist() == [T0]


def test_parquet_written_by_pandas_with_float_prices_reads_exactly(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "timestamp": pd.to_datetime([T0, T0 + MINUTE_NS], utc=True),
            "open": [0.1, 0.2],
            "high": [0.3, 0.3],
            "low": [0.1, 0.15],
            "close": [0.2, 0.25],
            "volume": [1234.5678, 0.0],
        }
    )
    path = tmp_path / "pandas.parquet"
    frame.to_parquet(path)

    series = read_bars_file(path, BTC, ONE_MINUTE)

    assert [bar.low for bar in series.to_bars()] == [Decimal("0.1"), Decimal("0.15")]
    assert series.to_bars()[0].volume == Decimal("1234.5678")


def test_explicit_decimals_round_the_prices(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["2024-01-02T00:00:00Z,100.04,101.06,99.01,100.5,1"])

    series = read_bars_file(path, BTC, ONE_MINUTE, price_decimals=1)

    bar = series.to_bars()[0]
    assert (bar.open, bar.high, bar.low, bar.close) == (
        Decimal("100.0"),
        Decimal("101.1"),
        Decimal("99.0"),
        Decimal("100.5"),
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[1]],
            "row 3 (line 4): timestamp is not after the previous bar's",
        ),
        ([GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[1]], "row 3 (line 4): timestamp is not after"),
        (
            [GOOD_ROWS[0], "2024-01-02T00:01:00Z,100,101,99,NaN,1"],
            "row 2 (line 3): close is nan",
        ),
        ([GOOD_ROWS[0], "2024-01-02T00:01:00Z,100,101,,100,1"], "row 2 (line 3): low is empty"),
        (
            [GOOD_ROWS[0], GOOD_ROWS[1], "2024-01-02T00:02:00Z,100,101,99,abc,1"],
            "row 3 (line 4): close 'abc' is not a number",
        ),
        (
            [GOOD_ROWS[0], "2024-01-02T00:01:00Z,100,99,101,100,1"],
            "row 2 (line 3): high is below low",
        ),
        (
            ["2024-01-02T00:00:00Z,100,101,99,100,-1"],
            "row 1 (line 2): volume is negative",
        ),
        (
            [GOOD_ROWS[0], "yesterday,100,101,99,100,1"],
            "row 2 (line 3): timestamp 'yesterday' is neither ISO 8601",
        ),
        (
            [GOOD_ROWS[0], "2024-01-02T00:01:00,100,101,99,100,1"],
            "row 2 (line 3): timestamp '2024-01-02T00:01:00' lacks a UTC offset",
        ),
        (
            ["1704153600,100,101,99,100,1"],
            "row 1 (line 2): timestamp 1704153600 looks like epoch seconds",
        ),
    ],
)
def test_bad_rows_are_named_in_the_error(tmp_path: Path, rows: list[str], expected: str) -> None:
    path = write_csv(tmp_path, rows)

    with pytest.raises(DataError) as error:
        read_bars_file(path, BTC, ONE_MINUTE)

    assert str(error.value).startswith(f"{path}: ")
    assert expected in str(error.value)


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, ["2024-01-02T00:00:00Z,100,101,99"], header="timestamp,open,high,low\n"
    )

    with pytest.raises(DataError, match=r"missing columns close, volume; expected timestamp,open"):
        read_bars_file(path, BTC, ONE_MINUTE)


def test_parquet_errors_name_the_row_without_a_line(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "timestamp": [T0 // 1_000_000, T0 // 1_000_000 + 60_000],
            "open": [1.0, 1.0],
            "high": [1.0, 1.0],
            "low": [1.0, float("nan")],
            "close": [1.0, 1.0],
            "volume": [1.0, 1.0],
        }
    )
    path = tmp_path / "nan.parquet"
    frame.to_parquet(path)

    with pytest.raises(DataError, match=r"nan\.parquet: row 2: low is null \(missing or NaN\)"):
        read_bars_file(path, BTC, ONE_MINUTE)


def test_unknown_suffix_and_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"unknown file type '\.txt'; use \.csv or \.parquet"):
        write_bars_file(bars_series(), tmp_path / "bars.txt")
    with pytest.raises(DataError, match="no such file"):
        read_bars_file(tmp_path / "absent.csv", BTC, ONE_MINUTE)


def test_header_only_file_gives_an_empty_series(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [])
    path.write_text(HEADER)

    assert len(read_bars_file(path, BTC, ONE_MINUTE)) == 0


def sample_ticks() -> TickSeries:
    sides = [AggressorSide.BUYER, AggressorSide.SELLER, AggressorSide.NONE]
    return TickSeries.from_ticks(
        [
            TradeTick(
                instrument_id=BTC,
                ts_event=T0 + (i // 2) * 1_000_000,
                ts_init=0,
                price=Decimal("65000.01") + i,
                size=Decimal("0.001") * (i + 1),
                aggressor_side=sides[i % 3],
                sequence=10 + i,
            )
            for i in range(5)
        ]
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_ticks_round_trip_exactly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"ticks{suffix}"

    write_ticks_file(sample_ticks(), path)

    assert read_ticks_file(path, BTC) == sample_ticks()


def test_ticks_without_sequence_get_ordinals_within_each_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "ticks.csv"
    path.write_text(
        "timestamp,price,size\n1704153600000,10,1\n1704153600000,11,1\n1704153600001,9,2\n"
    )

    ticks = read_ticks_file(path, BTC)

    assert ticks.sequence.tolist() == [0, 1, 0]
    assert np.array_equal(ticks.price, [10.0, 11.0, 9.0])


def test_bad_tick_side_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "ticks.csv"
    path.write_text("timestamp,price,size,side\n1704153600000,10,1,BUYER\n1704153600001,10,1,up\n")

    with pytest.raises(
        DataError, match=r"row 2 \(line 3\): side 'UP' must be BUYER, SELLER or NONE"
    ):
        read_ticks_file(path, BTC)


def test_unknown_time_zone_is_a_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["2024-01-02 09:00:00,100,101,99,100,1"])

    with pytest.raises(DataError, match="cannot read times in Mars/Olympus"):
        read_bars_file(path, SAMSUNG, ONE_MINUTE, timezone="Mars/Olympus")
