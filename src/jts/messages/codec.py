"""Encoding and decoding of every routed message, as JSON (people, HTTP, Redis) or
msgpack (compact: Kafka, Redis Streams). Decoding checks the ``type`` tag, rejects unknown
fields and re-runs each message's invariants."""

from __future__ import annotations

from typing import Any, Union

import msgspec

from jts.messages.base import Message
from jts.messages.topics import message_types


class MessageCodec:
    """Encoders and a tagged-union decoder over the message types known when it was built."""

    def __init__(self, types: tuple[type[Message], ...] | None = None) -> None:
        known = types if types is not None else message_types()
        union: Any = Union[known]  # noqa: UP007 - a runtime union of a dynamic tuple
        self._json_encoder = msgspec.json.Encoder(decimal_format="string")
        self._json_decoder: msgspec.json.Decoder[Message] = msgspec.json.Decoder(union)
        self._msgpack_encoder = msgspec.msgpack.Encoder(decimal_format="string")
        self._msgpack_decoder: msgspec.msgpack.Decoder[Message] = msgspec.msgpack.Decoder(union)

    def to_json(self, message: Message) -> bytes:
        return self._json_encoder.encode(message)

    def from_json(self, data: bytes | str) -> Message:
        return self._json_decoder.decode(data)

    def to_msgpack(self, message: Message) -> bytes:
        return self._msgpack_encoder.encode(message)

    def from_msgpack(self, data: bytes) -> Message:
        return self._msgpack_decoder.decode(data)
