"""One codec for the model's dataclasses: to JSON-ready data, back with type checks, and times moved.

Three users share it: the interchange format (:mod:`leadkit.model.interchange`, times
to the second with a ``Z``), the store (:mod:`leadkit.collect.store`, times with their
microseconds, so a report read back never shifts) and the demo's ``--now``
(:func:`leadkit.demo.shifted`, every recorded time moved).

- :func:`encode` leaves out fields at their default and writes ``from_`` as
  ``from``;
- :func:`decode` checks every value against its field's type and raises a
  :class:`DataError` naming the path of a bad one (``work_items[3].created``):
  integers within 64 bits (:data:`INT64`), numbers finite, text valid Unicode
  (no lone surrogate), and nothing the interchange schema refuses;
- :func:`replace_times` rebuilds a value with each of its datetimes changed.

What a class's fields are (JSON name, type, default) is read once per class
(:func:`_plan`), and a decoder is built once per type (:func:`_decoder`), so
100,000 items encode without re-reading type hints.

JSON text is read by :func:`decode_json` and :func:`decode_rows` with msgspec, a
compiled decoder: it parses the text straight into typed msgspec structs that
mirror the dataclasses (same fields, JSON names and defaults, unknown fields
refused; made once per class by :func:`_mirror`), which msgspec then turns into
the dataclasses themselves (``convert(..., from_attributes=True)``), all in C.
That is about ten times faster than ``json.loads`` followed by the checking
decoder above, and it refuses everything the checking decoder refuses. Any text
it refuses (a bad value, but also a date without a time, a time without an
offset, or an offset other than UTC, which the model stores as UTC) is read
again by :func:`decode`, which accepts those forms and names the path of a bad
value. So a good file is read fast and a bad one gets the precise error.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import math
import re
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, TypeVar

import msgspec

from leadkit.errors import DataError, LeadkitError, shown
from leadkit.timeutil import iso, parse_datetime

T = TypeVar("T")
INT64 = (-(2**63), 2**63 - 1)
"""The integers the model holds (SQLite's, and the interchange schema's minimum and maximum)."""
RENAMES = {"from_": "from"}
"""Fields whose Python name is a keyword, and their JSON name."""

_REQUIRED: Any = object()
_SCALARS = (str, int, float, bool, type(None))
Decoder = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    key: str
    """The JSON name."""
    hint: Any
    default: Any
    """The default value (a factory's, made once), or ``_REQUIRED``."""
    init: bool


@cache
def _plan(cls: type) -> tuple[_Field, ...]:
    """A dataclass's fields with their JSON names, resolved types and defaults."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = _REQUIRED
        plan.append(_Field(f.name, RENAMES.get(f.name, f.name), hints[f.name], default, f.init))
    return tuple(plan)


def _fields_of(value: Any) -> tuple[_Field, ...]:
    cls: type = type(value)
    return _plan(cls)


def _is_dataclass_instance(value: Any) -> bool:
    return hasattr(type(value), "__dataclass_fields__")


# -- encoding ---------------------------------------------------------------------


def exact_time(value: datetime) -> str:
    """ISO 8601 in UTC with microseconds: the store's form."""
    return value.astimezone(UTC).isoformat()


def encode(value: Any, *, exact: bool = False) -> Any:
    """``value`` as JSON-ready data, leaving out fields at their default.

    Times are written as :func:`leadkit.timeutil.iso` writes them (to the
    second, ``Z``), or with ``exact`` as :func:`exact_time` (microseconds kept).
    """
    return _encode(value, exact_time if exact else _iso)


def _iso(value: datetime) -> str:
    text = iso(value)
    assert text is not None
    return text


def _encode(value: Any, time: Callable[[datetime], str]) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, datetime):
        return time(value)
    if isinstance(value, tuple | list):
        return [_encode(v, time) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v, time) for k, v in value.items()}
    if _is_dataclass_instance(value):
        out: dict[str, Any] = {}
        for f in _fields_of(value):
            item = getattr(value, f.name)
            if f.default is not _REQUIRED and item == f.default:
                continue
            out[f.key] = item if isinstance(item, _SCALARS) else _encode(item, time)
        return out
    return value


# -- decoding ---------------------------------------------------------------------


