"""leadkit: where a tech lead is the bottleneck of their team, and what to hand off."""

from leadkit.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]
