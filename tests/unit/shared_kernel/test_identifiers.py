import msgspec
import pytest

from jts.shared_kernel.errors import DomainError, InvalidInstrumentId
from jts.shared_kernel.identifiers import InstrumentId, Venue, new_client_order_id


@pytest.mark.parametrize(
    ("text", "symbol", "venue"),
    [
        ("005930.KRX", "005930", "KRX"),
        ("BTC-KRW.UPBIT", "BTC-KRW", "UPBIT"),
        ("BTCUSDT.BINANCE", "BTCUSDT", "BINANCE"),
        (" btcusdt.binance ", "BTCUSDT", "BINANCE"),
    ],
)
def test_parse_and_render_round_trip(text: str, symbol: str, venue: str) -> None:
    instrument = InstrumentId.parse(text)

    assert instrument == InstrumentId(symbol, Venue(venue))
    assert str(instrument) == f"{symbol}.{venue}"


@pytest.mark.parametrize("text", ["005930", ".KRX", "005930.", "", "a b.KRX"])
def test_malformed_instrument_id_says_the_expected_form(text: str) -> None:
    with pytest.raises(InvalidInstrumentId, match=r"SYMBOL\.VENUE|upper-case"):
        InstrumentId.parse(text)


def test_invalid_instrument_id_is_a_domain_error() -> None:
    assert issubclass(InvalidInstrumentId, DomainError)


def test_instrument_id_is_hashable_ordered_and_encodes() -> None:
    a, b = InstrumentId.parse("000660.KRX"), InstrumentId.parse("005930.KRX")

    assert sorted([b, a]) == [a, b]
    assert len({a, InstrumentId.parse("000660.KRX")}) == 1
    assert msgspec.json.decode(msgspec.json.encode(a), type=InstrumentId) == a


def test_client_order_ids_are_unique_and_short_enough_for_binance() -> None:
    ids = {new_client_order_id() for _ in range(1000)}

    assert len(ids) == 1000
    assert all(len(i) <= 36 for i in ids)
