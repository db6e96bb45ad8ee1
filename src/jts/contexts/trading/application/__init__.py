"""Use cases and ports of the trading context.

- ``ports``: what the context needs from outside (store, brokers, rate-limit headroom,
  broker health, the portfolio's positions);
- ``oms``: ``OrderManager``, the write-ahead order management system;
- ``order_ledger``: the OMS's transactions on the trading store;
- ``venues``: brokers by name, called with retries behind circuit breakers;
- ``retry``, ``circuit_breaker``: backoff policy and per-broker breakers;
- ``router``: ``SmartOrderRouter``;
- ``reconciliation``: ``Reconciler``, at start and periodically;
- ``algorithms``: TWAP, VWAP and iceberg, and the ``AlgorithmRunner``;
- ``locks``: per-order serialisation of commands.

Wiring (bootstrap does this)::

    breakers = BreakerRegistry(clock=clock)
    venues = VenueAccess(gateways, breakers=breakers, rng=random.Random(seed))
    router = SmartOrderRouter(
        {name: g.capabilities for name, g in gateways.items()},
        health=breakers,
        headroom=limiter_headroom,
    )
    oms = OrderManager(
        ledger=OrderLedger(database.unit_of_work),
        venues=venues,
        router=router,
        clock=clock,
        publish=bus.publish,
    )
    oms.attach()  # brokers report executions to the OMS
    await Reconciler(oms, clock=clock, positions=portfolio_view).reconcile_all()
"""
