"""Moved to :mod:`leadkit.testing` (installed with the core); import from there.

Kept only so branches written before the move still import; new tests use
``from leadkit.testing import ...``.
"""

from leadkit.testing.builders import (  # noqa: F401
    NOW,
    Team,
    ago,
    assert_no_alarm,
    at,
    blocked_by,
    blocks,
    comment,
    finding,
    findings,
    host,
    label,
    labels,
    moved,
    request,
    review,
    suggestions,
)
