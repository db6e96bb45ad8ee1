from decimal import Decimal

from jts.contexts.trading.application.router import SmartOrderRouter
from jts.contexts.trading.domain.routing import NoRoute, RouteDecision
from jts.contexts.trading.domain.venue_reports import BrokerCapabilities
from jts.messages.enums import TimeInForce
from jts.shared_kernel.identifiers import KRX, UPBIT, InstrumentId
from tests.unit.contexts.trading.fakes import order

KIS = BrokerCapabilities(venues=frozenset({KRX}), fee_bps=Decimal("1.5"))
CREON = BrokerCapabilities(venues=frozenset({KRX}), fee_bps=Decimal("1.5"))
UPBIT_CAPS = BrokerCapabilities(venues=frozenset({UPBIT}), fractional_quantity=True)
BITCOIN = InstrumentId.parse("BTC-KRW.UPBIT")


class _Health:
    def __init__(self, *down: str) -> None:
        self.down = set(down)

    def is_healthy(self, broker: str) -> bool:
        return broker not in self.down


class _Headroom:
    def __init__(self, **free: float) -> None:
        self.free = free
        self.asked: list[str] = []

    async def headroom(self, broker: str) -> float:
        self.asked.append(broker)
        return self.free.get(broker, 1.0)


def _router(
    health: _Health | None = None,
    headroom: _Headroom | None = None,
    **brokers: BrokerCapabilities,
) -> SmartOrderRouter:
    table = brokers or {"kis": KIS, "creon": CREON, "upbit": UPBIT_CAPS}
    return SmartOrderRouter(table, health=health or _Health(), headroom=headroom)


async def test_krx_stock_goes_to_the_preferred_krx_broker_with_the_other_as_failover() -> None:
    decision = await _router().route(order())

    assert decision == RouteDecision(broker="kis", alternatives=("creon",))


async def test_lower_fees_beat_preference() -> None:
    cheaper = BrokerCapabilities(venues=frozenset({KRX}), fee_bps=Decimal("0.5"))

    decision = await _router(kis=KIS, creon=cheaper).route(order())

    assert isinstance(decision, RouteDecision)
    assert decision.broker == "creon"


async def test_an_unhealthy_broker_is_skipped() -> None:
    decision = await _router(_Health("kis")).route(order())

    assert decision == RouteDecision(broker="creon")


async def test_a_broker_short_of_rate_limit_headroom_is_used_last() -> None:
    headroom = _Headroom(kis=0.02)

    decision = await _router(headroom=headroom).route(order())

    assert decision == RouteDecision(broker="creon", alternatives=("kis",))
    assert sorted(headroom.asked) == ["creon", "kis"]  # upbit cannot take a KRX stock


async def test_when_every_broker_is_short_of_headroom_the_roomier_one_wins() -> None:
    decision = await _router(headroom=_Headroom(kis=0.01, creon=0.05)).route(order())

    assert decision == RouteDecision(broker="creon", alternatives=("kis",))


async def test_with_enough_headroom_preference_decides_not_the_amount() -> None:
    decision = await _router(headroom=_Headroom(kis=0.3, creon=0.9)).route(order())

    assert decision == RouteDecision(broker="kis", alternatives=("creon",))


async def test_a_pinned_order_goes_to_its_broker_only() -> None:
    decision = await _router().route(order(broker="creon"))

    assert decision == RouteDecision(broker="creon")


async def test_a_pinned_order_to_an_unhealthy_broker_has_no_route() -> None:
    decision = await _router(_Health("creon")).route(order(broker="creon"))

    assert isinstance(decision, NoRoute)
    assert decision.reasons == {"creon": "unhealthy (circuit open or session down)"}


async def test_no_route_explains_each_broker() -> None:
    command = order(instrument=BITCOIN, quantity="0.5", price="90000000")

    decision = await _router(kis=KIS, upbit=BrokerCapabilities(venues=frozenset({UPBIT}))).route(
        command
    )

    assert isinstance(decision, NoRoute)
    assert decision.reasons == {
        "kis": "does not trade on UPBIT",
        "upbit": "takes whole quantities only, not 0.5",
    }
    assert decision.describe(command).startswith("no broker can take LIMIT BTC-KRW.UPBIT: kis:")


async def test_unsupported_time_in_force_is_a_reason() -> None:
    day_only = BrokerCapabilities(
        venues=frozenset({KRX}), time_in_force=frozenset({TimeInForce.DAY})
    )

    decision = await _router(kis=day_only).route(order())

    assert isinstance(decision, NoRoute)
    assert decision.reasons == {"kis": "does not support time in force GTC"}


async def test_excluded_brokers_are_named_as_already_tried() -> None:
    decision = await _router(kis=KIS).route(order(), exclude={"kis"})

    assert isinstance(decision, NoRoute)
    assert decision.reasons == {"kis": "already tried for this order"}
