"""leadkit-jira: reads Jira Cloud and Data Center issues into leadkit's model."""

from __future__ import annotations

from collections.abc import Callable

from leadkit.api import hookimpl
from leadkit_jira.adapter import JiraSource

__version__ = "0.1.0"

__all__ = ["JiraSource", "__version__", "register_sources"]


@hookimpl
def register_sources(register: Callable[[type], None]) -> None:
    """Register the ``jira`` source type."""
    register(JiraSource)
