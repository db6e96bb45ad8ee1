"""Strategy: the JTS strategy language (parser, checker, compiler), indicators, signals.

Pure domain and application code; talks to other contexts only through ``jts.messages``.
"""
