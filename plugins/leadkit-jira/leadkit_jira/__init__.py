"""leadkit-jira: reads Jira Cloud and Data Center issues into leadkit's model."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

from leadkit.api import hookimpl
from leadkit_jira.adapter import JiraSource

__version__ = version("leadkit-jira")  # the installed distribution's: leadkit's own

__all__ = ["JiraSource", "__version__", "register_sources"]


@hookimpl
def register_sources(register: Callable[[type], None]) -> None:
    """Register the ``jira`` source type."""
    register(JiraSource)
