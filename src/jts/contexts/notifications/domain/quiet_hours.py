"""Quiet hours: a nightly window, in the user's time zone, when non-critical
notifications stay off the intrusive channels. CRITICAL always goes through.

The window may cross midnight (22:00-07:00 is quiet from 22:00 until 07:00 the next
morning); ``start`` is inside the window, ``end`` is not.
"""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from jts.messages.enums import Severity
from jts.messages.notifications import Channel
from jts.shared_kernel.clock import ns_to_datetime

DEFAULT_TIME_ZONE = "Asia/Seoul"
QUIET_CHANNELS = frozenset({Channel.PUSH, Channel.EMAIL, Channel.SMS})


class QuietHours(msgspec.Struct, frozen=True, kw_only=True):
    start: time
    end: time
    time_zone: str = DEFAULT_TIME_ZONE
    channels: frozenset[Channel] = QUIET_CHANNELS

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError(
                f"quiet hours start and end are both {self.start:%H:%M}; give a window such "
                "as 22:00-07:00, or no quiet hours at all"
            )
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"quiet hours time zone {self.time_zone!r} is unknown; use an IANA name "
                "such as Asia/Seoul"
            ) from None

    def is_quiet(self, ts_ns: int) -> bool:
        """Whether ``ts_ns`` (UNIX ns) falls inside the window, in the user's time zone."""
        local = ns_to_datetime(ts_ns).astimezone(ZoneInfo(self.time_zone)).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def silences(self, channel: Channel, severity: Severity, ts_ns: int) -> bool:
        """Whether a notification of ``severity`` on ``channel`` is held back at ``ts_ns``."""
        return (
            severity is not Severity.CRITICAL and channel in self.channels and self.is_quiet(ts_ns)
        )
