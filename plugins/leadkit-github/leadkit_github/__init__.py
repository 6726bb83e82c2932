"""leadkit-github: GitHub pull requests, review requests, reviews and issues for leadkit.

Registered through the ``leadkit`` entry-point group, exactly as a third-party
plugin would be. ``[[sources]] type = "github"`` (see README.md for the keys).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

from leadkit.api import hookimpl
from leadkit_github.adapter import GitHubSource

__version__ = version("leadkit-github")  # the installed distribution's: leadkit's own

__all__ = ["GitHubSource", "__version__", "register_sources"]


@hookimpl
def register_sources(register: Callable[[type], None]) -> None:
    """Register the ``github`` source type."""
    register(GitHubSource)
