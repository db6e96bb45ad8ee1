"""Composition root: settings and wiring; the only code that picks concrete adapters."""
