"""The versioned JSON interchange format for a Dataset.

Written by ``leadkit export`` and read by the built-in ``file`` adapter, so a
team on any tracker can feed leadkit from a file and any collected dataset
can be replayed offline. The shape follows :mod:`leadkit.model.data` field for
field (``from_`` is written ``from``); fields at their default are omitted
(:mod:`leadkit.model.codec` writes and checks it).
See ``docs/interchange.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from leadkit.errors import DataError, shown
from leadkit.model.codec import decode, decode_fast, encode
from leadkit.model.data import CodeOwners, Dataset, Person, Review, Window, WorkItem

SCHEMA_VERSION = 1
KIND = "leadkit-dataset"


@dataclass(frozen=True, slots=True)
class _Document:
    """The document's shape, for the fast read (:func:`leadkit.model.codec.decode_fast`)."""

    schema_version: int
    window: Window
    kind: str = KIND
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    work_items: list[WorkItem] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    code_owners: list[CodeOwners] = field(default_factory=list)


_TOP_LEVEL = frozenset(f.name for f in fields(_Document))
"""The document's top-level fields: any other is refused, as the schema refuses it."""


def dataset_to_json(dataset: Dataset) -> dict[str, Any]:
    """The interchange document for ``dataset``, in a stable order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "window": encode(dataset.window),
        "sources": list(dataset.sources),
        "notes": list(dataset.notes),
        "people": [encode(p) for p in sorted(dataset.people, key=lambda p: p.id)],
        "work_items": [encode(i) for i in sorted(dataset.work_items, key=lambda i: i.ref)],
        "reviews": [
            encode(r) for r in sorted(dataset.reviews, key=lambda r: (r.source, r.repo, r.number))
        ],
        # A repository without CODEOWNERS (a source says so with no rules) is not listed.
        **(
            {"code_owners": [encode(o) for o in sorted(owned, key=lambda o: (o.source, o.repo))]}
            if (owned := [o for o in dataset.code_owners if o.rules])
            else {}
        ),
    }


def dataset_from_json(document: Any, label: str = "dataset") -> Dataset:
    """Read an interchange document; errors name the file and the bad field."""
    if not isinstance(document, dict):
        raise DataError(f"{label}: expected a JSON object at the top level")
    version = document.get("schema_version")
    if version is None:
        raise DataError(f"{label}: missing schema_version (is this a leadkit dataset?)")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DataError(f"{label}: schema_version {shown(version)} is not valid (an integer)")
    unknown = sorted(set(document) - _TOP_LEVEL, key=str)
    if unknown:
        raise DataError(
            f"{label}: unknown field {shown(unknown[0])} at the top level "
            f"(known: {', '.join(sorted(_TOP_LEVEL))})"
        )
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{label}: schema_version {version} is newer than this leadkit reads "
            f"({SCHEMA_VERSION}); upgrade leadkit"
        )
    if document.get("kind", KIND) != KIND:
        raise DataError(f"{label}: kind {document.get('kind')!r} is not {KIND!r}")
    try:
        window = decode(Window, document.get("window"), "window")
        people = decode(list[Person], document.get("people", []), "people")
        items = decode(list[WorkItem], document.get("work_items", []), "work_items")
        reviews = decode(list[Review], document.get("reviews", []), "reviews")
        notes = decode(list[str], document.get("notes", []), "notes")
        sources = decode(list[str], document.get("sources", []), "sources")
        owners = decode(list[CodeOwners], document.get("code_owners", []), "code_owners")
    except DataError as exc:
        raise DataError(f"{label}: {exc}") from None
    return Dataset(
        window=window,
        people=people,
        work_items=items,
        reviews=reviews,
        notes=notes,
        sources=sources,
        code_owners=owners,
    )


def dumps(document: Any) -> str:
    """Stable JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_dataset_file(path: Path) -> Dataset:
    """Load an interchange file with one-line errors for every way it can be wrong.

    A well-formed file is read straight into the model by the compiled decoder;
    anything it refuses is read again by :func:`dataset_from_json`, which
    accepts the lenient forms and names what is wrong.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"dataset file not found: {path}") from None
    except OSError as exc:
        raise DataError(f"cannot read dataset file {path}: {exc.strerror}") from None
    fast = decode_fast(_Document, raw)
    if (
        isinstance(fast, _Document)
        and 1 <= fast.schema_version <= SCHEMA_VERSION
        and fast.kind == KIND
    ):
        return Dataset(
            window=fast.window,
            people=fast.people,
            work_items=fast.work_items,
            reviews=fast.reviews,
            notes=fast.notes,
            sources=fast.sources,
            code_owners=fast.code_owners,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"dataset file {path} is not UTF-8 text") from None
    del raw
    try:
        document = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: malformed JSON at line {exc.lineno}: {exc.msg}") from None
    except ValueError as exc:
        raise DataError(f"{path}: malformed JSON: {exc}") from None
    return dataset_from_json(document, str(path))


def _not_json(constant: str) -> Any:
    """``NaN`` and ``Infinity``, which Python's reader takes and JSON has no place for."""
    raise ValueError(f"{constant} is not a JSON number")
