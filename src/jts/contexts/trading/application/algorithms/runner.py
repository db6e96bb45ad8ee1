"""Connects execution algorithms to the OMS, in backtests and live alike.

``AlgorithmRunner`` starts algorithms, sends their commands through the ``OrderManager``
(so every child is an ordinary, write-ahead, reconciled order with ``parent_order_id``),
feeds them the OMS events about their children (wire ``on_event`` into the OMS's
publisher, e.g. with ``fan_out``) and wakes them when their time comes (call ``on_timer``
from the runtime's timer, at ``next_wakeup_ns``). Events that arrive while the runner is
already handling one are queued and handled in order, so a fill that triggers the next
child never recurses.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from jts.contexts.trading.application.algorithms.children import ParentOrder
from jts.contexts.trading.application.oms import OrderManager
from jts.messages.base import Event
from jts.messages.trading import CancelOrder, OrderEvent, SubmitOrder, TradingCommand
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId


class ExecutionAlgorithm(Protocol):
    """A pure scheduler of child orders for one parent order."""

    @property
    def parent(self) -> ParentOrder: ...

    @property
    def done(self) -> bool: ...

    @property
    def next_wakeup_ns(self) -> int | None: ...

    def start(self, now_ns: int) -> list[TradingCommand]: ...

    def on_timer(self, now_ns: int) -> list[TradingCommand]: ...

    def on_event(self, event: OrderEvent, now_ns: int) -> list[TradingCommand]: ...

    def cancel(self, now_ns: int) -> list[TradingCommand]: ...


def fan_out(*publishers: Callable[[Event], Awaitable[None]]) -> Callable[[Event], Awaitable[None]]:
    """One publisher that hands each event to every given one, in order."""

    async def publish(event: Event) -> None:
        for publisher in publishers:
            await publisher(event)

    return publish


class AlgorithmRunner:
    """Runs algorithms against an ``OrderManager``."""

    def __init__(self, oms: OrderManager, *, clock: Clock) -> None:
        self._oms = oms
        self._clock = clock
        self._algorithms: dict[ClientOrderId, ExecutionAlgorithm] = {}
        self._by_child: dict[ClientOrderId, ExecutionAlgorithm] = {}
        self._children: dict[ClientOrderId, list[ClientOrderId]] = {}
        self._inbox: deque[OrderEvent] = deque()
        self._draining = False

    @property
    def active(self) -> list[ExecutionAlgorithm]:
        return list(self._algorithms.values())

    @property
    def next_wakeup_ns(self) -> int | None:
        """The earliest time an active algorithm wants ``on_timer``."""
        times = [a.next_wakeup_ns for a in self._algorithms.values()]
        due = [t for t in times if t is not None]
        return min(due) if due else None

    async def start(self, algorithm: ExecutionAlgorithm) -> None:
        parent_id = algorithm.parent.client_order_id
        if parent_id in self._algorithms:
            raise DataError(f"an algorithm for parent order {parent_id} is already running")
        self._algorithms[parent_id] = algorithm
        await self._send(algorithm, algorithm.start(self._clock.now_ns()))

    async def cancel(self, parent_id: ClientOrderId) -> None:
        """Stop one parent's algorithm and cancel its working children."""
        algorithm = self._algorithms.get(parent_id)
        if algorithm is not None:
            await self._send(algorithm, algorithm.cancel(self._clock.now_ns()))

    async def on_timer(self) -> None:
        now = self._clock.now_ns()
        for algorithm in list(self._algorithms.values()):
            wakeup = algorithm.next_wakeup_ns
            if wakeup is not None and wakeup <= now:
                await self._send(algorithm, algorithm.on_timer(now))

    async def on_event(self, event: Event) -> None:
        """Feed one published event to the algorithm whose child it is about."""
        if not isinstance(event, OrderEvent) or event.client_order_id not in self._by_child:
            return
        self._inbox.append(event)
        if self._draining:
            return
        self._draining = True
        try:
            while self._inbox:
                queued = self._inbox.popleft()
                algorithm = self._by_child.get(queued.client_order_id)
                if algorithm is not None:  # None: its algorithm finished meanwhile
                    now = self._clock.now_ns()
                    await self._send(algorithm, algorithm.on_event(queued, now))
        finally:
            self._draining = False

    async def _send(
        self, algorithm: ExecutionAlgorithm, commands: Sequence[TradingCommand]
    ) -> None:
        parent_id = algorithm.parent.client_order_id
        for command in commands:
            if isinstance(command, SubmitOrder):
                self._by_child[command.client_order_id] = algorithm
                self._children.setdefault(parent_id, []).append(command.client_order_id)
                await self._oms.submit(command)
            elif isinstance(command, CancelOrder):
                await self._oms.cancel(command)
        if algorithm.done and self._algorithms.pop(parent_id, None) is not None:
            for child in self._children.pop(parent_id, []):
                self._by_child.pop(child, None)
