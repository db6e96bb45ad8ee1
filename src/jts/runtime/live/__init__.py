"""live ring of JTS."""
