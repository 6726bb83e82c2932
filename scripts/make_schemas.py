"""Write leadkit/schemas/interchange.json from the model's dataclasses.

The interchange format is the model encoded by :mod:`leadkit.model.codec`
(a field at its default is left out), so its JSON Schema follows from the
dataclasses: run this after changing the model. ``tests/test_schemas.py``
fails while the shipped file differs from what this writes.

    python scripts/make_schemas.py
"""

from __future__ import annotations

import json
import sys
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leadkit.model import codec  # noqa: E402
from leadkit.model.data import (  # noqa: E402
    CodeOwners,
    Dataset,
    Person,
    Review,
    Window,
    WorkItem,
)
from leadkit.model.interchange import KIND, SCHEMA_VERSION  # noqa: E402

TARGET = ROOT / "leadkit" / "schemas" / "interchange.json"
TIME = {"type": "string", "format": "date-time", "pattern": "^\\d{4}-\\d{2}-\\d{2}T"}


def type_schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one field's type (dataclasses go to ``$defs``)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is type(None):
        return {"type": "null"}
    if hint is str:
        return {"type": "string"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer", "minimum": codec.INT64[0], "maximum": codec.INT64[1]}
    if hint is float:
        return {"type": "number"}
    if hint is datetime:
        return dict(TIME)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [type_schema(a, defs) for a in args]}
    if origin in (tuple, list):
        return {"type": "array", "items": type_schema(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_schema(args[1], defs)}
    if hasattr(hint, "__dataclass_fields__"):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = dataclass_schema(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise SystemExit(f"no schema for {hint!r}")


def dataclass_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    plan = codec._plan(cls)
    fields = [f for f in plan if f.init]
    doc = (cls.__doc__ or "").strip().splitlines()[0]
    return {
        "type": "object",
        "description": doc,
        "properties": {f.key: type_schema(f.hint, defs) for f in fields},
        "required": [f.key for f in fields if f.default is codec._REQUIRED],
        "additionalProperties": False,
    }


def interchange_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    refs = {cls: type_schema(cls, defs) for cls in (Window, Person, WorkItem, Review, CodeOwners)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://leadkit.dev/schemas/interchange.json",
        "title": "leadkit dataset (interchange format)",
        "description": (
            f"A {Dataset.__name__} as `leadkit export` writes it and the `file` source "
            "reads it (docs/interchange.md). Generated from the model by "
            "scripts/make_schemas.py. Person ids are account keys (`github:login`) "
            "unless exported with --resolved."
        ),
        "type": "object",
        "properties": {
            "schema_version": {"type": "integer", "minimum": 1, "maximum": SCHEMA_VERSION},
            "kind": {"const": KIND},
            "window": refs[Window],
            "sources": {"type": "array", "items": {"type": "string"}},
            "notes": {"type": "array", "items": {"type": "string"}},
            "people": {"type": "array", "items": refs[Person]},
            "work_items": {"type": "array", "items": refs[WorkItem]},
            "reviews": {"type": "array", "items": refs[Review]},
            "code_owners": {"type": "array", "items": refs[CodeOwners]},
        },
        "required": ["schema_version", "window"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def render() -> str:
    return json.dumps(interchange_schema(), indent=2) + "\n"


if __name__ == "__main__":
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
