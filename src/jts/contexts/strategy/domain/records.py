"""What the strategy context stores: strategies and every version of their source text.

A strategy's source is versioned like a file under version control: each save that changes
the text gets the next version number; saving the same text as the latest version again does
not create a version. ``sha256`` identifies a source text, so two versions with the same
hash hold the same text.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

import msgspec

from jts.shared_kernel.errors import DataError, DomainError
from jts.shared_kernel.identifiers import StrategyId


class StrategyLanguage(StrEnum):
    """The language a strategy's source is written in."""

    JTS = "jts"
    PYTHON = "python"


class StrategyLanguageMismatch(DomainError):
    """A new version was offered in a language other than the strategy's own."""


class StrategyRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A strategy and the number of its latest source version."""

    strategy_id: StrategyId
    name: str
    language: StrategyLanguage
    current_version: int
    created_ns: int
    updated_ns: int


class StrategyVersion(msgspec.Struct, frozen=True, kw_only=True):
    """One saved source text of a strategy; versions count 1, 2, 3 ... per strategy."""

    strategy_id: StrategyId
    version: int
    source: str
    sha256: str
    created_ns: int
    author: str

    def __post_init__(self) -> None:
        if self.version < 1:
            raise DataError(
                f"strategy {self.strategy_id}: version is {self.version}; versions start at 1"
            )


def source_sha256(source: str) -> str:
    """The hex SHA-256 of a source text (UTF-8), the identity used to spot unchanged saves."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()
