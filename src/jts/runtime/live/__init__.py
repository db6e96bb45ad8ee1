"""The live node: every service of JTS in one process on the event bus (``jts up``).

Modules: ``node`` (``LiveNode``: lifecycle, the market data pump, supervision),
``strategy_engine`` (strategies x instruments on the incremental evaluators, warm-up,
feed health), ``trading_desk`` and ``lanes`` (the trading contract: signals -> risk ->
orders through the OMS), ``portfolio_tracker`` (fills -> positions, cash, equity),
``account`` (risk's views of the paper account), ``risk_guard`` (drawdown kill switch and
risk figures), ``clocks`` (market-time and accelerated clocks), ``dashboard`` (the rich
terminal view), ``summary`` (the ``--summary-json`` document).
"""
