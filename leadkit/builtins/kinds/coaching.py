"""``coaching``: a member who keeps asking the lead about the very topic they want to grow in.

The questions are the context's (:attr:`AnalysisContext.questions`: asked in
the window on items and PRs not the lead's, to the lead or answered by the
lead), their topics the context's (a component, a code area's name); the
growth match is the delegation kind's (:func:`growth_match`: a word of the
topic, or of a title asked about, in a goal ``[people.x] growth`` names). At
``pair_min_questions`` such questions on one topic, the lead gets an action of
kind ``pair``: "Pair Owen Hart on pipeline: 6 of their questions to you were
about it, and they want to grow in pipeline design". Answering them one by one
keeps the lead the bottleneck; pairing on the topic grows the person who asks.

For the lead alone (:attr:`FindingKind.lead_only`): who asks what, and how
often, is never for the whole team to read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from leadkit import hookimpl
from leadkit.analyze.context import AnalysisContext, Question, tokens
from leadkit.analyze.kinds import TIER_GROWTH, ActionCandidate, FindingKind, Setting
from leadkit.builtins.kinds.away_risk import AWAY_DAYS
from leadkit.builtins.kinds.delegation import growth_match
from leadkit.hookspecs import AnalysisRegister
from leadkit.model.findings import Action, Finding, ItemRef

KIND = "coaching"
PAIR_MIN_QUESTIONS = Setting(
    "pair_min_questions",
    3,
    "questions a member asked the lead on one topic that matches their growth goal before "
    "the report suggests pairing them on it",
)


@dataclass
class PairOn:
    """A member, a topic they keep asking the lead about, and the growth goal it matches."""

    person: str
    topic: str
    questions: int
    """Their questions to the lead on the topic in the window."""
    goal: str
    items: list[str]
    """The items and PRs they asked on, most asked first."""


@dataclass
class CoachingMetrics:
    pairs: list[PairOn]
    min_questions: float


def _topic(topic: str) -> str:
    """A topic as said: a code area's name without its slash (``pipeline/`` is ``pipeline``)."""
    return topic.rstrip("/") or topic


def analyze(ctx: AnalysisContext) -> Iterator[Finding[CoachingMetrics]]:
    minimum = ctx.thresholds["pair_min_questions"]
    asked: dict[tuple[str, str], list[Question]] = defaultdict(list)
    for q in ctx.questions:
        if q.to_lead and q.asker in ctx.members:
            for topic in {_topic(t) for t in q.topics}:
                asked[(q.asker, topic)].append(q)
    pairs: list[PairOn] = []
    away = ctx.thresholds["away_days"]
    for (person, topic), questions in sorted(asked.items()):
        if len(questions) < minimum or ctx.is_away(person, away):
            continue
        counts: dict[str, int] = defaultdict(int)
        for q in questions:
            counts[q.target] += 1
        targets = sorted(counts, key=lambda t: (-counts[t], t))
        titles = [ctx.items_by_key[t].title for t in targets if t in ctx.items_by_key]
        titles += [ctx.reviews_by_ref[t].title for t in targets if t in ctx.reviews_by_ref]
        goal = growth_match(ctx, person, tokens(topic, *titles))
        if goal is None:
            continue
        labels = [_label(ctx, t) for t in targets]
        pairs.append(PairOn(person, topic, len(questions), goal, labels))
    if not pairs:
        return
    pairs.sort(key=lambda p: (ctx.members.index(p.person), -p.questions, p.topic))
    first = pairs[0]
    more = f" ({len(pairs) - 1} more below)" if len(pairs) > 1 else ""
    message = (
        f"{ctx.name(first.person)} asked {ctx.name(ctx.lead)} {first.questions} questions on "
        f"{first.topic} in the window and wants to grow in {first.goal}: a topic to pair on"
        f"{more}."
    )
    refs = []
    seen: set[str] = set()
    for p in pairs:
        for target in p.items:
            thing = ctx.items_by_key.get(target) or ctx.reviews_by_ref.get(target)
            if thing is not None and target not in seen:
                seen.add(target)
                refs.append(ItemRef.of(thing, note=f"{ctx.name(p.person)} asked on {p.topic}"))
    yield Finding(
        KIND,
        "info",
        message,
        people=[ctx.lead, *sorted({p.person for p in pairs})],  # the lead's questions first
        items=refs,
        metrics=CoachingMetrics(pairs, minimum),
    )


def _label(ctx: AnalysisContext, target: str) -> str:
    """An item's key or a PR's ref, as the report names it."""
    item = ctx.items_by_key.get(target)
    return item.key if item is not None else target


class Coaching(FindingKind[CoachingMetrics]):
    kind = KIND
    description = "members who keep asking the lead about the topic they want to grow in"
    order = 9
    settings = (PAIR_MIN_QUESTIONS, AWAY_DAYS)
    acts_on_info = True  # a prompt to coach, never an alarm
    lead_only = True  # who asks what, and how often, is for the lead alone

    def run(self, ctx: AnalysisContext) -> Iterator[Finding[CoachingMetrics]]:
        return analyze(ctx)

    def actions(
        self, finding: Finding[CoachingMetrics], ctx: AnalysisContext
    ) -> Iterable[ActionCandidate]:
        for p in finding.metrics.pairs:
            name = ctx.name(p.person)
            text = (
                f"Pair {name} on {p.topic}: {p.questions} of their questions to you were about "
                f"it, and they want to grow in {p.goal}"
            )
            action = Action(0, "pair", text, findings=[finding.id], lead_hours_estimated=True)
            # About the person and topic, not an item: a hand-off of the same item stays.
            yield ActionCandidate(action, f"pair:{p.person}:{p.topic}", order=8, tier=TIER_GROWTH)


@hookimpl
def register_analyses(register: AnalysisRegister) -> None:
    register(Coaching())
