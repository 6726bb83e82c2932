"""leadkit: where a tech lead is the bottleneck of their team, and what to hand off."""

from leadkit.hookspecs import hookimpl

# The one version of leadkit and its first-party plugins: the packages read it from here
# (pyproject.toml [tool.hatch.version]), `leadkit --version` prints it.
__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]
