"""What a source yields, checked before anything else reads it.

A page from an adapter must be a :class:`~leadkit.model.data.Dataset` of
model objects whose fields have their declared types, whose times are aware
UTC datetimes and whose required fields are set. A page that is not is
refused with one line naming the source, its plugin and the item (exit 2),
so a plugin's naive datetime is reported against the plugin, not as a
failure of whichever built-in analysis tripped on it later.

The checks are planned once per model class from its type hints and run in
one pass per object.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from leadkit.errors import DataError
from leadkit.model.data import CodeOwners, Dataset, Person, Review, WorkItem

if TYPE_CHECKING:
    from leadkit.collect.sources import SourceAdapter

Check = Callable[[Any], str | None]
"""A field's check: None when the value is right, else what is wrong with it."""

_ZERO = timedelta(0)
_PLANS: dict[type, tuple[tuple[str, frozenset[type], Check], ...]] = {}
_CHECKS: dict[type, Check] = {}


def _time(value: Any) -> str | None:
    if not isinstance(value, datetime):
        return f"must be a datetime, got {type(value).__name__} {value!r}"
    if value.tzinfo is None or value.utcoffset() is None:
        return f"is a naive datetime ({value.isoformat()}): sources must give aware UTC times"
    if value.utcoffset() != _ZERO:
        return f"is not in UTC ({value.isoformat()}): sources must give aware UTC times"
    return None


def _scalar(kind: type) -> Check:
    def check(value: Any) -> str | None:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return None
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return None
        return f"must be {kind.__name__}, got {type(value).__name__} {value!r}"

    return check


def _optional(inner: Check) -> Check:
    return lambda value: None if value is None else inner(value)


def _literal(allowed: tuple[Any, ...]) -> Check:
    def check(value: Any) -> str | None:
        if value in allowed:
            return None
        return f"must be one of {', '.join(map(repr, allowed))}, got {value!r}"

    return check


def _sequence(inner: Check, fast: frozenset[type]) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, tuple | list):
            return f"must be a tuple, got {type(value).__name__}"
        if fast and all(e.__class__ in fast for e in value):
            return None
        for i, element in enumerate(value):
            problem = inner(element)
            if problem is not None:
                return f"[{i}]{'' if problem.startswith(('.', '[')) else ' '}{problem}"
        return None

    return check


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"must be a dict, got {type(value).__name__}"


def _model(cls: type) -> Check:
    plan: list[tuple[str, frozenset[type], Check]] = []

    def check(value: Any) -> str | None:
        if value.__class__ is not cls and not isinstance(value, cls):
            return f"must be a {cls.__name__}, got {type(value).__name__}"
        if not plan:  # planned on first use, so a model class may refer to itself
            plan.extend(_plan(cls))
        for name, fast, field_check in plan:
            x = getattr(value, name)
            if x.__class__ in fast or (x.__class__ is datetime and x.tzinfo is UTC):
                continue  # the common cases, without a call
            problem = field_check(x)
            if problem is not None:
                return f".{name}{'' if problem.startswith(('.', '[')) else ' '}{problem}"
        return None

    return check


def _fast(hint: Any) -> frozenset[type]:
    """The classes a field's value may have that need no further look (a str for ``str``)."""
    if hint in (str, int, bool):
        return frozenset({hint})
    if hint is float:
        return frozenset({float, int})
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if all(a in (str, int, bool, type(None)) for a in args):
            return frozenset(args)
    return frozenset()


def _check_for(hint: Any) -> Check:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is datetime:
        return _time
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = _check_for(rest[0]) if len(rest) == 1 else (lambda value: None)
        return _optional(inner) if len(rest) < len(args) else inner
    if origin is typing.Literal:
        return _literal(args)
    if origin in (tuple, list):
        element: Any = args[0] if args else Any
        return _sequence(_check_for(element), _fast(element))
    if origin is dict or hint is dict:
        return _mapping
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _model(hint)
    if hint in (str, int, float, bool):
        return _scalar(hint)
    return lambda value: None


def _plan(cls: type) -> tuple[tuple[str, frozenset[type], Check], ...]:
    """Each field of a model class with the classes that pass at once and its check,
    built once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        plan = tuple(
            (f.name, _fast(hints[f.name]), _check_for(hints[f.name]))
            for f in dataclasses.fields(cls)
        )
        _PLANS[cls] = plan
    return plan


def _named(value: Any) -> str:
    """How an item is named in the line: by its key, ref or id when it has one."""
    if isinstance(value, WorkItem) and isinstance(value.key, str):
        return f"work item {value.key}"
    if isinstance(value, Review) and isinstance(value.repo, str):
        return f"review {value.repo}{value.ref_sep}{value.number}"
    if isinstance(value, Person) and isinstance(value.id, str):
        return f"person {value.id!r}"
    return type(value).__name__


def page_problems(page: object) -> Iterator[str]:
    """Everything wrong with one page, one line per item (nothing for a valid page)."""
    if not isinstance(page, Dataset):
        yield f"a page must be a Dataset, got {type(page).__name__}"
        return
    groups: tuple[tuple[str, type, Iterable[Any]], ...] = (
        ("people", Person, page.people),
        ("work_items", WorkItem, page.work_items),
        ("reviews", Review, page.reviews),
        ("code_owners", CodeOwners, page.code_owners),
    )
    for label, cls, values in groups:
        if not isinstance(values, list | tuple):
            yield f"Dataset.{label} must be a list, got {type(values).__name__}"
            continue
        check = _CHECKS.setdefault(cls, _model(cls))
        for value in values:
            problem = check(value)
            if problem is not None:
                yield f"{_named(value)}: {cls.__name__}{problem}"


def checked_pages(adapter: SourceAdapter, pages: Iterable[Dataset]) -> Iterator[Dataset]:
    """``pages`` as they come, each refused with one line naming the source and its plugin
    (a :class:`~leadkit.errors.DataError`, exit 2) when it is not valid model data.

    An adapter whose pages the core's decoder built (``decoded``) is trusted: the
    decoder checked every field already."""
    if adapter.decoded:
        yield from pages
        return
    for page in pages:
        for problem in page_problems(page):
            owner = adapter.owner or f"adapter {type(adapter).__name__}"
            raise DataError(
                f"source '{adapter.source.name}' ({owner}) yielded an invalid page: {problem}"
            )
        yield page
