"""The kill switch's transitions: engage, release, idempotency, the first reason kept."""

from __future__ import annotations

import pytest

from jts.contexts.risk.application.kill_switch import (
    KillSwitch,
    KillSwitchSource,
    KillSwitchState,
    MemoryKillSwitchStore,
    source_of_rule,
)
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import DomainError


def switch_at(ts_ns: int = 1_000) -> tuple[KillSwitch, MemoryKillSwitchStore, TestClock]:
    store = MemoryKillSwitchStore()
    clock = TestClock(ts_ns)
    return KillSwitch(store, clock=clock), store, clock


def test_an_account_never_switched_is_released() -> None:
    switch, store, _ = switch_at()

    assert switch.state("paper") == KillSwitchState(account_id="paper")
    assert store.states == {}


def test_engaging_saves_source_reason_who_and_when() -> None:
    switch, store, _ = switch_at(5_000)

    change = switch.engage(
        "paper", source=KillSwitchSource.MANUAL, reason="broker outage", by="kim"
    )

    assert change.changed
    assert store.states["paper"] == change.state
    assert change.state.engaged
    assert change.state.source is KillSwitchSource.MANUAL
    assert (change.state.reason, change.state.engaged_by) == ("broker outage", "kim")
    assert change.state.engaged_at_ns == 5_000
    assert change.summary == "kill switch of paper engaged (manual): broker outage"


def test_killing_twice_keeps_the_first_reason_and_says_already_engaged() -> None:
    switch, store, clock = switch_at()
    first = switch.engage("paper", source=KillSwitchSource.DRAWDOWN, reason="dd 12%", by="guard")
    clock.advance_ns(10)

    again = switch.engage("paper", source=KillSwitchSource.MANUAL, reason="second", by="kim")

    assert not again.changed
    assert again.state == first.state
    assert store.states["paper"].reason == "dd 12%"
    assert again.summary == "kill switch of paper already engaged (drawdown): dd 12%"


def test_release_records_who_and_why_and_keeps_the_engagement_history() -> None:
    switch, store, clock = switch_at(100)
    switch.engage("paper", source=KillSwitchSource.DAILY_LOSS, reason="day -3%", by="guard")
    clock.advance_ns(50)

    change = switch.release("paper", reason="reviewed", by="lee")

    assert change.changed
    state = store.states["paper"]
    assert not state.engaged
    assert (state.released_by, state.release_reason, state.released_at_ns) == (
        "lee",
        "reviewed",
        150,
    )
    assert (state.source, state.reason, state.engaged_at_ns) == (
        KillSwitchSource.DAILY_LOSS,
        "day -3%",
        100,
    )
    assert change.summary == "kill switch of paper released by lee: reviewed"


def test_releasing_a_released_switch_changes_nothing() -> None:
    switch, store, _ = switch_at()

    change = switch.release("paper", reason="just in case", by="lee")

    assert not change.changed
    assert store.states == {}
    assert "not engaged" in change.summary


def test_a_released_switch_engages_again_with_the_new_reason() -> None:
    switch, _, clock = switch_at()
    switch.engage("paper", source=KillSwitchSource.MANUAL, reason="one", by="kim")
    switch.release("paper", reason="ok", by="kim")
    clock.advance_ns(1)

    change = switch.engage("paper", source=KillSwitchSource.MANUAL, reason="two", by="kim")

    assert change.changed
    assert change.state.reason == "two"
    assert change.state.released_at_ns is None


def test_accounts_are_switched_separately() -> None:
    switch, _, _ = switch_at()

    switch.engage("a", source=KillSwitchSource.MANUAL, reason="only a", by="kim")

    assert switch.state("a").engaged
    assert not switch.state("b").engaged


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_switch_needs_a_reason(reason: str) -> None:
    switch, store, _ = switch_at()

    with pytest.raises(DomainError, match="needs a reason"):
        switch.engage("paper", source=KillSwitchSource.MANUAL, reason=reason, by="kim")

    assert store.states == {}


def test_the_drawdown_monitor_rules_name_their_source() -> None:
    assert source_of_rule("drawdown") is KillSwitchSource.DRAWDOWN
    assert source_of_rule("daily_loss") is KillSwitchSource.DAILY_LOSS
    assert source_of_rule("manual") is KillSwitchSource.MANUAL
    assert source_of_rule("something_new") is KillSwitchSource.DRAWDOWN
