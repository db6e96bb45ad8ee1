"""The live node: every service of JTS in one process on the event bus (``jts up``).

Modules: ``node`` (``LiveNode``: start-up recovery, the market data pump, supervision,
clean stop), ``assembly`` (``assemble``: the services wired on any stores),
``strategy_engine`` and ``slots`` (strategies x instruments on the incremental evaluators,
warm-up, feed health, reduce-only), ``trading_desk`` and ``lanes`` (the backtest's trading
contract: signals -> risk -> orders through the OMS and the paper broker),
``portfolio_tracker`` (fills -> positions, cash, equity, round trips), ``account`` (risk's
views of the paper account), ``risk_guard`` (drawdown kill switch, VaR and risk figures),
``recorder`` and ``checkpoint`` (what a restart resumes from), ``clocks`` (market-time and
accelerated clocks), ``dashboard`` (the rich terminal view and console notifications),
``summary`` (the ``--summary-json`` document).
"""
