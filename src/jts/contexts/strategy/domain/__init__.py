"""Domain model of the strategy context: pure, no I/O, no clock reads."""
