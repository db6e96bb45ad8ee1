"""Domain model of the trading context: pure, no I/O, no clock reads."""
