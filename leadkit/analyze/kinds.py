"""A finding kind: the unit of extension.

One object declares everything about one kind of finding: the analysis that
finds it, where it sorts, the ``[thresholds]`` it reads (with their
defaults), the actions it suggests, its ``[gates]``, the notes it adds to a
pull-request comment, the lines only the lead's own report shows, and its
charts. Ranking, gates, the PR comment and the renderers loop over the
registered kinds and never name one.

A plugin registers a kind through ``register_analyses``: ``register(kind)``
with a :class:`FindingKind`, or ``register(name, function, description=...)``
with a plain function, which gets the defaults (no settings, gates, actions,
notes or charts).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from leadkit.model.findings import (
    SEVERITY_ORDER,
    Action,
    Finding,
    LeftOut,
    Suggestion,
    metrics_json,
)
from leadkit.model.report import Chart
from leadkit.options import Option

if TYPE_CHECKING:
    from leadkit.analyze.context import AnalysisContext

M = TypeVar("M")
"""A kind's metrics: a dataclass (or, from an older plugin, a dict)."""

DEFAULT_ORDER = 100
"""Where a kind that says nothing sorts: after the built-ins."""


@dataclass(frozen=True)
class Setting:
    """One ``[thresholds]`` key a kind reads: its default and what it means."""

    name: str
    default: float
    doc: str
    hours_key: str = ""
    """An older key that gave this working-days setting in working hours: still read,
    divided by the team's working day, with a one-line deprecation warning."""


@dataclass(frozen=True)
class Gate(Generic[M]):
    """One ``[gates]`` key: how it reads its value from a finding's metrics and says it."""

    name: str
    doc: str
    """What the limit bounds, for the docs and ``leadkit config check``."""
    value: Callable[[M], float | None]
    """The value from the finding's metrics; None when the finding cannot give one."""
    describe: Callable[[float, M | None], str]
    """The value in words, for the ``--check`` line (metrics None: the analysis found nothing)."""
    share: bool = False
    """A share between 0 and 1 (shown as a percentage)."""
    absent: float | None = 0.0
    """The value when the analysis ran and reported nothing; None means not evaluated."""
    why_none: str = ""
    """Why a computed finding gives no value (when ``value`` returns None)."""
    hours_key: str = ""
    """An older key that gave this working-days limit in working hours (see :class:`Setting`)."""
    minimum: bool = False
    """A lower bound (a ``min_`` gate): it fails when the value is under its limit."""


def whole_pct(share: float) -> str:
    """A share as a whole percentage (``78%``), for trend lines."""
    return f"{share * 100:.0f}%"


