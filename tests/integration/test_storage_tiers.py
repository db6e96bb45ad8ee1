"""Hot (DuckDB) and cold (Parquet by venue/symbol/date) tiers: compaction moves whole days
older than the hot window, reads span both tiers exactly, stats see both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import msgspec
import pytest

from jts.adapters.marketsim.simulator import MarketSimulator, SimulatedMarket
from jts.adapters.timeseries.cold import DAY_NS
from jts.adapters.timeseries.hot import HotDuckDbStore, HotMemoryStore, HotStore
from jts.adapters.timeseries.tiered import TieredTimeSeriesStore
from jts.contexts.market_data.domain.series import BarSeries
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

BTC = InstrumentId.parse("BTCUSDT.BINANCE")
SAMSUNG = InstrumentId.parse("005930.KRX")
ONE_MINUTE = Timeframe.parse("1m")
MAY_1 = 1_714_521_600 * 10**9  # 2024-05-01 00:00 UTC


@pytest.fixture(scope="module")
def markets() -> dict[InstrumentId, SimulatedMarket]:
    generated = MarketSimulator().generate(
        [BTC, SAMSUNG], date(2024, 5, 1), date(2024, 5, 5), seed=4, with_ticks=True
    )
    return {market.instrument.id: market for market in generated}


@pytest.fixture(params=["duckdb", "memory"])
def hot(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HotStore]:
    if request.param == "memory":
        yield HotMemoryStore()
        return
    store = HotDuckDbStore(tmp_path / "hot.duckdb")
    yield store
    store.close()


def filled(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> TieredTimeSeriesStore:
    tiered = TieredTimeSeriesStore(hot, tmp_path / "cold", hot_window_ns=2 * DAY_NS)
    for market in markets.values():
        tiered.append_bars(market.minute_bars)
        assert market.ticks is not None
        tiered.append_ticks(market.ticks)
    return tiered


def test_compaction_moves_whole_old_days_and_reads_still_span_everything(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> None:
    tiered = filled(hot, tmp_path, markets)
    now = MAY_1 + 4 * DAY_NS + 12 * 3_600 * 10**9  # 5 May 12:00 UTC: keep 3 May onwards

    report = tiered.compact(now)

    assert report.cutoff_ns == MAY_1 + 2 * DAY_NS
    assert report.bar_rows > 0
    assert report.tick_rows > 0
    hot_bars = hot.read_bars(BTC, ONE_MINUTE)
    assert int(hot_bars.ts_start[0]) == report.cutoff_ns
    for instrument_id, market in markets.items():
        assert tiered.read_bars(instrument_id, ONE_MINUTE) == market.minute_bars
        assert tiered.read_ticks(instrument_id) == market.ticks
    window = tiered.read_bars(BTC, ONE_MINUTE, start_ns=MAY_1 + DAY_NS, end_ns=MAY_1 + 3 * DAY_NS)
    assert window == markets[BTC].minute_bars.between(MAY_1 + DAY_NS, MAY_1 + 3 * DAY_NS)


def test_compaction_again_changes_nothing(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> None:
    tiered = filled(hot, tmp_path, markets)
    now = MAY_1 + 4 * DAY_NS
    tiered.compact(now)
    before = tiered.stats()

    again = tiered.compact(now)

    assert (again.bar_rows, again.tick_rows) == (0, 0)
    assert tiered.stats() == before


def test_partitions_are_by_venue_symbol_and_date_and_readable_by_any_parquet_reader(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> None:
    tiered = filled(hot, tmp_path, markets)
    tiered.compact(MAY_1 + 4 * DAY_NS)
    cold = tmp_path / "cold"

    days = sorted(
        p.name for p in (cold / "bars/venue=BINANCE/symbol=BTCUSDT/timeframe=60").iterdir()
    )
    rows = duckdb.sql(
        f"SELECT venue, symbol, count(*) FROM read_parquet('{cold}/ticks/*/*/*/*.parquet', "
        "hive_partitioning = true) GROUP BY ALL ORDER BY ALL"
    ).fetchall()

    assert days == ["date=2024-05-01", "date=2024-05-02"]
    assert [(venue, symbol) for venue, symbol, _ in rows] == [
        ("BINANCE", "BTCUSDT"),
        ("KRX", "005930"),
    ]
    krx_days = sorted(p.name for p in (cold / "ticks/venue=KRX/symbol=005930").iterdir())
    assert krx_days == ["date=2024-05-02"]  # 1 May is a KRX holiday (Labour Day)


def test_a_revision_appended_after_compaction_wins_over_the_archive(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> None:
    tiered = filled(hot, tmp_path, markets)
    tiered.compact(MAY_1 + 4 * DAY_NS)
    original = markets[BTC].minute_bars.bar_at(10)
    revised = msgspec.structs.replace(original, volume=original.volume + 1)

    tiered.append_bars(BarSeries.from_bars([revised]))

    stored = tiered.read_bars(BTC, ONE_MINUTE, start_ns=original.ts_start, end_ns=original.ts_event)
    assert stored.bar_at(0).volume == revised.volume
    assert len(tiered.read_bars(BTC, ONE_MINUTE)) == len(markets[BTC].minute_bars)


def test_stats_show_each_series_in_both_tiers(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> None:
    tiered = filled(hot, tmp_path, markets)
    tiered.compact(MAY_1 + 4 * DAY_NS)

    stats = {(s.kind, str(s.instrument_id)): s for s in tiered.stats()}

    btc_bars = stats[("bars", "BTCUSDT.BINANCE")]
    assert btc_bars.cold_rows == 2 * 1_440
    assert btc_bars.hot_rows == 3 * 1_440
    assert btc_bars.cold_partitions == 2
    assert btc_bars.cold_bytes > 0
    assert btc_bars.first_ts == MAY_1
    listed = {
        (s.kind, str(s.instrument_id)): s.count for s in tiered.list_bars() + tiered.list_ticks()
    }
    assert listed[("bars", "BTCUSDT.BINANCE")] == 5 * 1_440


def test_many_series_appends_store_what_series_appends_store(
    hot: HotStore, tmp_path: Path, markets: dict[InstrumentId, SimulatedMarket]
) -> None:
    bars = [market.minute_bars for market in markets.values()]
    bars += [market.daily_bars for market in markets.values()]
    ticks = [market.ticks for market in markets.values() if market.ticks is not None]

    hot.append_bars_many(bars)  # type: ignore[attr-defined]
    hot.append_ticks_many(ticks)  # type: ignore[attr-defined]
    hot.append_ticks_many(ticks)  # type: ignore[attr-defined]  # again: idempotent

    for series in bars:
        assert hot.read_bars(series.instrument_id, series.timeframe) == series
    for tick_series in ticks:
        assert hot.read_ticks(tick_series.instrument_id) == tick_series
    revised = msgspec.structs.replace(bars[0].bar_at(5), close=bars[0].bar_at(5).high)
    hot.append_bars_many([BarSeries.from_bars([revised])])  # type: ignore[attr-defined]
    stored = hot.read_bars(BTC, ONE_MINUTE)
    assert len(stored) == len(bars[0])
    assert stored.bar_at(5).close == revised.close
