from decimal import Decimal

import msgspec
import pytest
from hypothesis import given

from jts.messages.base import Message
from jts.messages.codec import MessageCodec
from jts.messages.topics import message_types
from tests.message_strategies import MESSAGE_STRATEGIES, any_message
from tests.unit.messages.samples import sample_fill

CODEC = MessageCodec()


def test_every_routed_type_has_a_strategy() -> None:
    assert set(MESSAGE_STRATEGIES) == set(message_types())


@given(any_message)
def test_json_round_trip_is_exact(message: Message) -> None:
    assert CODEC.from_json(CODEC.to_json(message)) == message


@given(any_message)
def test_msgpack_round_trip_is_exact(message: Message) -> None:
    assert CODEC.from_msgpack(CODEC.to_msgpack(message)) == message


@given(any_message)
def test_wire_tag_names_context_and_class(message: Message) -> None:
    wire = msgspec.json.decode(CODEC.to_json(message))

    assert wire["type"] == type(message).type_tag()
    context, _, name = wire["type"].partition(".")
    assert name == type(message).__name__
    assert context in {
        "market_data",
        "trading",
        "strategy",
        "risk",
        "portfolio",
        "system",
        "notifications",
    }


def test_decimals_travel_as_strings_and_keep_their_digits() -> None:
    fill = sample_fill(price=Decimal("70100.0"))
    wire = msgspec.json.decode(CODEC.to_json(fill))

    assert wire["last_price"] == "70100.0"
    assert CODEC.from_json(CODEC.to_json(fill)).last_price.as_tuple() == fill.last_price.as_tuple()


def test_unknown_field_and_unknown_type_are_rejected() -> None:
    wire = msgspec.json.decode(CODEC.to_json(sample_fill()))
    with pytest.raises(msgspec.ValidationError, match="unknown field `surprise`"):
        CODEC.from_json(msgspec.json.encode({**wire, "surprise": 1}))
    with pytest.raises(msgspec.ValidationError, match=r"Invalid value 'trading\.Nope'"):
        CODEC.from_json(msgspec.json.encode({**wire, "type": "trading.Nope"}))


def test_decoding_re_checks_invariants() -> None:
    wire = msgspec.json.decode(CODEC.to_json(sample_fill()))
    with pytest.raises(msgspec.ValidationError, match="must both be positive"):
        CODEC.from_json(msgspec.json.encode({**wire, "last_qty": "-1"}))


def test_messages_are_immutable() -> None:
    fill = sample_fill()
    with pytest.raises(AttributeError):
        fill.last_qty = Decimal(2)  # type: ignore[misc]
    changed = msgspec.structs.replace(fill, last_qty=Decimal(2))
    assert changed.last_qty == Decimal(2)
    assert fill.last_qty == Decimal(1)