def number(value: float) -> str:
    """A count or ratio as short as it reads (``3``, ``2.5``)."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class TrendMetric(Generic[M]):
    """One key number a kind tracks from window to window (``teams[].trend`` in the JSON).

    The core reads it from the kind's finding in the report's window and in
    the previous window of the same length (the kind run again on the data
    as it stood then), and in the HTML, week by week for a sparkline. A kind
    declares it; nothing in the core names a kind.
    """

    metric: str
    """The name in the JSON (``lead_review_share``); unique among the loaded kinds."""
    label: str
    """What it is, in words, for the trend line (``the lead's review share``)."""
    value: Callable[[M], float | None]
    """The value from the finding's metrics; None when the finding cannot give one."""
    show: Callable[[float], str] = number
    """The value as the trend line prints it (``78%``, ``2.2 working days``)."""
    samples: Callable[[M], int] | None = None
    """How many observations the value rests on: under ``[thresholds] min_samples`` it is null."""
    absent: float | None = None
    """The value when the kind ran and reported nothing (0 for a count); None means unknown."""
    working_hours: bool = False
    """The value is a wait in working hours: shown, instead of by ``show``, in the team's
    working days (``2.2 working days``), or working hours under one day."""


TIER_UNBLOCK = 0
"""A person at work blocked by the lead: first, the longest wait first."""
TIER_OVERDUE_REVIEW = 1
"""A PR past the high mark (``review_wait_high_days``) whose author is at work."""
TIER_OWN_DONE = 2
"""The lead's own work done but untested or unreviewed, offered as its remaining part."""
TIER_CHECK_IN = 3
"""A member whose work went quiet: a person who may be stuck without saying so."""
TIER_GROWTH = 4
"""A delegation on strong evidence to someone who wants to learn the work."""
TIER_REST = 5
"""Everything else, by the value it frees (:func:`leadkit.analyze.ranking.action_value`)."""
WAITS_FIRST = frozenset({TIER_UNBLOCK, TIER_OVERDUE_REVIEW})
"""Tiers where the longest wait comes first, whatever else an action frees."""
MAX_REVIEW_HANDOFFS = 2
"""At most this many review hand-offs among the top five actions: a half-hour review is
rarely one of the few things a lead should do next."""


@dataclass
class ActionCandidate:
    """An action a finding or a suggestion proposes, before ranking picks the few that show."""

    action: Action
    about: str
    """The item it is about (``PIPE-12``, ``org/repo#4``): one action per item survives."""
    waited_days: float = 0.0
    """How long someone has waited on it: a longer wait ranks it higher."""
    weight: float = 1.0
    """How the kind of work weighs the lead hours it frees (routine work hands off easiest)."""
    order: int = 9
    """Between equally valued actions, the lower order first."""
    tier: int = TIER_REST
    """Where it ranks before any value is weighed (``TIER_*``): the order a seasoned lead
    would act in. A hand-off of an item takes the best tier of the findings' actions on it."""
    covers: tuple[str, ...] = ()
    """Other items it also acts on (a PR linked to the item, its open sub-tasks): no other
    action is about them."""
    ask: str = ""
    """The remaining part to ask someone for (``write the tests for PIPE-12 '...'``): ranking
    asks the best candidate of the delegation suggestions for ``covers`` or ``about``
    (:func:`ask_someone`); with none, the action's own message stands."""
    then: str = ""
    """What the asking action says after the person's reasons (``; and ask for a review of
    org/repo#4``)."""


@dataclass(frozen=True)
class PullRequestView:
    """What a kind's PR-comment notes may know about the pull request."""

    ref: str
    """``org/repo#N``."""
    linked: frozenset[str]
    """Work-item keys the PR links to."""
    lead: str
    """The lead's name."""
    name: Callable[[str | None], str]
    """A person's name from their id."""


def plural(n: float, one: str, many: str) -> str:
    """``one`` when ``n`` is 1, else ``many``."""
    return one if n == 1 else many


def pct(share: float) -> str:
    """A share as a percentage precise enough that a value just over its limit reads as over it."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


class FindingKind(Generic[M]):
    """Base class of a finding kind: set the attributes and override what applies.

    Only :attr:`kind` and :meth:`run` are required; everything else has a
    default that does nothing.
    """

    kind: str = ""
    """The finding kind (``review-queue``): the registered name and each finding's ``kind``."""
    description: str = ""
    order: int = DEFAULT_ORDER
    """Where its findings sort among equally severe ones, and when it runs."""
    settings: Sequence[Setting] = ()
    """The ``[thresholds]`` it reads; the config refuses any key no loaded kind declares."""
    gates: Sequence[Gate[M]] = ()
    acts_on_info: bool = False
    """Whether an ``info`` finding of this kind still proposes actions."""
    options: Sequence[Option] = ()
    """Its ``[plugins.<kind>]`` table's keys (checked by the core, listed by ``leadkit
    plugins``); read them in :meth:`run` as ``ctx.plugin_options(self.kind)``."""
    trends: Sequence[TrendMetric[M]] = ()
    """The key numbers it tracks against the previous window (see :class:`TrendMetric`)."""
    lead_only: bool = False
    """Its findings and the actions citing them are for the lead alone (a prompt to check
    in with a named colleague): a report for the team (``--audience team``) leaves them out.
    A metrics field that counts things per colleague is marked instead, with
    ``field(metadata=PER_PERSON)`` (:data:`leadkit.model.findings.PER_PERSON`)."""
    per_person_evidence: Sequence[str] = ()
    """The keys of its suggestions' ``evidence`` that count things about the named person
    (their touches, their load): a report for the team leaves them out."""

    def run(self, ctx: AnalysisContext) -> Iterable[Finding[Any] | Suggestion | LeftOut]:
        """Findings and suggestions for one team (and, for a kind that suggests people,
        a :class:`LeftOut` for each member it never suggested, with why)."""
        raise NotImplementedError

    def actions(self, finding: Finding[M], ctx: AnalysisContext) -> Iterable[ActionCandidate]:
        """What a computed finding proposes doing (ranked with every other kind's)."""
        return ()

    def suggestion_action(self, s: Suggestion, ctx: AnalysisContext) -> ActionCandidate | None:
        """The action that carries out one of this kind's suggestions (default: hand it off).

        A suggestion on weak evidence (:func:`weak_evidence`) makes no action.
        """
        return None if weak_evidence(s) else handoff(s, ctx)

    def holds_up(self, finding: Finding[M]) -> Iterable[str]:
        """Items (labels) in a blockage: handing one off unblocks someone, and any action
        on one cites this finding."""
        return ()

    def pr_notes(self, finding: Finding[M], pr: PullRequestView) -> Iterable[str]:
        """Plain sentences for the comment on a pull request this finding involves."""
        return ()

    def lead_details(self, finding: Finding[M], name: Callable[[str | None], str]) -> Iterable[str]:
        """Lines only the lead's own report shows (counts about named colleagues)."""
        return ()

    def charts(self, finding: Finding[M] | None, lead: str) -> Iterable[Chart]:
        """This kind's charts for one team (``finding`` None: the analysis found nothing)."""
        return ()

    def team_fields(self, finding: Finding[M]) -> Mapping[str, Any]:
        """Fields of the team's summary (``teams[]`` in the JSON) a computed finding fills:
        each a field :class:`leadkit.model.report.TeamSummary` declares (and marks
        ``PER_PERSON`` when it is about colleagues, so a team's report leaves it out)."""
        return {}


HANDOFFS = {
    "delegate": ("delegate", 0),
    "review": ("hand-review", 2),
    "answer": ("share-answering", 5),
}
"""Per suggestion action, the action kind that carries it out and its order among equals."""


def hours_text(hours: float, estimated: bool, whose: str = "") -> str:
    """``about 6 h``, or ``about 6 h, an estimate`` when the hours are a default."""
    shown = f"{hours:.1f}".removesuffix(".0")
    text = f"about {shown} h" + (f" {whose}" if whose else "")
    return text + (", an estimate" if estimated else "")


def because(name: str, rationale: str) -> str:
    """``", who touched ..."`` when the rationale starts with the person's name."""
    if rationale.startswith(name + " "):
        return ", who " + rationale[len(name) + 1 :]
    return ": " + rationale


WEAK_LABEL = "weak evidence"
"""How every format marks a suggestion whose ``evidence.strength`` is ``weak``."""


def weak_evidence(s: Suggestion) -> bool:
    """The suggestion rests on weak evidence (project-level, a label, a growth goal only):
    labelled in every format, never a top action."""
    return s.evidence.get("strength") == "weak"


def reasons_in_words(s: Suggestion) -> str:
    """Why this person, with no score and no count: ``"knows services/orders/, has room"``.

    For the team's report (PR comments, job summaries, Slack, ``--audience team``);
    the scores and counts stay in the lead's.
    """
    from leadkit.analyze.context import describe_area

    bits = []
    area = s.evidence.get("area")
    if s.action == "answer":
        bits.append(f"already answers questions on {s.item.key}")
    elif isinstance(area, str) and area:
        verb = "knows" if s.familiarity >= 0.5 else "has worked in"
        bits.append(f"{verb} {describe_area(area)}")
    # "has room" only where the capacity the lead's text prints is above 0.
    room = s.capacity > 0 and not s.evidence.get("overloaded")
    if s.evidence.get("overloaded"):
        bits.append("would be at twice the team's median load")
    elif room and s.evidence.get("waiting_on_lead"):
        bits.append("has room while waiting on the lead")
    elif room and s.capacity >= 0.5:
        bits.append("has room")
    goal = s.evidence.get("growth_goal")
    if goal:
        bits.append(f"wants to learn {goal}")
    text = ", ".join(bits) or "has worked on similar items"
    return f"{text} ({WEAK_LABEL})" if weak_evidence(s) else text


def handoff(s: Suggestion, ctx: AnalysisContext) -> ActionCandidate:
    """Hand the suggestion's item to its person: the action, in the lead's words and the team's.

    The lead's text says the rationale with its counts; the team's
    (:attr:`Action.shared`) gives the reasons in words.
    """
    label, to = s.item.label, ctx.name(s.to)
    author = s.evidence.get("author")
    # Nobody away counts as waiting: their PR's review is no hurry while they are off.
    at_work = isinstance(author, str) and bool(author) and not ctx.is_away(author)
    if s.action == "review":
        head = f"Hand the review of {label} to {to}"
        after = f"; {ctx.name(author)} is waiting" if at_work else ""
    elif s.action == "answer":
        head = f"Ask {to} to field {s.item.title}"
        after = ""
    else:
        head = f"Delegate {label} '{s.item.title}' to {to}"
        after = "; frees " + hours_text(s.lead_hours_freed, s.lead_hours_estimated, "of your time")
    kind, order = HANDOFFS.get(s.action, HANDOFFS["delegate"])
    action = Action(
        0,
        kind,
        head + because(to, s.rationale) + after,
        suggestions=[s.id],
        lead_hours_freed=s.lead_hours_freed,
        people_unblocked=1 if s.action == "review" and at_work else 0,
        lead_hours_estimated=s.lead_hours_estimated,
        shared=f"{head}, who {reasons_in_words(s)}{after}",
    )
    grows = s.action == "delegate" and bool(s.evidence.get("growth_goal"))
    return ActionCandidate(
        action,
        label,
        waited_days=float(s.evidence.get("waited_days", 0.0) or 0.0) if at_work else 0.0,
        # The kind of work weighs the hours: routine work is the easier hand-off.
        weight=float(s.evidence.get("rank_weight", 1.0) or 1.0),
        order=order,
        tier=TIER_GROWTH if grows and s.evidence.get("strength") == "strong" else TIER_REST,
    )


def ask_someone(candidate: ActionCandidate, s: Suggestion, ctx: AnalysisContext) -> None:
    """Make ``candidate`` ask ``s``'s person for its remaining part (:attr:`ActionCandidate.ask`):
    ``Ask Owen to write the tests for PIPE-12 '...', who ...``, in the lead's words and the team's.
    """
    to = ctx.name(s.to)
    head = f"Ask {to} to {candidate.ask}"
    action = candidate.action
    action.message = head + because(to, s.rationale) + candidate.then
    action.shared = f"{head}, who {reasons_in_words(s)}{candidate.then}"
    action.suggestions = [s.id]
    action.lead_hours_freed = max(action.lead_hours_freed, s.lead_hours_freed)
    action.lead_hours_estimated = action.lead_hours_estimated and s.lead_hours_estimated
    action.kind = HANDOFFS["delegate"][0]


class FunctionKind(FindingKind[Any]):
    """A kind registered as a plain function: ``register(name, function, description=...)``."""

    def __init__(
        self, name: str, function: Callable[[AnalysisContext], Any], description: str = ""
    ) -> None:
        self.kind = name
        self.function = function
        self.description = description

    def run(self, ctx: AnalysisContext) -> Iterable[Finding[Any] | Suggestion | LeftOut]:
        results: Iterable[Finding[Any] | Suggestion | LeftOut] | None = self.function(ctx)
        return results or ()


class BadResult(ValueError):
    """A kind returned a finding or suggestion the report cannot carry (its run then fails)."""


def run_kind(kind: FindingKind[Any], ctx: AnalysisContext) -> list[Any]:
    """What ``kind`` returns for ``ctx``, every finding and suggestion in it checked.

    A kind is plugin code: a finding with an unknown severity, or a number
    that is not finite (NaN, infinity) in its metrics or a suggestion's
    scores, would pass unchecked into every format and make the JSON invalid,
    so it raises :class:`BadResult` and the kind's run fails as any failing
    analysis does (a note naming it; the other kinds still run).
    """
    results = list(kind.run(ctx) or ())
    for result in results:
        if isinstance(result, Finding):
            if result.severity not in SEVERITY_ORDER:
                known = ", ".join(SEVERITY_ORDER)
                raise BadResult(
                    f"it returned a finding with severity {result.severity!r} (known: {known})"
                )
            _finite(metrics_json(result.metrics), "a finding's metric")
        elif isinstance(result, Suggestion):
            numbers = {
                n: getattr(result, n)
                for n in ("score", "familiarity", "capacity", "growth", "lead_hours_freed")
            }
            _finite({**numbers, "evidence": metrics_json(result.evidence)}, "a suggestion's")
    return results


def _finite(value: Any, what: str, name: str = "") -> None:
    """Refuse a float in ``value`` (JSON-ready data) that is NaN or infinite."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _finite(inner, what, f"{name}.{key}" if name else str(key))
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            _finite(inner, what, f"{name}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise BadResult(f"it returned {what} '{name}' = {value} (finite numbers only)")


class Kinds:
    """The registered kinds, in order, and what they declare together."""

    def __init__(self, kinds: Iterable[FindingKind[Any]]) -> None:
        self.all = sorted(kinds, key=lambda k: (k.order, k.kind))
        self.by_name = {k.kind: k for k in self.all}

    def __iter__(self) -> Iterator[FindingKind[Any]]:
        return iter(self.all)

    def get(self, name: str) -> FindingKind[Any] | None:
        return self.by_name.get(name)

    def rank(self, name: str) -> int:
        """Where findings of kind ``name`` sort (a kind nobody registered sorts last)."""
        kind = self.by_name.get(name)
        return kind.order if kind is not None else DEFAULT_ORDER

    def settings(self) -> dict[str, Setting]:
        """Every declared ``[thresholds]`` key (a setting several kinds read is declared once)."""
        out: dict[str, Setting] = {}
        for kind in self.all:
            for setting in kind.settings:
                out.setdefault(setting.name, setting)
        return out

    def defaults(self) -> dict[str, float]:
        return {name: s.default for name, s in self.settings().items()}

    def trends(self) -> list[tuple[FindingKind[Any], TrendMetric[Any]]]:
        """Every declared trend metric with its kind, in kind order (a name declared twice: the first)."""
        seen: set[str] = set()
        out: list[tuple[FindingKind[Any], TrendMetric[Any]]] = []
        for kind in self.all:
            for metric in kind.trends:
                if metric.metric not in seen:
                    seen.add(metric.metric)
                    out.append((kind, metric))
        return out

    def renamed(self) -> dict[str, str]:
        """Each older ``*_hours`` key of ``[thresholds]`` and ``[gates]``, with the key that
        replaced it (``review_wait_warn_hours`` → ``review_wait_warn_days``)."""
        out = {s.hours_key: s.name for s in self.settings().values() if s.hours_key}
        out.update((g.hours_key, g.name) for _, g in self.gates().values() if g.hours_key)
        return out

    def thresholds(self, values: Mapping[str, float], day_hours: float) -> dict[str, float]:
        """Every ``[thresholds]`` key for one team: the defaults, then the config's ``values``
        with any older hours key turned into days of ``day_hours``."""
        return {**self.defaults(), **self.in_days(values, day_hours)}

    def in_days(self, values: Mapping[str, float], day_hours: float) -> dict[str, float]:
        """``values`` with each older hours key replaced by its days key, converted by a
        working day of ``day_hours``; where both are set, the days key wins."""
        renamed = self.renamed()
        out: dict[str, float] = {}
        for key, value in values.items():
            new = renamed.get(key)
            if new is None:
                out[key] = value
            elif new not in values:
                out[new] = value / day_hours
        return out

    def lead_only(self) -> frozenset[str]:
        """The kinds whose findings only the lead reads (:attr:`FindingKind.lead_only`)."""
        return frozenset(k.kind for k in self.all if k.lead_only)

    def per_person_evidence(self, name: str) -> frozenset[str]:
        """The evidence keys of kind ``name``'s suggestions that count things per person."""
        kind = self.by_name.get(name)
        return frozenset(kind.per_person_evidence) if kind is not None else frozenset()

    def gates(self) -> dict[str, tuple[FindingKind[Any], Gate[Any]]]:
        """Every ``[gates]`` key, with the kind it reads."""
        return {gate.name: (kind, gate) for kind in self.all for gate in kind.gates}
