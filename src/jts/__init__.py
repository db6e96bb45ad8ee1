"""JTS: automated trading for Korean equities (KRX) and crypto (Binance, Upbit).

Rings, outermost first: ``entrypoints > bootstrap > runtime | adapters > contexts >
messages > shared_kernel``. See ``docs/architecture.md`` in the steering repository.
"""

__version__ = "0.1.0"
