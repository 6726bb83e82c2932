"""What analyses produce: findings, delegation suggestions, and the ranked actions.

Every number in a finding traces to the items listed with it. The field names
of :meth:`Finding.as_dict`, :meth:`Suggestion.as_dict` and
:meth:`Action.as_dict` are part of the JSON contract.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from leadkit.model.data import Review, WorkItem

Severity = Literal["info", "warn", "high"]
HandOff = Literal["delegate", "review", "answer"]
"""What a suggestion hands over: an item, a review, or answering questions on a topic."""
SEVERITY_ORDER = {"high": 0, "warn": 1, "info": 2}

M = TypeVar("M")
"""A finding's metrics: its kind's dataclass (or, from an older plugin, a dict)."""

OMIT_IF_NONE: Mapping[str, Any] = {"omit_if_none": True}
"""Metadata for a metrics field that is left out of the JSON while it is None."""


WHOLE: Mapping[str, Any] = {"whole": True}
"""Metadata for a metrics list the report always lists whole, with no ``<name>_total``:
one bounded by something other than the org's size (the window's weeks, a kind's top three)."""

PER_PERSON: Mapping[str, Any] = {"per_person": True}
"""Metadata for a metrics field that counts things per named colleague (who asks the lead,
who pulls the lead in, who reviewed how many): the lead's audience only. A report for the
team (``--audience team``) leaves it out of every format, the JSON included. Combine with
:data:`WHOLE` as ``field(metadata={**WHOLE, **PER_PERSON})``."""


def is_per_person(f: dataclasses.Field[Any]) -> bool:
    """Whether a metrics field is marked :data:`PER_PERSON`."""
    return bool(f.metadata.get("per_person"))


DEFAULT_EVIDENCE = 10
"""How many entries each evidence list shows by default (``[analysis] evidence``)."""

T = TypeVar("T")


def first(values: Sequence[T], limit: int | None) -> list[T]:
    """The first ``limit`` values (None: all): what a bounded report lists of a list."""
    return list(values if limit is None else values[:limit])


