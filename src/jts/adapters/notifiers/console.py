"""The console notifier: one readable line per notification, coloured by severity.

``2025-01-02 09:15:03 KST  INFO      FILL    Filled BUY 10 Samsung Electronics (005930.KRX):
10 @ 71,500 KRW = 715,000 KRW, fees 107 KRW (golden_cross, order JTS-1)`` (on one line).
The time is the event's, in the user's time zone. ``recent`` keeps the latest lines for a
dashboard panel; with ``quiet=True`` nothing is printed and only ``recent`` fills up.
"""

from __future__ import annotations

from collections import deque
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from jts.contexts.notifications.domain.model import Notification
from jts.messages.enums import Severity
from jts.shared_kernel.clock import ns_to_datetime

SEVERITY_STYLES = {
    Severity.INFO: "cyan",
    Severity.WARNING: "bold yellow",
    Severity.CRITICAL: "bold white on red",
}


def console_line(notification: Notification, zone: ZoneInfo) -> Text:
    """The notification as one styled line."""
    local = ns_to_datetime(notification.ts_ns).astimezone(zone)
    style = SEVERITY_STYLES[notification.severity]
    return Text.assemble(
        (f"{local:%Y-%m-%d %H:%M:%S %Z}  ", "dim"),
        (f"{notification.severity.value:<8}", style),
        "  ",
        (f"{notification.category.value:<6}", "bold"),
        "  ",
        (notification.headline(), style if notification.severity is not Severity.INFO else ""),
        f": {notification.body}",
    )


class ConsoleNotifier:
    """Prints notifications on a rich ``Console`` (stdout by default)."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        time_zone: str = "Asia/Seoul",
        quiet: bool = False,
        keep: int = 12,
    ) -> None:
        self._console = console if console is not None else Console()
        self.zone = ZoneInfo(time_zone)
        self._quiet = quiet
        self.recent: deque[Text] = deque(maxlen=keep)

    async def send(self, notification: Notification) -> None:
        line = console_line(notification, self.zone)
        self.recent.append(line)
        if not self._quiet:
            self._console.print(line, highlight=False, soft_wrap=True)
