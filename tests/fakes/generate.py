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
from dataclasses import dataclass
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
from tests.fakes.fake_github import FakePull, FakeRepo
from tests.fakes.fake_jira import (
    CommentSpec,
    FakeUser,
    IssueSpec,
    assignee_change,
    status_change,
)

AREAS = ("api", "web", "pipeline", "ingest", "docs", "infra", "billing", "auth")
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


@dataclass(frozen=True)
class Member:
    """One person of the generated org: config id, Jira account, GitHub login."""

    id: str
    name: str
    jira: str
    github: str
    email: str


def org(size: int = 12) -> list[Member]:
    """The org's people; the first is the lead, the next seven the team."""
    names = ["Jamie", "Owen", "Tommy", "Priya", "Ana", "Ben", "Chen", "Dara"]
    out = []
    for i in range(size):
        first = names[i] if i < len(names) else f"Person{i}"
        pid = first.lower()
        out.append(
            Member(
                id=pid,
                name=f"{first} Example",
                jira=f"acc-{pid}",
                github=f"{pid}-gh",
                email=f"{pid}@acme.example",
            )
        )
    return out


def config_toml(
    members: list[Member], *, sources: str = "", team_size: int = 8, extra: str = ""
) -> str:
    """A leadkit.toml for the org: the team, people with both accounts, then ``sources``."""
    lead, rest = members[0], members[1:team_size]
    lines = [
        "[team]",
        f'lead = "{lead.id}"',
        "members = [" + ", ".join(f'"{m.id}"' for m in rest) + "]",
        "",
    ]
    for m in members:
        lines += [
            f"[people.{m.id}]",
            f'name = "{m.name}"',
            f'jira = "{m.jira}"',
            f'github = "{m.github}"',
            "",
        ]
    return "\n".join(lines) + extra + "\n" + sources


def github_users(members: list[Member]) -> dict[str, tuple[str | None, str | None]]:
    """``FakeGitHub(users=...)``: login to (name, email)."""
    return {m.github: (m.name, m.email) for m in members}


def jira_users(members: list[Member]) -> list[FakeUser]:
    return [FakeUser(m.jira, m.name, m.email, name=m.id) for m in members]


def _ago(rng: random.Random, now: datetime, days: float, min_hours: float = 2.0) -> datetime:
    seconds = rng.uniform(min_hours * 3600, days * 86400)
    return (now - timedelta(seconds=seconds)).replace(microsecond=0)


def github_repos(
    n: int,
    *,
    now: datetime,
    members: list[Member] | None = None,
    repos: int = 2,
    owner: str = "acme",
    project: str = "PIPE",
    seed: int = 1,
    days: int = 60,
) -> list[FakeRepo]:
    """``n`` PRs spread evenly over ``repos`` repositories (``acme/repo0``...)."""
    rng = random.Random(seed)
    members = members or org()
    logins = [m.github for m in members]
    out = [FakeRepo(f"{owner}/repo{r}") for r in range(repos)]
    for k in range(n):
        repo = out[k % repos]
        number = len(repo.pulls) + 1
        repo.pulls.append(_pull(rng, number, logins, now, days, project))
    return out


def _pull(
    rng: random.Random, number: int, logins: list[str], now: datetime, days: int, project: str
) -> FakePull:
    author = rng.choice(logins)
    others = [x for x in logins if x != author]
    created = _ago(rng, now, days, min_hours=6)
    area = rng.choice(AREAS)
    key = f"{project}-{rng.randint(1, 2000)}"
    roll = rng.random()
    state = "OPEN" if roll < 0.25 else ("MERGED" if roll < 0.95 else "CLOSED")
    t = created + timedelta(minutes=rng.randint(1, 30))
    requests: list[tuple[str, str, datetime, str]] = []
    reviews: list[tuple[str, str, datetime]] = []
    first = rng.choice(others)
    requests.append(("requested", first, t, author))
    if rng.random() < 0.4:
        requests.append(("requested", rng.choice(others), t, author))
    if rng.random() < 0.1:  # withdrawn, then someone else asked
        t += timedelta(hours=rng.uniform(1, 30))
        requests.append(("removed", first, t, author))
        first = rng.choice(others)
        requests.append(("requested", first, t, author))
    comments, threads = [], []
    for _ in range(rng.randint(0, 4)):
        t += timedelta(hours=rng.uniform(0.2, 20))
        who = rng.choice(logins)
        text = f"@{author} why is this needed?" if rng.random() < 0.3 else "Thanks, looks fine."
        comments.append((who, t, text))
    for _ in range(rng.choice((0, 0, 1, 2, 3))):
        t += timedelta(hours=rng.uniform(0.5, 20))
        thread = [(first, t, f"Nit in {area}: can you rename this?")]
        if rng.random() < 0.6:
            thread.append((author, t + timedelta(minutes=30), "Done."))
        threads.append(thread)
    if state != "OPEN" or rng.random() < 0.5:
        for verdict in rng.choice(
            (("APPROVED",), ("COMMENTED", "APPROVED"), ("CHANGES_REQUESTED", "APPROVED"))
        ):
            t += timedelta(hours=rng.uniform(1, 40))
            reviews.append((first, verdict, t))
    if rng.random() < 0.15:  # a re-request after changes
        t += timedelta(hours=rng.uniform(1, 10))
        requests.append(("requested", first, t, author))
    updated = min(now - timedelta(hours=1), t + timedelta(minutes=rng.randint(5, 600)))
    pull = FakePull(
        number=number,
        title=f"{key}: change {number} in {area}",
        author=author,
        created=created,
        updated=max(updated, created),
        state=state,
        draft=state == "OPEN" and rng.random() < 0.1,
        branch=f"{key.lower()}-{area}-{number}",
        body=f"Part of {key}. Touches {area}/.",
        files=[f"{area}/mod_{rng.randint(1, 40)}.py" for _ in range(rng.randint(1, 12))],
        reviews=reviews,
        comments=comments,
        threads=threads,
        requests=requests,
    )
    if state != "OPEN":
        pull.closed = pull.updated
        if state == "MERGED":
            pull.merged = pull.updated
    return pull


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
        created = _ago(rng, now, days, min_hours=24)
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
        created = _ago(rng, now, days, min_hours=24)
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
        created = _ago(rng, now, days, min_hours=6)
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
