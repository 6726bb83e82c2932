"""Generated teams for the fake servers and for analysis at scale (tests and benchmarks).

One seeded team (a lead, members, and the rest of the org) in three forms:

- :func:`github_repos`: :class:`FakeRepo` specs for the fake GitHub (PRs with
  review requests, re-requests and removals, reviews, comments, review threads,
  changed files and Jira keys in titles and branches);
- :func:`jira_issues`: :class:`IssueSpec` for the fake Jira (status and
  assignee changelogs, comments with questions and mentions, blocks/relates
  links, epics as parents);
- :func:`model_dataset`: the normalized :class:`Dataset` directly, for
  measuring the analyses on 100,000+ items without any server.

Shapes stay within what one search/GraphQL page embeds (fewer than 20 Jira
comments, 100 histories, 3 review threads...), as typical items do, so a fetch costs
about ceil(N/100) requests. Everything is deterministic for a seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from leadkit.model.data import (
    Account,
    Assignment,
    Comment,
    Dataset,
    Link,
    Person,
    Review,
    ReviewRequest,
    ReviewSubmission,
    Transition,
    Window,
    WorkItem,
)
from leadkit.testing import AREAS, Member, org, random_ago
from tests.fakes.fake_jira import (
    CommentSpec,
    FakeUser,
    IssueSpec,
    assignee_change,
    status_change,
)

FLOW = ("To Do", "In Progress", "In Review", "Testing", "Done")
CATEGORY = {
    "To Do": "todo",
    "In Progress": "in_progress",
    "In Review": "in_progress",
    "Testing": "in_progress",
    "Done": "done",
}
JIRA_TYPES = ("Story", "Story", "Bug", "Task", "Task", "Sub-task", "Epic")
MODEL_TYPES = ("feature", "feature", "bug", "task", "task", "ops", "support", "test")


def jira_users(members: list[Member]) -> list[FakeUser]:
    return [FakeUser(m.jira, m.name, m.email, name=m.id) for m in members]


def jira_issues(
    n: int,
    *,
    now: datetime,
    members: list[Member] | None = None,
    project: str = "PIPE",
    seed: int = 2,
    days: int = 90,
) -> list[IssueSpec]:
    """``n`` issues with changelogs, comments, links and epics, created over ``days``."""
    rng = random.Random(seed)
    members = members or org()
    users = jira_users(members)
    by_id = {u.account_id: u for u in users}
    ids = list(by_id)
    epics: list[str] = []
    out: list[IssueSpec] = []
    for number in range(1, n + 1):
        key = f"{project}-{number}"
        kind = rng.choice(JIRA_TYPES)
        created = random_ago(rng, now, days, min_hours=24)
        reporter = rng.choice(ids)
        assignee: str | None = rng.choice(ids)
        histories = []
        t = created
        if rng.random() < 0.3:  # assigned after creation, or handed over
            t += timedelta(hours=rng.uniform(1, 24))
            new = rng.choice(ids)
            histories.append(assignee_change(t, reporter, by_id[assignee], by_id[new]))
            assignee = new
        steps = rng.randint(0, len(FLOW) - 1)
        status = FLOW[0]
        for step in range(steps):
            t += timedelta(hours=rng.uniform(1, 72))
            histories.append(status_change(t, assignee, FLOW[step], FLOW[step + 1]))
            status = FLOW[step + 1]
        if status == "Testing" and rng.random() < 0.2:  # bounced back once
            t += timedelta(hours=rng.uniform(1, 24))
            histories.append(status_change(t, assignee, "Testing", "In Progress"))
            status = "In Progress"
        comments = []
        for _ in range(rng.randint(0, 6)):
            t += timedelta(hours=rng.uniform(0.5, 30))
            who = rng.choice(ids)
            body = (
                f"[~accountid:{assignee}] can you check the logs?"
                if rng.random() < 0.35
                else "Updated the notes."
            )
            comments.append(CommentSpec(t, who, body))
        links: list[tuple[str, str]] = []
        if number > 1 and rng.random() < 0.08:
            links.append(("blocks", f"{project}-{rng.randint(1, number - 1)}"))
        if number > 1 and rng.random() < 0.05:
            links.append(("relates", f"{project}-{rng.randint(1, number - 1)}"))
        parent = rng.choice(epics) if epics and kind != "Epic" and rng.random() < 0.3 else None
        if kind == "Epic":
            epics.append(key)
        out.append(
            IssueSpec(
                key=key,
                summary=f"{rng.choice(AREAS).title()} work item {number}",
                created=created,
                updated=min(now - timedelta(hours=1), max(t, created)),
                type=kind,
                status=status,
                assignee=assignee,
                reporter=reporter,
                resolved=t if status == "Done" else None,
                labels=rng.sample(["backend", "frontend", "pipeline", "ops"], k=rng.randint(0, 2)),
                components=[rng.choice(AREAS)],
                parent=parent,
                links=links,
                histories=histories,
                comments=comments,
            )
        )
    return out


def model_dataset(
    items: int,
    prs: int,
    *,
    now: datetime | None = None,
    members: list[Member] | None = None,
    seed: int = 3,
    days: int = 90,
    window_days: int = 28,
) -> Dataset:
    """A normalized dataset of ``items`` work items and ``prs`` PRs, accounts as adapters key them.

    About 7 events per work item and 7 per PR, so 100,000 items and 50,000 PRs
    carry over a million events.
    """
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    members = members or org(40)
    jira = [f"jira:{m.jira}" for m in members]
    gh = [f"github:{m.github}" for m in members]
    people = [
        Person(
            id=f"jira:{m.jira}",
            name=m.name,
            emails=(m.email,),
            accounts=(Account("jira", m.jira, m.name, m.email),),
        )
        for m in members
    ] + [
        Person(
            id=f"github:{m.github}",
            name=m.name,
            accounts=(Account("github", m.github, m.name, None, m.github),),
        )
        for m in members
    ]
    work: list[WorkItem] = []
    for number in range(1, items + 1):
        created = random_ago(rng, now, days, min_hours=24)
        assignee = rng.choice(jira)
        t = created
        transitions = []
        steps = rng.randint(0, len(FLOW) - 1)
        for step in range(steps):
            t += timedelta(hours=rng.uniform(1, 72))
            transitions.append(
                Transition(t, FLOW[step + 1], FLOW[step], assignee, CATEGORY[FLOW[step + 1]])  # type: ignore[arg-type]
            )
        assignments = [Assignment(created, assignee, None, rng.choice(jira))]
        comments = []
        for _ in range(rng.randint(1, 7)):
            t += timedelta(hours=rng.uniform(0.5, 30))
            question = rng.random() < 0.3
            comments.append(Comment(rng.choice(jira), t, question, (assignee,) if question else ()))
        status = FLOW[steps]
        links = ()
        if number > 1 and rng.random() < 0.08:
            links = (Link("blocks", f"PIPE-{rng.randint(1, number - 1)}"),)
        work.append(
            WorkItem(
                source="jira",
                key=f"PIPE-{number}",
                title=f"{rng.choice(AREAS).title()} work item {number}",
                type=rng.choice(MODEL_TYPES),
                status=status,
                status_category=CATEGORY[status],  # type: ignore[arg-type]
                created=created,
                updated=min(now, t),
                assignee=assignee,
                reporter=rng.choice(jira),
                resolved=t if status == "Done" else None,
                labels=tuple(rng.sample(["backend", "frontend", "pipeline", "ops"], k=1)),
                components=(rng.choice(AREAS),),
                links=links,
                transitions=tuple(transitions),
                assignments=tuple(assignments),
                comments=tuple(comments),
            )
        )
    reviews: list[Review] = []
    for number in range(1, prs + 1):
        author = rng.choice(gh)
        reviewer = rng.choice([g for g in gh if g != author])
        created = random_ago(rng, now, days, min_hours=6)
        t = created + timedelta(minutes=10)
        requests = [ReviewRequest(reviewer, t, by=author)]
        if rng.random() < 0.2:
            second = rng.choice([g for g in gh if g not in (author, reviewer)])
            requests.append(ReviewRequest(second, t, by=author))
        submissions = []
        comments = []
        for _ in range(rng.randint(1, 6)):
            t += timedelta(hours=rng.uniform(0.2, 20))
            question = rng.random() < 0.3
            comments.append(Comment(rng.choice(gh), t, question, (author,) if question else ()))
        merged = None
        if rng.random() < 0.75:
            for verdict in ("commented", "approved"):
                t += timedelta(hours=rng.uniform(1, 30))
                submissions.append(ReviewSubmission(reviewer, verdict, t))  # type: ignore[arg-type]
            merged = min(now, t + timedelta(hours=1))
        area = rng.choice(AREAS)
        key = f"PIPE-{rng.randint(1, max(items, 1))}"
        reviews.append(
            Review(
                source="github",
                repo=f"acme/repo{number % 8}",
                number=number,
                title=f"{key}: change {number} in {area}",
                created=created,
                updated=min(now, t),
                author=author,
                merged=merged,
                closed=merged,
                branch=f"{key.lower()}-{area}",
                last_pushed=created,
                review_requests=tuple(requests),
                reviews=tuple(submissions),
                comments=tuple(comments),
                paths=tuple(f"{area}/mod_{rng.randint(1, 40)}.py" for _ in range(3)),
                linked_keys=(key,),
            )
        )
    window = Window(
        start=now - timedelta(days=window_days),
        end=now,
        history_start=now - timedelta(days=days),
    )
    return Dataset(
        window=window,
        people=people,
        work_items=work,
        reviews=reviews,
        sources=["jira", "github"],
    )


def event_count(dataset: Dataset) -> int:
    """Comments, transitions, assignments, requests and reviews in a dataset."""
    total = 0
    for item in dataset.work_items:
        total += len(item.comments) + len(item.transitions) + len(item.assignments)
    for review in dataset.reviews:
        total += len(review.comments) + len(review.reviews) + len(review.review_requests)
    return total
