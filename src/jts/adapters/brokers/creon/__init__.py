"""Daishin Creon Plus: COM objects served by ``services/creon_bridge``, reached over HTTP."""
