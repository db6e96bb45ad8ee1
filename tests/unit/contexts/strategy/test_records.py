from __future__ import annotations

import hashlib

import pytest

from jts.contexts.strategy.domain.records import StrategyVersion, source_sha256
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import StrategyId


def test_source_hash_is_the_sha256_of_the_utf8_text() -> None:
    source = 'strategy "모멘텀"\n'

    assert source_sha256(source) == hashlib.sha256(source.encode("utf-8")).hexdigest()
    assert source_sha256(source) != source_sha256(source + " ")


def test_versions_start_at_one() -> None:
    with pytest.raises(DataError, match="versions start at 1"):
        StrategyVersion(
            strategy_id=StrategyId("s"),
            version=0,
            source="",
            sha256=source_sha256(""),
            created_ns=1,
            author="kim",
        )
