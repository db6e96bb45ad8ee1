"""cli ring of JTS."""
