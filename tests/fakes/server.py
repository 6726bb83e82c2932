"""Moved to :mod:`leadkit.testing.server` (installed with the core); import from there.

Kept only so branches written before the move still import.
"""

from leadkit.testing.server import FastHandler, LocalServer  # noqa: F401
