from decimal import Decimal

import msgspec
import pytest

from jts.shared_kernel.identifiers import InstrumentId, Venue
from jts.shared_kernel.venues import upbit
from jts.shared_kernel.venues.catalog import BINANCE_EXCHANGE_INFO, default_registry
from jts.shared_kernel.venues.errors import UnknownInstrument
from jts.shared_kernel.venues.fees import FeeSchedule
from jts.shared_kernel.venues.instruments import (
    Instrument,
    InstrumentRegistry,
    binance_instrument,
    krx_instrument,
    upbit_instrument,
)
from jts.shared_kernel.venues.krx import KrxRules
from jts.shared_kernel.venues.types import AssetClass, MarketSegment

D = Decimal

BUILTIN = {
    "005930.KRX": ("Samsung Electronics", AssetClass.EQUITY, MarketSegment.KOSPI, "KRW"),
    "000660.KRX": ("SK hynix", AssetClass.EQUITY, MarketSegment.KOSPI, "KRW"),
    "035420.KRX": ("NAVER", AssetClass.EQUITY, MarketSegment.KOSPI, "KRW"),
    "069500.KRX": ("KODEX 200", AssetClass.ETF, MarketSegment.ETF, "KRW"),
    "BTC-KRW.UPBIT": ("Bitcoin", AssetClass.CRYPTO, None, "KRW"),
    "ETH-KRW.UPBIT": ("Ethereum", AssetClass.CRYPTO, None, "KRW"),
    "BTCUSDT.BINANCE": ("BTC/USDT", AssetClass.CRYPTO, None, "USDT"),
    "ETHUSDT.BINANCE": ("ETH/USDT", AssetClass.CRYPTO, None, "USDT"),
}


@pytest.mark.parametrize("text", sorted(BUILTIN))
def test_builtin_specs_by_id(text: str) -> None:
    name, asset_class, segment, quote = BUILTIN[text]

    spec = default_registry().get(text)

    assert str(spec.id) == text
    assert (spec.name, spec.asset_class, spec.segment, spec.quote_currency) == (
        name,
        asset_class,
        segment,
        quote,
    )


def test_venue_specific_defaults() -> None:
    registry = default_registry()
    samsung = registry.get("005930.KRX")
    btc_krw = registry.get(InstrumentId("BTC-KRW", Venue("UPBIT")))
    btc_usdt = registry.get("btcusdt.binance")

    assert (samsung.lot_size, samsung.min_notional, samsung.calendar_id) == (D(1), D(0), "XKRX")
    assert samsung.fees.taker_rate == D("0.00015")
    assert (btc_krw.min_notional, btc_krw.lot_size, btc_krw.calendar_id) == (
        D(5000),
        D("0.00000001"),
        "24/7",
    )
    assert (btc_usdt.min_quantity, btc_usdt.lot_size, btc_usdt.min_notional) == (
        D("0.00001"),
        D("0.00001"),
        D(5),
    )


def test_registry_fees_are_configurable() -> None:
    registry = default_registry(krx_commission_rate=D("0.00004"), upbit_fee_rate=D("0.0004"))

    assert registry.get("000660.KRX").fees.maker_rate == D("0.00004")
    assert registry.get("ETH-KRW.UPBIT").fees.taker_rate == D("0.0004")


def test_unknown_ids_say_what_is_registered() -> None:
    with pytest.raises(UnknownInstrument, match=r"no instrument spec for 999999\.KRX.*005930\.KRX"):
        default_registry().get("999999.KRX")


def test_register_refuses_silent_replacement() -> None:
    registry = InstrumentRegistry()
    kakao = krx_instrument("035720", name="Kakao", segment=MarketSegment.KOSPI)

    registry.register(kakao)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(kakao)
    registry.register(msgspec.structs.replace(kakao, name="KAKAO"), replace=True)

    assert registry.get("035720.KRX").name == "KAKAO"
    assert "035720.KRX" in registry
    assert InstrumentId("035720", Venue("KRX")) in registry
    assert len(registry) == 1
    assert [i.name for i in registry] == ["KAKAO"]


def test_upbit_pairs_outside_krw_need_explicit_fees() -> None:
    with pytest.raises(ValueError, match="BTC market fees are not researched"):
        upbit_instrument("ETH", "BTC")

    eth_btc = upbit_instrument(
        "ETH", "BTC", fees=FeeSchedule(maker_rate=D("0.0025"), taker_rate=D("0.0025"))
    )

    assert str(eth_btc.id) == "ETH-BTC.UPBIT"
    assert eth_btc.min_notional == upbit.BTC_MIN_TOTAL


def test_inconsistent_specs_are_refused() -> None:
    samsung = default_registry().get("005930.KRX")

    with pytest.raises(ValueError, match="needs its market segment"):
        msgspec.structs.replace(samsung, segment=None)
    with pytest.raises(ValueError, match="lot_size must be positive"):
        msgspec.structs.replace(samsung, lot_size=D(0))
    assert isinstance(samsung.venue_rules, KrxRules)


def test_binance_spec_needs_a_tick_and_step() -> None:
    info = msgspec.json.decode(msgspec.json.encode(BINANCE_EXCHANGE_INFO["BTCUSDT"]))
    info["filters"][0]["tickSize"] = "0.00000000"

    with pytest.raises(ValueError, match="tickSize and stepSize must be positive"):
        binance_instrument(info)


def test_specs_round_trip_through_json() -> None:
    for spec in default_registry():
        decoded = msgspec.json.decode(msgspec.json.encode(spec), type=Instrument)

        assert decoded == spec
