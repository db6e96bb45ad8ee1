"""Domain model of the market_data context: pure, no I/O, no clock reads."""
