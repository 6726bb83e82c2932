"""The errors leadkit shows to the user as one line and exit code 2.

Anything raised that is not a :class:`LeadkitError` is a bug: the CLI shows
its traceback only with ``--debug``.
"""

from __future__ import annotations

from typing import Any

PLUGIN_ERRORS: tuple[type[BaseException], ...] = (Exception, SystemExit)
"""What plugin code may raise that counts as its own failure: any exception, and
``SystemExit`` too, so a plugin's ``sys.exit(0)`` can never end a run quietly (a report
--check never exits 0 without its report). ``KeyboardInterrupt`` is not among them: it
is the user's interrupt, exit 130."""


def shown(value: Any) -> str:
    """A value as a one-line error quotes it: its ``repr``, at most 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class LeadkitError(Exception):
    """An error the user can act on; its message is shown as one line."""

    exit_code = 2


class ConfigError(LeadkitError):
    """The configuration is missing, unreadable or invalid."""


class PluginError(LeadkitError):
    """A plugin failed to load, registered something invalid, or is unknown."""


class PluginFailure(LeadkitError):
    """A plugin's source, renderer, publisher or command raised something that is not a
    LeadkitError: one line naming the plugin and its distribution; the traceback with
    ``--debug``."""


class SourceError(LeadkitError):
    """A tracker could not be read: auth, not found, rate limit, server errors."""


class DataError(LeadkitError):
    """Input data (a dataset file, a tracker response) is malformed."""


class StoreError(LeadkitError):
    """The local store is unreadable, foreign or from a newer leadkit."""
