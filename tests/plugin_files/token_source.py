"""A local plugin file for tests: a source that needs a token from the environment."""

from __future__ import annotations

from collections.abc import Iterator

from leadkit import hookimpl
from leadkit.collect.sources import SourceAdapter
from leadkit.model.data import Dataset


class TokenSource(SourceAdapter):
    type = "needs-token"
    description = "test source reading token_env"

    def __init__(self, source, context):  # type: ignore[no-untyped-def]
        super().__init__(source, context)
        self.token = source.secret("token_env", "FAKE_TRACKER_TOKEN", context.environ)

    def pages(self, window, *, updated_since=None) -> Iterator[Dataset]:  # type: ignore[no-untyped-def]
        raise RuntimeError(f"boom with {self.token}")


@hookimpl
def register_sources(register) -> None:  # type: ignore[no-untyped-def]
    register(TokenSource)
