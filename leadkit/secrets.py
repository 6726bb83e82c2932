"""Secrets come only from environment variables and never reach any output, in any encoding.

Every value read through :func:`secret_from_env` is remembered so that
:func:`redact` can mask it wherever text leaves the process: error messages,
logs, ``--debug`` tracebacks, rendered reports (stdout and ``--output``
files), exports, the store's notes and PR comment bodies. A secret is masked
as given, each of its lines, URL-encoded (``quote`` and ``quote_plus``),
JSON-escaped and base64-encoded; any base64 run that decodes to text holding a
secret (``Authorization: Basic`` of ``user:token`` for any user) is masked;
and so is whatever follows an ``Authorization`` header, a ``Basic``/``Bearer``
scheme, a credential in a URL, or a string shaped like a GitHub or Atlassian
token, remembered or not.

A secret URL (a webhook's, whose key is its path) is masked in its parts too,
since a server may echo one alone: its path, its query, its password, and each
path segment long enough to be distinctive (:data:`MIN_DISTINCTIVE` characters
with both letters and digits, so ``services`` or ``hooks`` stay readable). Every
form is also masked JSON-escaped with ``\\/`` for ``/``, as some servers write it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import threading
from collections.abc import Mapping
from urllib.parse import quote, quote_plus, urlsplit

from leadkit.errors import ConfigError

_SECRETS: set[str] = set()
_LOCK = threading.Lock()
MASK = "***"
MIN_SECRET = 4
"""Shorter values (or lines of a value) are not masked: they would mask ordinary words."""
MIN_DISTINCTIVE = 8
"""A part of a secret URL is masked alone from this length, when it has letters and digits."""

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOKEN_SHAPES = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|ATATT[A-Za-z0-9_=-]{20,})"
)
_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)"
    r"(?:(basic|bearer|token|digest)\s+)?([A-Za-z0-9._~+/=:-]{12,}|\*\*\*)"
)
_SCHEME = re.compile(r"(?i)\b(basic|bearer)\s+(?=\S*[0-9+/=])([A-Za-z0-9._~+/=-]{12,})")
_URL_CREDENTIAL = re.compile(r"(://[^/\s:@]+:)([^/\s@]+)@")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{12,}={0,2}")


def secret_from_env(
    variable: str, *, purpose: str, environ: Mapping[str, str] | None = None
) -> str:
    """Read a secret from ``variable``; a clear error names the variable, never the value.

    A value with a line break inside (two lines pasted, or a file read whole)
    is refused: it could never be sent in a header, and every part of it is
    masked from then on.
    """
    env = os.environ if environ is None else environ
    value = env.get(variable, "")
    if not value.strip():
        raise ConfigError(f"environment variable {variable} is not set ({purpose})")
    remember_secret(value)
    value = value.strip()
    if "\n" in value or "\r" in value:
        raise ConfigError(
            f"environment variable {variable} holds several lines ({purpose}); "
            "a token is one line: set it again without the line break"
        )
    return value


def remember_secret(value: str) -> None:
    """Mask ``value`` (each of its lines, its distinctive parts, and their encodings) from now
    on wherever :func:`redact` runs."""
    parts = {value, value.strip(), *(line.strip() for line in value.splitlines())}
    parts.update(part for line in list(parts) for part in distinctive_parts(line))
    forms: set[str] = set()
    for part in parts:
        if len(part) < MIN_SECRET:
            continue
        escaped = json.dumps(part)[1:-1]
        forms.update(
            {
                part,
                quote(part, safe=""),
                quote(part),
                quote_plus(part),
                escaped,
                escaped.replace("/", "\\/"),
                base64.b64encode(part.encode()).decode().rstrip("="),
            }
        )
    with _LOCK:
        _SECRETS.update(f for f in forms if len(f) >= MIN_SECRET)


def distinctive_parts(value: str) -> list[str]:
    """The parts of a secret URL a server may echo alone: path, query, password, and each
    path segment long enough to be distinctive; nothing for a value that is not a URL."""
    text = value.strip()
    if "://" not in text:
        return []
    try:
        url = urlsplit(text)
        password = url.password
    except ValueError:
        return []
    parts = [url.path, url.path.strip("/"), url.query, password or ""]
    parts += [
        segment
        for segment in url.path.split("/")
        if len(segment) >= MIN_DISTINCTIVE
        and any(c.isdigit() for c in segment)
        and any(c.isalpha() for c in segment)
    ]
    return [p for p in parts if len(p) >= MIN_SECRET]


def looks_like_secret(text: str) -> bool:
    """Whether ``text`` is shaped like a token (a known prefix, or long, mixed-case and with digits)."""
    if _TOKEN_SHAPES.search(text):
        return True
    has_mix = any(c.islower() for c in text) and any(c.isupper() for c in text)
    return len(text) >= 20 and has_mix and any(c.isdigit() for c in text)


def variable_name_problem(value: str) -> str | None:
    """Why ``value`` cannot be the *name* of an environment variable, or None when it can.

    A token pasted where its variable's name belongs is remembered as a secret
    and never repeated in the message.
    """
    if _VARIABLE_NAME.match(value) and not looks_like_secret(value):
        return None
    remember_secret(value)
    return (
        "must name an environment variable (its name, like GITHUB_TOKEN, not the token "
        "itself; the value given is not shown)"
    )


def redact(text: str) -> str:
    """``text`` with every known secret, in every encoding, and every credential shape masked."""
    if not text:
        return text
    with _LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    if secrets:
        text = _BASE64_RUN.sub(lambda m: _mask_encoded(m.group(0), secrets), text)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _HEADER.sub(_mask_header, text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _URL_CREDENTIAL.sub(lambda m: f"{m.group(1)}{MASK}@", text)
    return _TOKEN_SHAPES.sub(MASK, text)


def holds_secret(text: str) -> bool:
    """Whether ``text`` holds something :func:`redact` masks (a header not to send elsewhere)."""
    return redact(text) != text


def _mask_header(match: re.Match[str]) -> str:
    scheme = f"{match.group(2)} " if match.group(2) else ""
    return f"{match.group(1)}{scheme}{MASK}"


def _mask_encoded(run: str, secrets: list[str]) -> str:
    """``run`` masked when it is base64 (standard or URL-safe) of text holding a secret."""
    body = run.rstrip("=")
    padded = body + "=" * (-len(body) % 4)
    for alphabet in (None, b"-_"):
        try:
            raw = base64.b64decode(padded, altchars=alphabet, validate=True)
        except (binascii.Error, ValueError):
            continue
        decoded = raw.decode("utf-8", errors="ignore")
        if any(secret in decoded for secret in secrets):
            return MASK
    return run
