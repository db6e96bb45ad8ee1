"""The console notifier prints one readable, severity-coloured line per notification."""

from __future__ import annotations

import io
import uuid

import pytest
from rich.console import Console

from jts.adapters.notifiers.console import SEVERITY_STYLES, ConsoleNotifier, console_line
from jts.adapters.notifiers.memory import MemoryNotifier
from jts.contexts.notifications.application.ports import Notifier
from jts.contexts.notifications.domain.model import Notification
from jts.messages.enums import Severity
from jts.messages.notifications import Category
from jts.shared_kernel.clock import NANOS_PER_SECOND

AT_0915_KST = 1_735_776_900 * NANOS_PER_SECOND  # 2025-01-02 00:15:00 UTC


def _notification(severity: Severity = Severity.INFO, repeats: int = 1) -> Notification:
    return Notification(
        id=uuid.UUID(int=1),
        correlation_id=uuid.UUID(int=1),
        ts_ns=AT_0915_KST,
        severity=severity,
        category=Category.FILL,
        title="Filled BUY 10 삼성전자 (005930.KRX)",
        body="10 @ 71,500 KRW = 715,000 KRW, fees 107 KRW (golden_cross, order JTS-1)",
        dedup_key="fill:JTS-1:T1",
        repeats=repeats,
    )


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=80, force_terminal=False, color_system=None), out


async def test_one_line_per_notification_in_seoul_time_even_on_a_narrow_terminal() -> None:
    console, out = _console()
    notifier = ConsoleNotifier(console)

    await notifier.send(_notification())
    await notifier.send(_notification(Severity.WARNING, repeats=3))

    assert out.getvalue().splitlines() == [
        "2025-01-02 09:15:00 KST  INFO      FILL    Filled BUY 10 삼성전자 (005930.KRX): "
        "10 @ 71,500 KRW = 715,000 KRW, fees 107 KRW (golden_cross, order JTS-1)",
        "2025-01-02 09:15:00 KST  WARNING   FILL    Filled BUY 10 삼성전자 (005930.KRX) (x3): "
        "10 @ 71,500 KRW = 715,000 KRW, fees 107 KRW (golden_cross, order JTS-1)",
    ]


@pytest.mark.parametrize("severity", list(Severity))
def test_severity_is_coloured(severity: Severity) -> None:
    line = console_line(_notification(severity), ConsoleNotifier().zone)

    styles = {str(span.style) for span in line.spans}
    assert SEVERITY_STYLES[severity] in styles


async def test_quiet_console_keeps_recent_lines_for_a_dashboard_without_printing() -> None:
    console, out = _console()
    notifier = ConsoleNotifier(console, quiet=True, keep=2)

    for _ in range(3):
        await notifier.send(_notification())

    assert out.getvalue() == ""
    assert len(notifier.recent) == 2
    assert notifier.recent[-1].plain.startswith("2025-01-02 09:15:00 KST  INFO")


async def test_both_notifiers_satisfy_the_port() -> None:
    console, out = _console()
    memory = MemoryNotifier()
    notifiers: list[Notifier] = [ConsoleNotifier(console), memory]

    for notifier in notifiers:
        await notifier.send(_notification())

    assert memory.sent == [_notification()]
    assert len(out.getvalue().splitlines()) == 1


async def test_memory_notifier_can_fail_on_demand() -> None:
    memory = MemoryNotifier(fail_with=ConnectionError("down"))

    with pytest.raises(ConnectionError):
        await memory.send(_notification())
    assert memory.sent == []
