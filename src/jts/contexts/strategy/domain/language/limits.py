"""Bounds on program size, so source from the web UI cannot exhaust the machine.

The parser and checker enforce these and report a located error naming the limit; the
defaults are generous for hand-written strategies and small for machines.
"""

from __future__ import annotations

import msgspec


class ProgramLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Upper bounds a strategy source must stay within."""

    max_source_chars: int = 64_000
    max_statements: int = 400
    max_expression_depth: int = 48
    max_nodes: int = 4_000
    max_graph_depth: int = 256
    max_lookback: int = 10_000
    max_window: int = 100_000
    max_universe: int = 1_000
    max_parameters: int = 32
    max_grid_size: int = 10_000_000


DEFAULT_LIMITS = ProgramLimits()
