"""Notifiers: deliver notifications on one channel each (console now; push, e-mail, SMS later)."""
