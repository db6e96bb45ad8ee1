"""Domain model of the notifications context: pure, no I/O, no clock reads."""
