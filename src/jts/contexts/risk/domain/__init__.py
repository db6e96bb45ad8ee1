"""Domain model of the risk context: pure, no I/O, no clock reads."""
