"""workers ring of JTS."""
