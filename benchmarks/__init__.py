"""Side-by-side performance harness: ``python -m benchmarks [NAME ...]``.

Every module ``benchmarks/bench_*.py`` defines ``run() -> Iterable[Figure]``. Each figure is
printed as one JSON line ``{"name", "value", "unit"}`` plus ``"peer"``, ``"peer_value"`` and
``"ratio"`` when a peer engine ran on the same data in the same run. ``ratio`` is always
"JTS relative to the peer, higher is better" (``higher_is_better`` says which way ``value``
points), so 2.0 means JTS did twice as well.
"""
