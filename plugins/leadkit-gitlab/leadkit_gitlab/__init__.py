"""leadkit-gitlab: GitLab merge requests, review requests, approvals, notes and issues for leadkit.

Registered through the ``leadkit`` entry-point group, exactly as a third-party
plugin would be. ``[[sources]] type = "gitlab"`` (see README.md for the keys).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

from leadkit.api import hookimpl
from leadkit_gitlab.adapter import GitLabSource

__version__ = version("leadkit-gitlab")  # the installed distribution's: leadkit's own

__all__ = ["GitLabSource", "__version__", "register_sources"]


@hookimpl
def register_sources(register: Callable[[type], None]) -> None:
    """Register the ``gitlab`` source type."""
    register(GitLabSource)
