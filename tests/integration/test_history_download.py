"""Historical candle downloads from Binance and Upbit, against their recorded public REST
responses (tests/data/<venue>/) served by ``httpx.MockTransport``: paging, exact values,
rate-limit bookkeeping and the errors a user sees (no network, rate limited, bad symbol)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from jts.adapters.brokers.binance.constants import RATE_LIMIT_POLICY as BINANCE_POLICY
from jts.adapters.brokers.binance.history import BinanceCandles
from jts.adapters.brokers.upbit.constants import RATE_LIMIT_POLICY as UPBIT_POLICY
from jts.adapters.brokers.upbit.history import UpbitCandles, candle_path
from jts.adapters.feeds.rest import NetworkUnavailable
from jts.adapters.ratelimit.inprocess import InProcessRateLimiter
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock
from jts.shared_kernel.errors import PermanentVenueError, RateLimited
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.timeframes import Timeframe

DATA = Path(__file__).resolve().parents[1] / "data"
BTCUSDT = InstrumentId.parse("BTCUSDT.BINANCE")
BTC_KRW = InstrumentId.parse("BTC-KRW.UPBIT")
ONE_MINUTE = Timeframe.parse("1m")
MAY_3 = 1_714_694_400 * NANOS_PER_SECOND  # 2024-05-03 00:00 UTC
MINUTE = 60 * NANOS_PER_SECOND
Handler = Callable[[httpx.Request], httpx.Response]


def recorded(venue: str, name: str, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=(DATA / venue / name).read_bytes(), headers=headers)


def client(handler: Handler, base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url=base_url)


def binance(handler: Handler, page_limit: int = 3) -> tuple[BinanceCandles, InProcessRateLimiter]:
    clock = TestClock(MAY_3)
    limiter = InProcessRateLimiter(BINANCE_POLICY, clock=clock)
    http = client(handler, "https://data-api.binance.vision")
    return BinanceCandles(http, limiter, clock=clock, page_limit=page_limit), limiter


def upbit(handler: Handler, page_limit: int = 3) -> tuple[UpbitCandles, InProcessRateLimiter]:
    clock = TestClock(MAY_3)
    limiter = InProcessRateLimiter(UPBIT_POLICY, clock=clock)
    http = client(handler, "https://api.upbit.com")
    return UpbitCandles(http, limiter, clock=clock, page_limit=page_limit), limiter


async def test_binance_klines_are_paged_forward_and_exact() -> None:
    requests: list[httpx.Request] = []

    def serve(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        page = {"1714694400000": "page1", "1714694580000": "page2"}[request.url.params["startTime"]]
        return recorded(
            "binance", f"klines_btcusdt_1m_{page}.json", **{"X-MBX-USED-WEIGHT-1M": "4"}
        )

    candles, limiter = binance(serve)
    bars = await candles.fetch(BTCUSDT, ONE_MINUTE, MAY_3, MAY_3 + 10 * MINUTE)

    assert [r.url.path for r in requests] == ["/api/v3/klines"] * 2
    assert dict(requests[0].url.params) == {
        "symbol": "BTCUSDT", "interval": "1m", "startTime": "1714694400000",
        "endTime": "1714694999999", "limit": "3",
    }  # fmt: skip
    assert len(bars) == 5
    assert bars.ts_start.tolist() == [MAY_3 + i * MINUTE for i in range(5)]
    assert bars.ts_event.tolist() == [MAY_3 + (i + 1) * MINUTE for i in range(5)]
    first = bars.bar_at(0)
    assert (first.open, first.high, first.low, first.close, first.volume) == (
        Decimal("63150.00"), Decimal("63188.00"), Decimal("63120.10"), Decimal("63170.55"),
        Decimal("21.53911"),
    )  # fmt: skip
    assert (bars.price_scale, bars.volume_scale) == (2, 5)  # trimmed from Binance's 8
    headroom = await limiter.headroom("public")
    assert headroom["REQUEST_WEIGHT"] < 1.0


async def test_binance_range_end_cuts_the_last_page() -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        return recorded("binance", "klines_btcusdt_1m_page1.json")

    candles, _ = binance(serve, page_limit=1000)
    bars = await candles.fetch(BTCUSDT, ONE_MINUTE, MAY_3, MAY_3 + 2 * MINUTE)

    assert len(bars) == 2


async def test_upbit_candles_are_paged_backwards_newest_first() -> None:
    seen: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["to"])
        page = {"2024-05-03T00:05:00Z": "page1", "2024-05-03T00:02:00Z": "page2"}[seen[-1]]
        return recorded("upbit", f"candles_minutes_1_{page}.json",
                        **{"Remaining-Req": "group=candle; min=600; sec=9"})  # fmt: skip

    candles, limiter = upbit(serve)
    bars = await candles.fetch(BTC_KRW, ONE_MINUTE, MAY_3, MAY_3 + 5 * MINUTE)

    assert seen == ["2024-05-03T00:05:00Z", "2024-05-03T00:02:00Z"]
    assert bars.ts_start.tolist() == [MAY_3 + i * MINUTE for i in range(5)]
    third = bars.bar_at(2)
    assert (third.open, third.high, third.low, third.close, third.volume) == (
        Decimal("87090000"), Decimal("87090000"), Decimal("86950000"), Decimal("86960000"),
        Decimal("2.05"),
    )  # fmt: skip
    assert bars.bar_at(3).volume == Decimal("0.31415926")
    assert (await limiter.headroom("public"))["candle"] < 1.0


async def test_upbit_days_and_their_paths() -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/candles/days"
        return recorded("upbit", "candles_days.json")

    candles, _ = upbit(serve, page_limit=200)
    bars = await candles.fetch(
        BTC_KRW, Timeframe.parse("1d"), MAY_3 - 2 * 86_400 * NANOS_PER_SECOND, MAY_3
    )

    assert bars.ts_start.tolist() == [
        MAY_3 - 2 * 86_400 * NANOS_PER_SECOND,
        MAY_3 - 86_400 * NANOS_PER_SECOND,
    ]
    assert bars.bar_at(1).volume == Decimal(500)
    assert candle_path(Timeframe.parse("4h"))[0] == "/v1/candles/minutes/240"
    with pytest.raises(ValueError, match="no 2h candles"):
        candle_path(Timeframe.parse("2h"))


async def test_no_network_says_so() -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    candles, _ = binance(unreachable)

    with pytest.raises(
        NetworkUnavailable, match=r"cannot reach data-api\.binance\.vision.*check the network"
    ):
        await candles.fetch(BTCUSDT, ONE_MINUTE, MAY_3, MAY_3 + MINUTE)


async def test_rate_limited_responses_block_the_limiter_and_say_when_to_retry() -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return recorded("binance", "error_too_many_requests.json", 429, **{"Retry-After": "7"})

    candles, limiter = binance(limited)

    with pytest.raises(RateLimited) as raised:
        await candles.fetch(BTCUSDT, ONE_MINUTE, MAY_3, MAY_3 + MINUTE)
    assert raised.value.retry_after_s == 7.0
    assert (await limiter.headroom("public"))["REQUEST_WEIGHT"] == 0.0


async def test_a_bad_symbol_is_a_permanent_error_with_the_venue_message() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return recorded("binance", "error_invalid_symbol.json", 400)

    candles, _ = binance(refuse)

    with pytest.raises(PermanentVenueError, match="Invalid symbol") as raised:
        await candles.fetch(BTCUSDT, ONE_MINUTE, MAY_3, MAY_3 + MINUTE)
    assert raised.value.code == "-1121"


async def test_upbit_errors_carry_their_name() -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return recorded("upbit", "error_too_many_requests.json", 429)

    candles, _ = upbit(limited)

    with pytest.raises(RateLimited, match="요청 수 제한"):
        await candles.fetch(BTC_KRW, ONE_MINUTE, MAY_3, MAY_3 + MINUTE)


async def test_an_empty_range_gives_an_empty_series() -> None:
    candles, _ = binance(lambda request: recorded("binance", "klines_empty.json"))

    bars = await candles.fetch(BTCUSDT, ONE_MINUTE, MAY_3, MAY_3 + MINUTE)

    assert len(bars) == 0
