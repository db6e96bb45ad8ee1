"""Crash test: SIGKILL a paper-trading process at random moments, restart, lose nothing.

A child process (``tests.acceptance.paper_process``) runs the OMS against the paper broker
with SQLite stores and trades as fast as it can. The test kills it with SIGKILL at seeded
random moments -- some during start-up and recovery, most while trading, after a random
number of new orders -- ``KILLS`` times. After each kill it recovers the same stores
in-process (the start-up path every restarted node takes: load the paper account, then
``Reconciler.reconcile_all``) and checks:

- no order lost: every order the process recorded an intent for is in the OMS store (but
  the one the kill may have cut off between the intent and its first commit), every order
  the broker holds is in the OMS store, and every OMS order that reached the broker agrees
  with it on status, filled quantity and venue order id;
- none sent twice: the broker's persisted order list has one order per client order id,
  every one an intended order, with distinct venue order ids;
- every fill counted once: the OMS's fills are exactly the broker's, by trade id;
- positions and cash computed from the OMS's fills equal the paper broker's balances.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from jts.adapters.sql.unit_of_work import SqlUnitOfWork
from jts.contexts.trading.domain.records import FillRecord, OrderRecord
from jts.messages.enums import OrderSide, OrderStatus
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from tests.acceptance.paper_process import (
    ACCOUNT,
    BITCOIN,
    INITIAL_BALANCES,
    SAMSUNG,
    Node,
    build_node,
    prepare,
)

pytestmark = pytest.mark.slow

SEED = 20_260_101
KILLS = 24
REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120.0


async def test_sigkill_at_random_moments_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    prepare(tmp_path)
    kills: Counter[str] = Counter()
    final: Counter[str] = Counter()

    for run in range(1, KILLS + 1):
        kills[await _run_and_kill(tmp_path, run, rng)] += 1
        final = await _recover_and_check(tmp_path)

    assert kills["during start-up"] + kills["while trading"] == KILLS
    assert kills["while trading"] >= KILLS // 2
    # The run must have exercised the flows, not passed vacuously.
    assert final["placed"] >= 100, final
    assert final["filled"] >= 20, final
    assert final["canceled"] >= 10, final


async def _run_and_kill(home: Path, run: int, rng: random.Random) -> str:
    stderr_path = home / f"run-{run}.stderr"
    with stderr_path.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.acceptance.paper_process",
            "--home",
            str(home),
            "--seed",
            str(SEED),
            "--run",
            str(run),
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
        try:
            killed_while = await _kill_at_a_random_moment(process, home, rng)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGKILL)
            await process.wait()
    if process.returncode != -signal.SIGKILL:
        pytest.fail(
            f"run {run} ended by itself with code {process.returncode} before the kill:\n"
            + stderr_path.read_text(errors="replace")[-4000:]
        )
    return killed_while


async def _kill_at_a_random_moment(
    process: asyncio.subprocess.Process, home: Path, rng: random.Random
) -> str:
    assert process.stdout is not None
    if rng.random() < 0.25:  # during imports, the paper account load or the recovery
        await asyncio.sleep(rng.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        return "during start-up"
    line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT_S)
    assert line.strip() == b"READY", f"the paper process said {line!r} instead of READY"
    await _wait_for_new_intents(home, rng.randint(1, 40), process)
    await asyncio.sleep(rng.uniform(0.0, 0.2))
    process.send_signal(signal.SIGKILL)
    return "while trading"


async def _wait_for_new_intents(
    home: Path, count: int, process: asyncio.subprocess.Process
) -> None:
    intents = home / "intents.log"
    start = _line_count(intents)
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT_S
    while _line_count(intents) < start + count:
        if process.returncode is not None or asyncio.get_running_loop().time() > deadline:
            return
        await asyncio.sleep(0.01)


def _line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


async def _recover_and_check(home: Path) -> Counter[str]:
    node = build_node(home)
    try:
        await node.start()
        return await _check(node, home)
    finally:
        node.close()


async def _check(node: Node, home: Path) -> Counter[str]:
    with SqlUnitOfWork(node.engines[0]) as uow:
        stored = uow.orders.list_by_strategy(StrategyId("crash-test"))
        orders = {order.client_order_id: order for order in stored}
        fills = uow.fills.list_since(0)
    await _check_orders(node, home, orders)
    await _check_fills(node, fills)
    await _check_positions_and_cash(node, fills)
    return Counter(
        placed=sum(1 for o in orders.values() if o.venue_order_id is not None),
        filled=sum(1 for o in orders.values() if o.status is OrderStatus.FILLED),
        canceled=sum(1 for o in orders.values() if o.status is OrderStatus.CANCELED),
    )


async def _check_orders(node: Node, home: Path, orders: dict[ClientOrderId, OrderRecord]) -> None:
    intents_by_run: dict[str, list[str]] = defaultdict(list)
    intents = home / "intents.log"
    lines = intents.read_text().splitlines() if intents.exists() else []
    for line in lines:
        run, client_order_id = line.split()
        intents_by_run[run].append(client_order_id)
    intended = {coid for coids in intents_by_run.values() for coid in coids}
    cut_short = {coids[-1] for coids in intents_by_run.values()} - orders.keys()
    assert intended - orders.keys() <= cut_short, "an intended order vanished from the store"
    assert orders.keys() <= intended, "the store holds orders nobody intended"

    at_broker = {key for kind, key in node.account_store.load(ACCOUNT) if kind == "order"}
    assert at_broker <= orders.keys(), "the broker holds orders the OMS lost"
    assert not at_broker & cut_short, "an order reached the broker without a store record"
    venue_ids = []
    for client_order_id, record in orders.items():
        report = await node.broker.order_status(record.client_order_id)
        if report is None:
            assert record.status.is_terminal, record
            assert record.venue_order_id is None, record
            assert client_order_id not in at_broker
            continue
        assert (record.status, record.filled_quantity) == (
            report.status,
            report.filled_quantity,
        ), f"{client_order_id}: store {record.status} {record.filled_quantity}, broker {report}"
        if report.status is not OrderStatus.REJECTED:
            assert record.venue_order_id == report.venue_order_id
            venue_ids.append(report.venue_order_id)
    assert len(venue_ids) == len(set(venue_ids)), "two orders share a venue order id"


async def _check_fills(node: Node, fills: list[FillRecord]) -> None:
    def key(fill: FillRecord) -> tuple[object, ...]:
        return (
            fill.client_order_id,
            fill.trade_id,
            fill.last_qty,
            fill.last_price,
            fill.commission,
            fill.tax,
        )

    ours = [key(f) for f in fills]
    theirs = [key(FillRecord.from_event(f)) for f in await node.broker.fills_since(0)]
    assert len(ours) == len(set(ours)), "a fill was stored twice"
    assert sorted(ours) == sorted(theirs), "the OMS and the broker disagree on the fills"


async def _check_positions_and_cash(node: Node, fills: list[FillRecord]) -> None:
    cash = dict(INITIAL_BALANCES)
    held: dict[object, Decimal] = defaultdict(Decimal)
    for fill in fills:
        sign = 1 if fill.side is OrderSide.BUY else -1
        held[fill.instrument_id] += sign * fill.last_qty
        cash["KRW"] -= sign * fill.last_qty * fill.last_price + fill.commission + fill.tax
    balances = {b.currency: b.total for b in await node.broker.balances()}
    positions = {p.instrument_id: p.quantity for p in await node.broker.positions()}
    assert balances == cash, balances
    assert positions == {i: q for i, q in held.items() if q != 0}, positions
    assert set(held) <= {SAMSUNG, BITCOIN}
