"""api ring of JTS."""
