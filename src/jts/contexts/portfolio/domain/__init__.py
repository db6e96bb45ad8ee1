"""Domain model of the portfolio context: pure, no I/O, no clock reads."""
