"""Writing rendered reports: several formats in one run, files replaced atomically.

A failed run never leaves a half-written file or clobbers what the user had:
everything is rendered first, then every file is written beside its target,
and only when all are written are they moved into place.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from leadkit.errors import LeadkitError

EXTENSION_FORMATS = {  # the built-in formats' extensions; registered renderers add theirs
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically."""
    write_files([(path, text)])


def write_files(files: list[tuple[Path, str]]) -> None:
    """Replace every ``path`` with its text: none is replaced unless all could be written.

    Each text goes to a temporary file beside its target; only when every one
    is written are they moved into place. A failure removes every temporary
    file, so a full disk or a read-only folder leaves the user's files as
    they were and no ``.name.xxxx`` litter behind.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            staged.append((_stage(path, text), path))
        while staged:
            tmp, path = staged[0]
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise LeadkitError(f"cannot write {path}: {exc.strerror}") from None
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stage(path: Path, text: str) -> str:
    """``text`` written to a new temporary file beside ``path`` (its mode as ``path``'s)."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise LeadkitError(f"cannot write {path}: folder {directory} does not exist")
    tmp: str | None = None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        return tmp
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise LeadkitError(f"cannot write {path}: {exc.strerror}") from None


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (mkstemp gives 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def plan_outputs(
    formats: list[str], outputs: list[str], extensions: Mapping[str, str] | None = None
) -> list[tuple[str, str | None]]:
    """Pair formats with output files; an output with no format takes it from its extension
    (the built-in ones, then ``extensions``: each registered renderer's, ``.csv`` -> ``csv``)."""
    if len(outputs) > max(len(formats), 1):
        raise LeadkitError("more --output files than --format values: give one --format per file")
    if not formats:
        formats = ["text"]
    if len(formats) == 1 and len(outputs) == 1 and formats == ["text"]:
        suffix = Path(outputs[0]).suffix.lower()
        guessed = EXTENSION_FORMATS.get(suffix) or (extensions or {}).get(suffix)
        if guessed:
            formats = [guessed]
    plan: list[tuple[str, str | None]] = []
    for i, fmt in enumerate(formats):
        plan.append((fmt, outputs[i] if i < len(outputs) else None))
    if sum(1 for _, out in plan if out is None) > 1:
        raise LeadkitError("several formats would go to stdout: give an --output for each format")
    return plan


def write_rendered(texts: list[tuple[str, str | None]]) -> None:
    """Write rendered texts: every file first (all or none), then the one for stdout."""
    write_files([(Path(out), text) for text, out in texts if out is not None])
    for text, out in texts:
        if out is None:
            sys.stdout.write(text)
            sys.stdout.flush()
