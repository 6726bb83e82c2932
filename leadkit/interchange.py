"""The versioned JSON interchange format for a Dataset.

Written by ``leadkit export`` and read by the built-in ``file`` adapter, so a
team on any tracker can feed leadkit from a file and any collected dataset
can be replayed offline. The shape follows :mod:`leadkit.model` field for
field (``from_`` is written ``from``); fields at their default are omitted.
See ``docs/interchange.md``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from leadkit.errors import DataError
from leadkit.model import Dataset, Person, Review, Window, WorkItem
from leadkit.timeutil import iso, parse_datetime

SCHEMA_VERSION = 1
KIND = "leadkit-dataset"

_RENAMES = {"from_": "from"}


def to_plain(value: Any) -> Any:
    """A model object as JSON-ready data, omitting fields at their default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if _is_default(f, item):
                continue
            out[_RENAMES.get(f.name, f.name)] = to_plain(item)
        return out
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(cls: Any, data: Any, path: str) -> Any:
    """Build ``cls`` from JSON data, raising DataError that names the bad path."""
    origin = typing.get_origin(cls)
    args = typing.get_args(cls)
    if cls is Any:
        return data
    if origin in (types.UnionType, typing.Union):
        if data is None and type(None) in args:
            return None
        candidates = [a for a in args if a is not type(None)]
        errors = []
        for candidate in candidates:
            try:
                return from_plain(candidate, data, path)
            except DataError as exc:
                errors.append(exc)
        raise errors[0] if errors else DataError(f"{path}: unexpected null")
    if origin is typing.Literal:
        if data not in args:
            allowed = ", ".join(repr(a) for a in args)
            raise DataError(f"{path}: {data!r} is not one of {allowed}")
        return data
    if origin is tuple or origin is list:
        if not isinstance(data, list):
            raise DataError(f"{path}: expected a list, got {_kind(data)}")
        inner = args[0] if args else Any
        values = [from_plain(inner, v, f"{path}[{i}]") for i, v in enumerate(data)]
        return tuple(values) if origin is tuple else values
    if origin is dict:
        if not isinstance(data, dict):
            raise DataError(f"{path}: expected an object, got {_kind(data)}")
        inner = args[1] if len(args) == 2 else Any
        return {str(k): from_plain(inner, v, f"{path}.{k}") for k, v in data.items()}
    if cls is datetime:
        if not isinstance(data, str):
            raise DataError(f"{path}: expected a date-time string, got {_kind(data)}")
        try:
            return parse_datetime(data)
        except Exception:
            raise DataError(f"{path}: {data!r} is not an ISO 8601 date-time") from None
    if cls is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise DataError(f"{path}: expected a number, got {_kind(data)}")
        return float(data)
    if cls in (int, str, bool):
        if not isinstance(data, cls) or (cls is int and isinstance(data, bool)):
            raise DataError(f"{path}: expected {cls.__name__}, got {_kind(data)}")
        return data
    if dataclasses.is_dataclass(cls):
        if not isinstance(data, dict):
            raise DataError(f"{path}: expected an object, got {_kind(data)}")
        hints = _hints(cls)
        names = {_RENAMES.get(f.name, f.name): f for f in dataclasses.fields(cls) if f.init}
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise DataError(f"{path}: unknown field '{unknown[0]}'")
        kwargs = {}
        for json_name, f in names.items():
            if json_name in data:
                kwargs[f.name] = from_plain(hints[f.name], data[json_name], f"{path}.{json_name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise DataError(f"{path}: missing field '{json_name}'")
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            raise DataError(f"{path}: {exc}") from None
    raise DataError(f"{path}: cannot read a value of type {cls!r}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def dataset_to_json(dataset: Dataset) -> dict[str, Any]:
    """The interchange document for ``dataset``, in a stable order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "window": to_plain(dataset.window),
        "sources": list(dataset.sources),
        "notes": list(dataset.notes),
        "people": [to_plain(p) for p in sorted(dataset.people, key=lambda p: p.id)],
        "work_items": [to_plain(i) for i in sorted(dataset.work_items, key=lambda i: i.ref)],
        "reviews": [
            to_plain(r) for r in sorted(dataset.reviews, key=lambda r: (r.source, r.repo, r.number))
        ],
    }


def dataset_from_json(document: Any, label: str = "dataset") -> Dataset:
    """Read an interchange document; errors name the file and the bad field."""
    if not isinstance(document, dict):
        raise DataError(f"{label}: expected a JSON object at the top level")
    version = document.get("schema_version")
    if version is None:
        raise DataError(f"{label}: missing schema_version (is this a leadkit dataset?)")
    if not isinstance(version, int) or version < 1:
        raise DataError(f"{label}: schema_version {version!r} is not valid")
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{label}: schema_version {version} is newer than this leadkit reads "
            f"({SCHEMA_VERSION}); upgrade leadkit"
        )
    if document.get("kind", KIND) != KIND:
        raise DataError(f"{label}: kind {document.get('kind')!r} is not {KIND!r}")
    try:
        window = from_plain(Window, document.get("window"), "window")
        people = from_plain(list[Person], document.get("people", []), "people")
        items = from_plain(list[WorkItem], document.get("work_items", []), "work_items")
        reviews = from_plain(list[Review], document.get("reviews", []), "reviews")
        notes = from_plain(list[str], document.get("notes", []), "notes")
        sources = from_plain(list[str], document.get("sources", []), "sources")
    except DataError as exc:
        raise DataError(f"{label}: {exc}") from None
    return Dataset(
        window=window,
        people=people,
        work_items=items,
        reviews=reviews,
        notes=notes,
        sources=sources,
    )


def dumps(document: Any) -> str:
    """Stable JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_dataset_file(path: Path) -> Dataset:
    """Load an interchange file with one-line errors for every way it can be wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"dataset file not found: {path}") from None
    except OSError as exc:
        raise DataError(f"cannot read dataset file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DataError(f"dataset file {path} is not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: malformed JSON at line {exc.lineno}: {exc.msg}") from None
    return dataset_from_json(document, str(path))