class _Bad(Exception):
    """A bad value; the path to it is added as the error travels up, only when it happens."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.steps: list[str] = []

    def at(self, step: str) -> _Bad:
        self.steps.append(step)
        return self

    def where(self) -> str:
        return "".join(reversed(self.steps))


def decode(cls: Any, data: Any, path: str) -> Any:
    """``data`` (parsed JSON) as a ``cls``; a bad value raises DataError naming its path."""
    try:
        return _decoder(cls)(data)
    except _Bad as bad:
        raise DataError(f"{path}{bad.where()}: {bad.message}") from None


@cache
def _decoder(cls: Any) -> Decoder:
    """The function that checks and builds a value of type ``cls`` (made once per type)."""
    origin = typing.get_origin(cls)
    args = typing.get_args(cls)
    if cls is Any:
        return _same
    if origin in (types.UnionType, typing.Union):
        return _union(args)
    if origin is typing.Literal:
        return _literal(args)
    if origin is tuple or origin is list:
        return _sequence(args[0] if args else Any, origin)
    if origin is dict:
        return _mapping(args[1] if len(args) == 2 else Any)
    if cls is datetime:
        return _datetime
    if cls is float:
        return _float
    if cls in (int, str, bool):
        return _scalar(cls)
    if isinstance(cls, type) and dataclasses.is_dataclass(cls):
        return _dataclass(cls)
    return _unknown(cls)


def _same(data: Any) -> Any:
    return data


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _union(args: tuple[Any, ...]) -> Decoder:
    nullable = type(None) in args
    candidates = [_decoder(a) for a in args if a is not type(None)]

    def decode_union(data: Any) -> Any:
        if data is None and nullable:
            return None
        first: _Bad | None = None
        for candidate in candidates:
            try:
                return candidate(data)
            except _Bad as bad:
                first = first or bad
        raise first or _Bad("unexpected null")

    return decode_union


def _literal(args: tuple[Any, ...]) -> Decoder:
    allowed = ", ".join(repr(a) for a in args)

    def decode_literal(data: Any) -> Any:
        if data not in args:
            raise _Bad(f"{data!r} is not one of {allowed}")
        return data

    return decode_literal


def _sequence(inner_type: Any, origin: Any) -> Decoder:
    inner = _decoder(inner_type)
    as_tuple = origin is tuple

    def decode_sequence(data: Any) -> Any:
        if not isinstance(data, list):
            raise _Bad(f"expected a list, got {_kind(data)}")
        try:
            values = [inner(v) for v in data]
        except _Bad:
            for i, v in enumerate(data):  # the error path only: find which one
                try:
                    inner(v)
                except _Bad as bad:
                    raise bad.at(f"[{i}]") from None
            raise
        return tuple(values) if as_tuple else values

    return decode_sequence


def _mapping(inner_type: Any) -> Decoder:
    inner = _decoder(inner_type)

    def decode_mapping(data: Any) -> Any:
        if not isinstance(data, dict):
            raise _Bad(f"expected an object, got {_kind(data)}")
        out = {}
        for k, v in data.items():
            try:
                _text(str(k))
                out[str(k)] = inner(v)
            except _Bad as bad:
                raise bad.at(f".{k}") from None
        return out

    return decode_mapping


def _datetime(data: Any) -> datetime:
    if not isinstance(data, str):
        raise _Bad(f"expected a date-time string, got {_kind(data)}")
    try:
        return parse_datetime(data)
    except LeadkitError:
        raise _Bad(f"{data!r} is not an ISO 8601 date-time") from None


def _float(data: Any) -> float:
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise _Bad(f"expected a number, got {_kind(data)}")
    try:
        value = float(data)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise _Bad(f"{shown(data)} is not a finite number")
    return value


def _scalar(cls: type) -> Decoder:
    def decode_scalar(data: Any) -> Any:
        if not isinstance(data, cls) or (cls is int and isinstance(data, bool)):
            raise _Bad(f"expected {cls.__name__}, got {_kind(data)}")
        if isinstance(data, int) and not INT64[0] <= data <= INT64[1]:
            raise _Bad(f"{shown(data)} is outside the 64-bit integer range")
        if isinstance(data, str):
            _text(data)
        return data

    return decode_scalar


def _text(data: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate from a JSON ``\\ud800``)."""
    if not data.isascii():
        try:
            data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _Bad(
                f"has a lone surrogate ({data[exc.start]!a}) at character {exc.start}: "
                "not valid Unicode text"
            ) from None


def _dataclass(cls: type) -> Decoder:
    fields: list[tuple[str, str, Decoder, bool]] = []
    names: set[str] = set()

    def decode_dataclass(data: Any) -> Any:
        if not fields:  # resolved on first use, so a type may refer to itself
            for f in _plan(cls):
                if f.init:
                    fields.append((f.key, f.name, _decoder(f.hint), f.default is _REQUIRED))
                    names.add(f.key)
        if not isinstance(data, dict):
            raise _Bad(f"expected an object, got {_kind(data)}")
        if not names.issuperset(data):
            raise _Bad(f"unknown field '{sorted(set(data) - names)[0]}'")
        kwargs = {}
        for key, name, inner, required in fields:
            if key in data:
                try:
                    kwargs[name] = inner(data[key])
                except _Bad as bad:
                    raise bad.at(f".{key}") from None
            elif required:
                raise _Bad(f"missing field '{key}'")
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            raise _Bad(str(exc)) from None

    return decode_dataclass


