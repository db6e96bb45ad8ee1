"""Execution algorithms: TWAP, VWAP and iceberg, as pure schedulers over the OMS.

An algorithm is driven from outside with the time (``on_timer(now_ns)``, at or after its
``next_wakeup_ns``) and with the OMS events about its children (``on_event``); it answers
with commands (child ``SubmitOrder``s carrying ``parent_order_id``, ``CancelOrder``s). It
never reads a clock or calls a venue, so a backtest on a ``TestClock`` and a live node on
the wall clock run the same code and send the same children. ``AlgorithmRunner`` connects
algorithms to an ``OrderManager``.

- ``scheduled``: the engine behind TWAP and VWAP (cumulative targets at slice times);
- ``twap``: equal slices over a window;
- ``vwap``: slices weighted by a historical intraday volume profile;
- ``iceberg``: one visible child of the display quantity at a time;
- ``children``: the parent order and the book of its children;
- ``runner``: the ``ExecutionAlgorithm`` protocol and ``AlgorithmRunner``.
"""
