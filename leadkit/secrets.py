"""Secrets come only from environment variables and never reach any output.

Every value read through :func:`secret_from_env` is remembered so that
:func:`redact` can mask it in error messages, logs and ``--debug`` tracebacks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from leadkit.errors import ConfigError

_SECRETS: set[str] = set()
MASK = "***"


def secret_from_env(
    variable: str, *, purpose: str, environ: Mapping[str, str] | None = None
) -> str:
    """Read a secret from ``variable``; a clear error names the variable when unset."""
    env = os.environ if environ is None else environ
    value = env.get(variable, "")
    if not value.strip():
        raise ConfigError(f"environment variable {variable} is not set ({purpose})")
    remember_secret(value)
    return value.strip()


def remember_secret(value: str) -> None:
    """Mask ``value`` from now on wherever :func:`redact` is applied."""
    if value and len(value) >= 4:
        _SECRETS.add(value)
        _SECRETS.add(value.strip())


def redact(text: str) -> str:
    """``text`` with every known secret replaced by ``***``."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, MASK)
    return text