def _unknown(cls: Any) -> Decoder:
    def decode_unknown(data: Any) -> Any:
        raise _Bad(f"cannot read a value of type {cls!r}")

    return decode_unknown


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are built.

    Decoding a large dataset, the analysis and rendering build millions of
    small acyclic objects; reference counting frees them, and generational
    collections over them only cost time (about a third of the analysis of
    100,000 items, and most of the decoding).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- decoding JSON text fast ------------------------------------------------------

_INT64 = Annotated[int, msgspec.Meta(ge=INT64[0], le=INT64[1])]
_AWARE_TIME = Annotated[datetime, msgspec.Meta(tz=True)]
"""msgspec's RFC 3339 time with an offset; dates and naive times go to :func:`decode`."""
_OTHER_OFFSET = re.compile(rb":[0-9][0-9](?:[.][0-9]+)?[+-](?!00:00)")
"""A time with an offset other than UTC (``10:00:00+02:00``): :func:`decode` moves it to UTC.
Text that merely looks like one only costs the slower read."""


def decode_json(cls: Any, text: bytes | str, path: str) -> Any:
    """JSON ``text`` as a ``cls``, like ``decode(cls, json.loads(text), path)`` but fast.

    A bad value raises DataError naming its path; text that is not JSON raises
    ``json.JSONDecodeError`` (the caller says which file or row it was).
    """
    raw = text.encode() if isinstance(text, str) else text
    fast = decode_fast(cls, raw)
    return fast if fast is not None else decode(cls, json.loads(raw), path)


def decode_fast(cls: Any, raw: bytes) -> Any:
    """JSON text as a ``cls`` (a dataclass or a list of them) by msgspec, or None if it refuses it.

    None means: read it with :func:`decode` (the lenient forms, or the bad value's path).
    """
    if _OTHER_OFFSET.search(raw):
        return None
    try:
        with gc_paused():
            return msgspec.convert(_json_decoder(cls).decode(raw), cls, from_attributes=True)
    except msgspec.MsgspecError:
        return None


def decode_rows(cls: type[T], rows: Sequence[bytes], path: str) -> list[T]:
    """Many JSON documents (a store's rows), each a ``cls``; see :func:`decode_json`."""
    decoder = _json_decoder(typing.cast(Any, cls))
    try:
        if not any(_OTHER_OFFSET.search(row) for row in rows):
            with gc_paused():
                mirrors = [decoder.decode(row) for row in rows]
                converted: list[T] = msgspec.convert(mirrors, list[cls], from_attributes=True)  # type: ignore[valid-type]
            return converted
    except msgspec.MsgspecError:
        pass
    return [decode_json(cls, row, path) for row in rows]


@cache
def _json_decoder(cls: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(_mirror_type(cls))


def _mirror_type(hint: Any) -> Any:
    """The type msgspec decodes for ``hint``: dataclasses become their mirror structs."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is datetime:
        return _AWARE_TIME
    if hint is int:
        return _INT64
    if origin in (types.UnionType, typing.Union):
        return typing.Union[tuple(_mirror_type(a) for a in args)]  # noqa: UP007
    if origin is tuple:
        return tuple[_mirror_type(args[0]), ...]  # type: ignore[misc]
    if origin is list:
        return list[_mirror_type(args[0])]  # type: ignore[misc]
    if origin is dict:
        return dict[str, _mirror_type(args[1])]  # type: ignore[misc]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _mirror(hint)
    return hint


@cache
def _mirror(cls: type) -> type[msgspec.Struct]:
    """A msgspec struct with ``cls``'s fields, JSON names and defaults; unknown fields refused."""
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for f in _plan(cls):
        if not f.init:
            continue
        hint = _mirror_type(f.hint)
        fields.append((f.name, hint) if f.default is _REQUIRED else (f.name, hint, f.default))
    return msgspec.defstruct(
        cls.__name__,
        fields,
        rename={name: key for name, key in RENAMES.items()},
        forbid_unknown_fields=True,
        frozen=True,
        gc=False,  # tuples of strings and times: no cycles to collect
    )


# -- moving times -----------------------------------------------------------------


def replace_times(value: T, change: Callable[[datetime], datetime]) -> T:
    """``value`` with every datetime in it, in nested dataclasses and tuples, passed to ``change``."""
    result: Any = _replace_times(value, change)
    return typing.cast(T, result)


def _replace_times(value: Any, change: Callable[[datetime], datetime]) -> Any:
    if isinstance(value, datetime):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_replace_times(v, change) for v in value)
    if _is_dataclass_instance(value):
        changes = {}
        for f in _fields_of(value):
            item = getattr(value, f.name)
            if f.init and (isinstance(item, datetime | tuple) or _is_dataclass_instance(item)):
                changes[f.name] = _replace_times(item, change)
        return dataclasses.replace(value, **changes)
    return value