def metrics_json(metrics: Any, limit: int | None = None, per_person: bool = True) -> Any:
    """A finding's metrics (or a suggestion's evidence) as JSON-ready data, recursively.

    A dataclass goes field by field. A report is bounded whatever the org's
    size: every named list (a field or a dict key) lists its first ``limit``
    entries (None: all) and gains ``<name>_total``, its full length, beside it;
    a field marked :data:`WHOLE` is listed whole. Nothing else changes, so a
    number still traces to its items: the totals say how many, ``--evidence
    all`` lists them all. With ``per_person`` False (the team's audience), a field
    marked :data:`PER_PERSON` is left out, at any depth.
    """
    if dataclasses.is_dataclass(metrics) and not isinstance(metrics, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(metrics):
            value = getattr(metrics, f.name)
            if value is None and f.metadata.get("omit_if_none"):
                continue
            if not per_person and is_per_person(f):
                continue
            _put(out, f.name, value, limit, per_person, whole=bool(f.metadata.get("whole")))
        return out
    if isinstance(metrics, list | tuple):
        return [metrics_json(v, limit, per_person) for v in metrics]
    if isinstance(metrics, dict):
        named: dict[str, Any] = {}
        for k, v in metrics.items():
            _put(named, k, v, limit, per_person)
        return named
    return metrics


def _put(
    out: dict[str, Any],
    name: str,
    value: Any,
    limit: int | None,
    per_person: bool = True,
    whole: bool = False,
) -> None:
    """``out[name]``, a list bounded to ``limit`` with ``<name>_total`` beside it unless whole."""
    if isinstance(value, list | tuple) and not whole:
        out[name] = [metrics_json(v, limit, per_person) for v in first(value, limit)]
        out[f"{name}_total"] = len(value)
    else:
        out[name] = metrics_json(value, limit, per_person)


def _no_metrics() -> Any:
    return {}


@dataclass(frozen=True)
class ItemRef:
    """A pointer to a work item or a pull request, with what a reader needs to find it."""

    source: str
    title: str
    url: str | None = None
    key: str | None = None
    repo: str | None = None
    number: int | None = None
    note: str | None = None
    sep: str = "#"
    """The review's :attr:`~leadkit.model.data.Review.ref_sep`: ``#`` or GitLab's ``!``."""

    @classmethod
    def of(cls, thing: WorkItem | Review, note: str | None = None) -> ItemRef:
        if isinstance(thing, Review):
            return cls(
                source=thing.source,
                title=thing.title,
                url=thing.url,
                repo=thing.repo,
                number=thing.number,
                note=note,
                sep=thing.ref_sep,
            )
        return cls(source=thing.source, title=thing.title, url=thing.url, key=thing.key, note=note)

    @property
    def label(self) -> str:
        """How the item is named in text: ``PIPE-12``, ``org/repo#42`` or ``group/name!42``.

        The same string as the item's key or the review's ref, so an MR and an
        issue with the same number never share a label.
        """
        if self.key:
            return self.key
        return f"{self.repo}{self.sep}{self.number}"

    @property
    def sort_key(self) -> tuple[str, str, int, str]:
        return (self.source, self.key or self.repo or "", self.number or 0, self.sep)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source}
        if self.key is not None:
            out["key"] = self.key
        else:
            out["repo"] = self.repo
            out["number"] = self.number
            out["ref"] = self.label
        out["url"] = self.url
        out["title"] = self.title
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Finding(Generic[M]):
    """One observation about the lead or the flow of work, with its evidence."""

    kind: str
    severity: Severity
    message: str
    people: list[str] = field(default_factory=list)
    items: list[ItemRef] = field(default_factory=list)
    metrics: M = field(default_factory=_no_metrics)
    """The kind's numbers (its metrics dataclass); in the JSON field for field."""
    team: str | None = None
    computed: bool = True
    """False when data was too thin to judge; ``message`` then says why."""
    id: str = ""

    @classmethod
    def not_computed(cls, kind: str, reason: str) -> Finding[Any]:
        """A finding that could not be judged, saying why (thin data raises no alarm)."""
        return Finding(kind=kind, severity="info", message=reason, computed=False)

    def as_dict(self, limit: int | None = None, per_person: bool = True) -> dict[str, Any]:
        """The finding's JSON, listing the first ``limit`` items (None: all) and ``items_total``;
        without its :data:`PER_PERSON` metrics unless ``per_person``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "team": self.team,
            "severity": self.severity,
            "computed": self.computed,
            "message": self.message,
            "people": list(self.people),
            "items": [i.as_dict() for i in first(self.items, limit)],
            "items_total": len(self.items),
            "metrics": metrics_json(self.metrics, limit, per_person),
        }


@dataclass
class Suggestion:
    """Hand one item the lead holds to one person, with the reasons why."""

    item: ItemRef
    from_: str
    to: str
    score: float
    familiarity: float
    capacity: float
    growth: float
    rationale: str
    lead_hours_freed: float
    action: HandOff = "delegate"
    evidence: dict[str, Any] = field(default_factory=dict)
    team: str | None = None
    id: str = ""
    lead_hours_estimated: bool = False
    """True when ``lead_hours_freed`` is a default, not the lead's own history."""
    analysis: str = ""
    """The analysis that made it (set by the core; not in the JSON)."""
    item_rank: int = 0
    """Where its item ranks among the team's suggested items by the value of handing it
    off, the value actions rank by (0 first; set by the core; not in the JSON): a report
    lists the top ``[delegation] max_items``."""

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The suggestion's JSON; each list in ``evidence`` bounded to ``limit`` with its total."""
        return {
            "id": self.id,
            "team": self.team,
            "action": self.action,
            "item": self.item.as_dict(),
            "from": self.from_,
            "to": self.to,
            "score": round(self.score, 3),
            "parts": {
                "familiarity": round(self.familiarity, 3),
                "capacity": round(self.capacity, 3),
                "growth": round(self.growth, 3),
            },
            "rationale": self.rationale,
            "lead_hours_freed": round(self.lead_hours_freed, 1),
            "lead_hours_estimated": self.lead_hours_estimated,
            "evidence": metrics_json(self.evidence, limit),
        }


LEFT_OUT_REASONS: tuple[str, ...] = (
    "away",
    "quiet",
    "stalled",
    "overloaded",
    "new",
    "bot",
    "not_member",
    "no_match",
)
"""Why a member was never suggested, as the built-in delegation says it; a plugin kind may
add its own."""


@dataclass(frozen=True)
class LeftOut:
    """A team member an analysis never suggested anything to, and why.

    A kind yields these beside its suggestions, so nobody disappears from the
    advice silently; the report lists one per member never suggested
    (``teams[].left_out``), in the lead's report only.
    """

    person: str
    reason: str
    """One of :data:`LEFT_OUT_REASONS`, or a plugin kind's own."""
    detail: str
    """The reason in a few words, as the lead reads it: ``away until 4 Dec``."""

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.person, "reason": self.reason, "detail": self.detail}


@dataclass
class Action:
    """One of the few ranked things the lead could do next."""

    rank: int
    kind: str
    message: str
    findings: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    lead_hours_freed: float = 0.0
    people_unblocked: int = 0
    team: str | None = None
    lead_hours_estimated: bool = False
    """True when ``lead_hours_freed`` is a default, not history: it never outranks a person."""
    shared: str | None = None
    """The message for the team's report (``--audience team``), when ``message`` counts
    things about a named colleague (``who touched pipeline/ 19 times``): the reasons in
    words instead. The team's report makes it the ``message`` (the JSON's too); the lead's
    keeps every number."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "kind": self.kind,
            "team": self.team,
            "message": self.message,
            "findings": list(self.findings),
            "suggestions": list(self.suggestions),
            "lead_hours_freed": round(self.lead_hours_freed, 1),
            "lead_hours_estimated": self.lead_hours_estimated,
            "people_unblocked": self.people_unblocked,
        }
