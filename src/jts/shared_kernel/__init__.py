"""The innermost ring: identifiers, the clock, the error tree, numbers and venue rules.

Everything here is pure: no I/O, no wall clock, no module-level randomness.
"""
