"""Bounded contexts: mutually independent, pure domain plus application code."""
