from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.risk.domain.drawdown import (
    KST_OFFSET_S,
    DrawdownLimits,
    DrawdownMonitor,
    DrawdownRecovered,
    DrawdownState,
    DrawdownWarning,
    KillSwitchDecision,
    fixed_offset_day_key,
)
from jts.shared_kernel.errors import DataError

D = Decimal
HOUR_NS = 3600 * 10**9
# 2024-01-02 00:00 UTC = 09:00 KST.
DAY1_0900_KST = 1_704_153_600 * 10**9


def _monitor(**limits: Decimal) -> DrawdownMonitor:
    settings = {"max_drawdown": D("0.2"), "warning_drawdown": D("0.1"), **limits}
    return DrawdownMonitor(DrawdownLimits(**settings), day_key=fixed_offset_day_key(KST_OFFSET_S))


def test_kst_day_key_turns_at_local_midnight() -> None:
    day_key = fixed_offset_day_key(KST_OFFSET_S)

    before = day_key(DAY1_0900_KST + 14 * HOUR_NS)  # 23:00 KST
    after = day_key(DAY1_0900_KST + 15 * HOUR_NS)  # 00:00 KST next day

    assert after == before + 1


def test_normal_warning_breach_and_latching() -> None:
    monitor = _monitor()
    t = DAY1_0900_KST

    assert monitor.update(t, D(100)) is None
    assert monitor.update(t + 1, D(120)) is None
    warning = monitor.update(t + 2, D(106))  # 11.67% below the 120 peak
    again = monitor.update(t + 3, D(105))
    breach = monitor.update(t + 4, D(96))  # 20% below the peak
    latched = [monitor.update(t + 5, D(130)), monitor.update(t + 6, D(50))]

    assert isinstance(warning, DrawdownWarning)
    assert warning.rule == "drawdown"
    assert warning.limit == D("0.1")
    assert again is None
    assert isinstance(breach, KillSwitchDecision)
    assert breach.rule == "drawdown"
    assert breach.value == D("0.2")
    assert breach.snapshot.peak == 120
    assert breach.snapshot.equity == 96
    assert breach.snapshot.state is DrawdownState.BREACHED
    assert "20.00% reached limit 20.00%" in breach.reason
    assert latched == [None, None]
    assert monitor.state is DrawdownState.BREACHED
    snapshot = monitor.snapshot
    assert snapshot is not None
    assert snapshot.max_drawdown == D(80) / D(130)


def test_warning_recovers_to_normal() -> None:
    monitor = _monitor()
    monitor.update(DAY1_0900_KST, D(100))

    warning = monitor.update(DAY1_0900_KST + 1, D(89))
    recovered = monitor.update(DAY1_0900_KST + 2, D(95))

    assert isinstance(warning, DrawdownWarning)
    assert isinstance(recovered, DrawdownRecovered)
    assert recovered.snapshot.state is DrawdownState.NORMAL
    assert monitor.state is DrawdownState.NORMAL


def test_daily_loss_is_measured_from_the_local_day_open() -> None:
    monitor = _monitor(max_daily_loss=D("0.05"), max_drawdown=D("0.5"), warning_drawdown=D("0.4"))
    t = DAY1_0900_KST

    monitor.update(t, D(1000))
    assert monitor.update(t + 6 * HOUR_NS, D(960)) is None  # -4% on day 1
    assert monitor.update(t + 24 * HOUR_NS, D(930)) is None  # day 2 opens at 930
    breach = monitor.update(t + 25 * HOUR_NS, D(883))  # -5.05% on day 2

    assert isinstance(breach, KillSwitchDecision)
    assert breach.rule == "daily_loss"
    assert breach.snapshot.day_open == 930
    assert breach.value == (D(930) - D(883)) / D(930)


def test_reset_with_rebase_restarts_from_the_current_equity() -> None:
    monitor = _monitor()
    monitor.update(DAY1_0900_KST, D(100))
    monitor.update(DAY1_0900_KST + 1, D(75))

    monitor.reset()
    after = monitor.update(DAY1_0900_KST + 2, D(74))

    assert after is None
    assert monitor.state is DrawdownState.NORMAL
    snapshot = monitor.snapshot
    assert snapshot is not None
    assert snapshot.peak == 75
    assert snapshot.max_drawdown == D("0.25")  # the worst so far survives the rebase


def test_reset_without_rebase_breaches_again_on_the_next_update() -> None:
    monitor = _monitor()
    monitor.update(DAY1_0900_KST, D(100))
    monitor.update(DAY1_0900_KST + 1, D(75))

    monitor.reset(rebase=False)

    assert isinstance(monitor.update(DAY1_0900_KST + 2, D(76)), KillSwitchDecision)


def test_manual_trip_latches_with_the_numbers() -> None:
    monitor = _monitor()
    monitor.update(DAY1_0900_KST, D(100))
    monitor.update(DAY1_0900_KST + 1, D(97))

    decision = monitor.trip("operator: venue outage")

    assert decision.rule == "manual"
    assert decision.value == D("0.03")
    assert decision.reason == "operator: venue outage"
    assert monitor.state is DrawdownState.BREACHED
    assert monitor.update(DAY1_0900_KST + 2, D(101)) is None


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"max_drawdown": D(0)}, "max_drawdown is 0"),
        ({"max_drawdown": D("0.2"), "warning_drawdown": D("0.3")}, "warning must come before"),
        ({"max_drawdown": D("0.2"), "warning_daily_loss": D("0.01")}, "max_daily_loss"),
    ],
)
def test_bad_limits_are_refused(limits: dict[str, Decimal], message: str) -> None:
    with pytest.raises(DataError, match=message):
        DrawdownLimits(**limits)


def test_bad_equity_stream_is_refused() -> None:
    monitor = _monitor()
    with pytest.raises(DataError, match="positive start"):
        monitor.update(DAY1_0900_KST, D(0))
    with pytest.raises(DataError, match="one equity update"):
        monitor.trip("now")
    monitor.update(DAY1_0900_KST, D(100))
    with pytest.raises(DataError, match="time order"):
        monitor.update(DAY1_0900_KST - 1, D(100))
    with pytest.raises(DataError, match="finite"):
        monitor.update(DAY1_0900_KST, D("NaN"))


_EQUITIES = st.lists(st.integers(1, 10_000).map(Decimal), min_size=1, max_size=80)


@given(equities=_EQUITIES)
def test_breach_happens_once_exactly_when_drawdown_first_reaches_the_limit(
    equities: list[Decimal],
) -> None:
    monitor = _monitor()
    peak, expected_breach = D(0), None
    for i, equity in enumerate(equities):
        peak = max(peak, equity)
        if expected_breach is None and (peak - equity) / peak >= D("0.2"):
            expected_breach = i

    decisions = [monitor.update(DAY1_0900_KST + i, e) for i, e in enumerate(equities)]

    kills = [i for i, d in enumerate(decisions) if isinstance(d, KillSwitchDecision)]
    assert kills == ([] if expected_breach is None else [expected_breach])
    snapshot = monitor.snapshot
    assert snapshot is not None
    assert 0 <= snapshot.drawdown <= snapshot.max_drawdown < 1
