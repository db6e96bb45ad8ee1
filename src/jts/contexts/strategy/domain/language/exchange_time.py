"""Local time at an instrument's exchange, for session filters and the clock fields.

KRX (and NXT) trade in Asia/Seoul; crypto venues use UTC unless the strategy names a zone
(``session ... tz "Asia/Seoul"``). UTC offsets are looked up once per quarter hour, so a
vectorized pass and a bar-by-bar pass get exactly the same local times.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from jts.shared_kernel.clock import NANOS_PER_SECOND

_SEOUL_VENUES = {"KRX", "NXT"}
_BUCKET_NS = 900 * NANOS_PER_SECOND
_MINUTE_NS = 60 * NANOS_PER_SECOND
_DAY_NS = 86_400 * NANOS_PER_SECOND


def exchange_zone(venue: str) -> str:
    """The IANA time zone of ``venue``'s trading day."""
    return "Asia/Seoul" if venue.upper() in _SEOUL_VENUES else "UTC"


@functools.lru_cache(maxsize=1 << 16)
def _bucket_offset_ns(zone: str, bucket: int) -> int:
    moment = datetime.fromtimestamp(bucket * (_BUCKET_NS // NANOS_PER_SECOND), UTC)
    offset = zoneinfo.ZoneInfo(zone).utcoffset(moment)
    return 0 if offset is None else int(offset.total_seconds()) * NANOS_PER_SECOND


def utc_offset_ns(ts_ns: int, zone: str) -> int:
    """The zone's UTC offset at ``ts_ns``, in nanoseconds."""
    return _bucket_offset_ns(zone, ts_ns // _BUCKET_NS)


def utc_offsets_ns(ts_ns: NDArray[np.int64], zone: str) -> NDArray[np.int64]:
    """``utc_offset_ns`` for every element, looking each quarter hour up once."""
    buckets = ts_ns // _BUCKET_NS
    unique, inverse = np.unique(buckets, return_inverse=True)
    table = np.array([_bucket_offset_ns(zone, int(b)) for b in unique], dtype=np.int64)
    return table[inverse]


def clock_value(field: str, local_ns: int) -> float:
    """``time`` (minutes since local midnight), ``hour``, ``minute`` or ``weekday`` (Mon=1)."""
    minutes = (local_ns % _DAY_NS) // _MINUTE_NS
    if field == "time":
        return float(minutes)
    if field == "hour":
        return float(minutes // 60)
    if field == "minute":
        return float(minutes % 60)
    return float((local_ns // _DAY_NS + 3) % 7 + 1)


def clock_values(field: str, local_ns: NDArray[np.int64]) -> NDArray[np.float64]:
    """``clock_value`` over an array of local times."""
    minutes = (local_ns % _DAY_NS) // _MINUTE_NS
    if field == "time":
        return minutes.astype(np.float64)
    if field == "hour":
        return (minutes // 60).astype(np.float64)
    if field == "minute":
        return (minutes % 60).astype(np.float64)
    return ((local_ns // _DAY_NS + 3) % 7 + 1).astype(np.float64)
