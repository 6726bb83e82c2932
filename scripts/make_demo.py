"""Writes leadkit/demo/team.json: the demo team's story as recorded tracker data.

The story (see README, "The demo team"): Jamie leads Owen, Tommy and Priya.
Jamie is the review bottleneck and the only reviewer ever seen on pipeline/;
Owen's test-environment bug pulls Jamie in; Jamie's multi-stage pipeline work
sits in testing, planned for release 2.4 two weeks out; a ticket Jamie holds
blocks Priya; Tommy's streaming work has gone quiet; the next-generation
architecture epic stays with Jamie, idle for two weeks and due in eleven days.

Run ``python scripts/make_demo.py`` after changing it; a test checks that the
committed file matches this script's output.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leadkit.demo import ANCHOR  # noqa: E402
from leadkit.model.data import (  # noqa: E402
    Account,
    Comment,
    Dataset,
    Due,
    Link,
    Person,
    Review,
    ReviewRequest,
    ReviewSubmission,
    Transition,
    Window,
    WorkItem,
    due_at,
)
from leadkit.model.interchange import dataset_to_json, dumps  # noqa: E402

JIRA = "https://acme.atlassian.net/browse/"
REPO = "acme/dataflow"
GH = f"https://github.com/{REPO}/pull/"

# Accounts: the same people under different names on each tracker.
J_JAMIE, J_OWEN, J_TOMMY, J_PRIYA, J_SAM = (
    "jira:5f1a0c2d9e7b4a0012ab3401",
    "jira:5f1a0c2d9e7b4a0012ab3402",
    "jira:5f1a0c2d9e7b4a0012ab3403",
    "jira:5f1a0c2d9e7b4a0012ab3406",
    "jira:5f1a0c2d9e7b4a0012ab3410",
)
G_JAMIE, G_OWEN, G_TOMMY, G_PRIYA = (
    "github:jrivera-dev",
    "github:ohart",
    "github:tlindqvist",
    "github:priya-s",
)


def t(text: str) -> datetime:
    """``"11-16 10:00"`` in 2026, UTC."""
    month_day, _, clock = text.partition(" ")
    month, day = (int(x) for x in month_day.split("-"))
    hour, minute = (int(x) for x in (clock or "09:00").split(":"))
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def later(text: str, days: int, clock: str) -> str:
    """The day ``days`` after ``text`` (``"MM-DD"``), at ``clock``."""
    from datetime import timedelta

    day = t(f"{text} 00:00") + timedelta(days=days)
    return f"{day:%m-%d} {clock}"


def people() -> list[Person]:
    def jira(key: str, name: str, email: str | None = None) -> Person:
        account = Account("jira", key.split(":", 1)[1], name, email)
        return Person(key, name, (email,) if email else (), (account,))

    def github(key: str, name: str, email: str | None = None) -> Person:
        login = key.split(":", 1)[1]
        account = Account("github", login, name, email, login)
        return Person(key, name, (email,) if email else (), (account,))

    return [
        jira(J_JAMIE, "Jamie Rivera", "jamie.rivera@example.com"),
        jira(J_OWEN, "Owen Hart"),
        jira(J_TOMMY, "Tommy Lindqvist", "tommy@example.com"),
        jira(J_PRIYA, "Priya Shah"),
        jira(J_SAM, "Sam Okafor"),
        github(G_JAMIE, "Jamie R."),
        github(G_OWEN, "Owen Hart"),
        github(G_TOMMY, "tlindqvist", "tommy@example.com"),
        github(G_PRIYA, "Priya S."),
    ]


def item(
    key: str,
    title: str,
    raw_type: str,
    status: str,
    category: str,
    assignee: str | None,
    created: str,
    *,
    reporter: str | None = None,
    updated: str | None = None,
    resolved: str | None = None,
    components: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
    parent: str | None = None,
    links: tuple[Link, ...] = (),
    transitions: tuple[Transition, ...] = (),
    comments: tuple[Comment, ...] = (),
    due: Due | None = None,
) -> WorkItem:
    from leadkit.model.data import normalize_type

    times = [t(created), *(x.at for x in transitions), *(c.at for c in comments)]
    if resolved:
        times.append(t(resolved))
    return WorkItem(
        source="jira",
        key=key,
        url=JIRA + key,
        title=title,
        type=normalize_type(raw_type),
        raw_type=raw_type,
        status=status,
        status_category=category,  # type: ignore[arg-type]
        assignee=assignee,
        reporter=reporter or assignee,
        created=t(created),
        updated=t(updated) if updated else max(times),
        resolved=t(resolved) if resolved else None,
        components=components,
        labels=labels,
        parent=parent,
        links=links,
        transitions=transitions,
        comments=comments,
        due=due.at if due else None,
        due_source=due.source if due else None,
        due_name=due.name if due else None,
    )


def due_on(day: str, source: str = "duedate", name: str | None = None) -> Due:
    """A due date as the Jira adapter reads it: the end of the day ``"MM-DD"``."""
    return Due(due_at(t(day)), source, name)  # type: ignore[arg-type]


RELEASE_2_4 = due_on("12-04", "fix_version", "2.4")
"""Fix version 2.4, released two weeks after the recording: Jamie's pipeline work."""


def move(when: str, by: str, frm: str | None, to: str, category: str | None = None) -> Transition:
    return Transition(at=t(when), to_status=to, from_status=frm, by=by, to_category=category)  # type: ignore[arg-type]


def say(when: str, by: str, question: bool = False, mentions: tuple[str, ...] = ()) -> Comment:
    return Comment(by=by, at=t(when), question=question, mentions=mentions)


def work_items() -> list[WorkItem]:
    items = [
        # Jamie's own planned work: code-complete, parked in testing.
        item(
            "PIPE-200",
            "Multi-stage pipeline runner",
            "Story",
            "In Testing",
            "in_progress",
            J_JAMIE,
            "10-05 10:00",
            components=("pipeline",),
            transitions=(
                move("10-12 09:00", J_JAMIE, "To Do", "In Progress", "in_progress"),
                move("11-09 09:30", J_JAMIE, "In Progress", "In Testing", "in_progress"),
            ),
            comments=(say("11-09 09:35", J_JAMIE),),
            due=RELEASE_2_4,
        ),
        item(
            "PIPE-201",
            "Integration tests for the multi-stage pipeline",
            "Test",
            "To Do",
            "todo",
            J_JAMIE,
            "11-09 09:40",
            components=("pipeline",),
            labels=("testing",),
            parent="PIPE-200",
            due=RELEASE_2_4,
        ),
        # A decision Jamie holds that Priya waits on.
        item(
            "PIPE-210",
            "Decide the artifact storage format for stage outputs",
            "Task",
            "In Progress",
            "in_progress",
            J_JAMIE,
            "10-28 11:00",
            components=("pipeline",),
            labels=("design",),
            links=(Link("blocks", "PIPE-215"),),
            transitions=(move("11-02 10:00", J_JAMIE, "To Do", "In Progress", "in_progress"),),
        ),
        item(
            "PIPE-215",
            "Stage output compaction",
            "Story",
            "In Progress",
            "in_progress",
            J_PRIYA,
            "11-06 14:00",
            components=("pipeline",),
            links=(Link("is-blocked-by", "PIPE-210"),),
            transitions=(move("11-10 09:15", J_PRIYA, "To Do", "In Progress", "in_progress"),),
            comments=(say("11-12 10:00", J_PRIYA, True, (J_JAMIE,)), say("11-13 16:30", J_JAMIE)),
        ),
        # The architecture epic: Jamie's to keep.
        item(
            "NGX-1",
            "Next generation X architecture",
            "Epic",
            "In Progress",
            "in_progress",
            J_JAMIE,
            "09-15 09:00",
            labels=("architecture",),
            transitions=(move("09-20 09:00", J_JAMIE, "To Do", "In Progress", "in_progress"),),
            comments=(say("10-26 15:00", J_JAMIE), say("11-04 15:00", J_JAMIE)),
            due=due_on("12-01"),
        ),
        # Reactive work on Jamie's plate.
        item(
            "OPS-31",
            "Rotate the CI runner credentials",
            "Ops Task",
            "To Do",
            "todo",
            J_JAMIE,
            "11-12 08:30",
            reporter=J_SAM,
            components=("ci",),
        ),
        item(
            "SUP-12",
            "Customer asks why the nightly ingestion export is late",
            "Support Request",
            "In Progress",
            "in_progress",
            J_JAMIE,
            "11-17 08:00",
            reporter=J_SAM,
            components=("ingestion",),
            transitions=(move("11-17 09:00", J_JAMIE, "Open", "In Progress", "in_progress"),),
            comments=(say("11-17 08:05", J_SAM, True), say("11-17 11:00", J_JAMIE)),
        ),
        item(
            "OPS-20",
            "Move CI runners to the new VPC",
            "Ops Task",
            "Done",
            "done",
            J_TOMMY,
            "09-02 09:00",
            resolved="09-10 17:00",
            components=("ci",),
            transitions=(
                move("09-03 09:00", J_TOMMY, "To Do", "In Progress", "in_progress"),
                move("09-10 17:00", J_TOMMY, "In Progress", "Done", "done"),
            ),
            comments=(say("09-05 10:00", J_TOMMY),),
        ),
        # Owen's test environment: most of Jamie's comments in the window land here.
        item(
            "PIPE-190",
            "Test environment fails to start the integration database",
            "Bug",
            "Done",
            "done",
            J_OWEN,
            "10-26 09:00",
            resolved="11-13 15:00",
            components=("test-env",),
            transitions=(
                move("10-26 09:30", J_OWEN, "To Do", "In Progress", "in_progress"),
                move("11-13 15:00", J_OWEN, "In Progress", "Done", "done"),
            ),
            comments=tuple(
                c
                for day, hour in (
                    ("10-27", 10),
                    ("10-29", 11),
                    ("11-02", 14),
                    ("11-03", 9),
                    ("11-05", 15),
                    ("11-09", 10),
                    ("11-11", 13),
                    ("11-12", 16),
                )
                for c in (
                    say(f"{day} {hour:02d}:00", J_OWEN, True, (J_JAMIE,)),
                    say(f"{day} {hour + 1:02d}:30", J_JAMIE),
                )
            ),
        ),
        # Owen's own project, finishing this week.
        item(
            "PIPE-205",
            "Retry policy for failed pipeline stages",
            "Story",
            "In Progress",
            "in_progress",
            J_OWEN,
            "10-30 10:00",
            components=("pipeline",),
            transitions=(move("11-02 09:00", J_OWEN, "To Do", "In Progress", "in_progress"),),
            comments=(say("11-18 17:00", J_OWEN),),
        ),
        # Questions on ingestion: Jamie answers most, Priya already answers some.
        item(
            "DATA-93",
            "Backfill job skips late partitions",
            "Bug",
            "Done",
            "done",
            J_OWEN,
            "11-03 09:00",
            resolved="11-16 12:00",
            components=("ingestion",),
            transitions=(
                move("11-03 10:00", J_OWEN, "To Do", "In Progress", "in_progress"),
                move("11-16 12:00", J_OWEN, "In Progress", "Done", "done"),
            ),
            comments=(
                say("11-04 10:00", J_OWEN, True),
                say("11-04 14:00", J_JAMIE),
                say("11-10 10:00", J_OWEN, True),
                say("11-10 11:00", J_PRIYA),
                say("11-16 10:00", J_OWEN, True),
                say("11-16 11:30", J_JAMIE),
            ),
        ),
        # Tommy's streaming work: quiet for over a week, no contact with Jamie.
        item(
            "DATA-88",
            "Kafka consumer rebalancing for the streaming job",
            "Story",
            "In Progress",
            "in_progress",
            J_TOMMY,
            "10-20 09:00",
            components=("streaming",),
            transitions=(move("10-29 09:00", J_TOMMY, "To Do", "In Progress", "in_progress"),),
            comments=(say("11-09 17:00", J_TOMMY),),
        ),
    ]
    # Owen's finished pipeline tickets in the look-back: his history in the area.
    for n, day in enumerate(("08-26", "09-09", "09-23", "10-07"), start=150):
        items.append(
            item(
                f"PIPE-{n}",
                f"Pipeline stage improvement {n - 149}",
                "Story",
                "Done",
                "done",
                J_OWEN,
                f"{day} 09:00",
                resolved=later(day, 4, "16:00"),
                components=("pipeline",),
            )
        )
    # Jamie's own finished test work before the window: how long testing takes Jamie,
    # so the hours PIPE-201 would free come from history, not a default.
    for n, (title, day, active) in enumerate(
        (
            ("Integration tests for stage scheduling", "09-01", 4),
            ("Load tests for the ingestion loader", "09-14", 3),
            ("Regression tests for the nightly export", "09-28", 4),
        ),
        start=120,
    ):
        steps = [later(day, d, "10:00") for d in range(active)]
        items.append(
            item(
                f"PIPE-{n}",
                title,
                "Sub-task",
                "Done",
                "done",
                J_JAMIE,
                f"{day} 09:00",
                resolved=later(day, active - 1, "17:00"),
                components=("pipeline",),
                labels=("testing",),
                transitions=(
                    move(steps[0], J_JAMIE, "To Do", "In Progress", "in_progress"),
                    move(later(day, active - 1, "17:00"), J_JAMIE, "In Progress", "Done", "done"),
                ),
                comments=tuple(say(step, J_JAMIE) for step in steps[1:]),
            )
        )
    return items


def pr(
    number: int,
    title: str,
    author: str,
    created: str,
    paths: tuple[str, ...],
    *,
    merged: str | None = None,
    requests: tuple[ReviewRequest, ...] = (),
    reviews: tuple[ReviewSubmission, ...] = (),
    comments: tuple[Comment, ...] = (),
    pushed: str | None = None,
    keys: tuple[str, ...] = (),
    branch: str | None = None,
) -> Review:
    times = [t(created), *(r.at for r in reviews), *(c.at for c in comments)]
    if merged:
        times.append(t(merged))
    if pushed:
        times.append(t(pushed))
    return Review(
        source="github",
        repo=REPO,
        number=number,
        url=f"{GH}{number}",
        title=title,
        author=author,
        created=t(created),
        updated=max(times),
        merged=t(merged) if merged else None,
        closed=t(merged) if merged else None,
        branch=branch,
        last_pushed=t(pushed) if pushed else t(created),
        review_requests=requests,
        reviews=reviews,
        comments=comments,
        paths=paths,
        linked_keys=keys,
    )


def ask(who: str, when: str) -> ReviewRequest:
    return ReviewRequest(reviewer=who, requested=t(when))


def rev(who: str, when: str, state: str = "approved") -> ReviewSubmission:
    return ReviewSubmission(by=who, state=state, at=t(when))  # type: ignore[arg-type]


def reviews() -> list[Review]:
    out: list[Review] = []
    # Owen's pipeline history: ten PRs, every one reviewed by Jamie alone.
    history = (
        "08-25",
        "09-01",
        "09-08",
        "09-15",
        "09-22",
        "09-29",
        "10-06",
        "10-13",
        "10-16",
        "10-20",
    )
    for i, day in enumerate(history):
        number = 101 + i * 2
        out.append(
            pr(
                number,
                f"Pipeline: stage scheduling step {i + 1}",
                G_OWEN,
                f"{day} 10:00",
                (f"pipeline/stage_{i}.py", "pipeline/runner.py"),
                merged=later(day, 2, "15:00"),
                requests=(ask(G_JAMIE, f"{day} 10:05"),),
                reviews=(rev(G_JAMIE, later(day, 2, "11:00")),),
            )
        )
    # Tommy's and Priya's history: streaming and ingestion, reviewed by Priya.
    out.append(
        pr(
            118,
            "Ingestion: parse late-arriving events",
            G_TOMMY,
            "09-10 10:00",
            ("ingestion/late_events.py",),
            merged="09-11 16:00",
            requests=(ask(G_PRIYA, "09-10 10:05"),),
            reviews=(rev(G_PRIYA, "09-10 13:00"),),
        )
    )
    out.append(
        pr(
            120,
            "Streaming: consumer group metrics",
            G_TOMMY,
            "09-24 10:00",
            ("streaming/metrics.py",),
            merged="09-25 12:00",
            requests=(ask(G_PRIYA, "09-24 10:05"),),
            reviews=(rev(G_PRIYA, "09-24 12:00"),),
        )
    )
    out.append(
        pr(
            124,
            "Ingestion: batch loader",
            G_PRIYA,
            "10-01 10:00",
            ("ingestion/loader.py",),
            merged="10-03 12:00",
            requests=(ask(G_JAMIE, "10-01 10:05"),),
            reviews=(rev(G_JAMIE, "10-02 15:00"),),
        )
    )
    # Merged in the window: Jamie reviews nearly everything, slowly.
    window = [
        (
            130,
            "Pipeline: stage timeouts",
            G_OWEN,
            "10-26 10:00",
            ("pipeline/timeouts.py",),
            "10-28 17:00",
            ((G_JAMIE, "10-26 10:05", "10-28 15:00"),),
        ),
        (
            131,
            "Ingestion: checksum validation",
            G_PRIYA,
            "10-27 11:00",
            ("ingestion/checksum.py",),
            "10-29 17:00",
            ((G_JAMIE, "10-27 11:05", "10-29 16:00"),),
        ),
        (
            132,
            "Streaming: offset commit retries",
            G_TOMMY,
            "10-29 10:00",
            ("streaming/offsets.py",),
            "10-30 12:00",
            ((G_PRIYA, "10-29 10:05", "10-29 13:00"),),
        ),
        (
            133,
            "Pipeline: stage dependency graph",
            G_OWEN,
            "11-02 10:00",
            ("pipeline/graph.py",),
            "11-04 17:00",
            ((G_JAMIE, "11-02 10:05", "11-04 15:00"),),
        ),
        (
            134,
            "Ingestion: partition pruning",
            G_PRIYA,
            "11-03 11:00",
            ("ingestion/partitions.py",),
            "11-05 17:00",
            ((G_JAMIE, "11-03 11:05", "11-05 16:00"),),
        ),
        (
            135,
            "Ingestion: metrics for the loader",
            G_OWEN,
            "11-05 10:00",
            ("ingestion/metrics.py",),
            "11-07 12:00",
            ((G_PRIYA, "11-05 10:05", "11-05 12:00"), (G_JAMIE, "11-05 10:05", "11-06 16:00")),
        ),
        (
            136,
            "Pipeline: artifact cleanup",
            G_OWEN,
            "11-09 10:00",
            ("pipeline/cleanup.py",),
            "11-11 17:00",
            ((G_JAMIE, "11-09 10:05", "11-11 15:00"),),
        ),
        (
            137,
            "Ingestion: schema evolution checks",
            G_PRIYA,
            "11-10 11:00",
            ("ingestion/schema_checks.py",),
            "11-12 17:00",
            ((G_JAMIE, "11-10 11:05", "11-12 16:00"),),
        ),
        (
            138,
            "Ingestion: dedupe replayed batches",
            G_OWEN,
            "11-12 10:00",
            ("ingestion/dedupe.py",),
            "11-13 12:00",
            ((G_PRIYA, "11-12 10:05", "11-12 14:00"),),
        ),
    ]
    for number, title, author, created, paths, merged, asks in window:
        out.append(
            pr(
                number,
                title,
                author,
                created,
                paths,
                merged=merged,
                requests=tuple(ask(who, at) for who, at, _ in asks),
                reviews=tuple(rev(who, done) for who, _, done in asks),
            )
        )
    # Open now: Jamie's own PR nobody was asked to review, and the queue waiting on Jamie.
    # Times are UTC, London's winter time: in the team's 09:00-17:00, Owen's #141 has waited
    # from Monday 10:00 to Friday 16:00, 38 working hours or 4.8 working days.
    out.append(
        pr(
            139,
            "Multi-stage pipeline runner",
            G_JAMIE,
            "11-02 16:00",
            ("pipeline/multistage.py", "pipeline/runner.py"),
            pushed="11-09 09:00",
            keys=("PIPE-200",),
            branch="jamie/PIPE-200-multistage",
        )
    )
    out.append(
        pr(
            141,
            "Retry failed ingestion batches",
            G_OWEN,
            "11-16 09:30",
            ("ingestion/retry.py", "ingestion/loader.py"),
            requests=(ask(G_JAMIE, "11-16 10:00"),),
            pushed="11-16 09:30",
        )
    )
    out.append(
        pr(
            143,
            "Stage caching for the pipeline runner",
            G_OWEN,
            "11-17 09:00",
            ("pipeline/cache.py",),
            requests=(ask(G_JAMIE, "11-17 09:00"),),
            pushed="11-17 09:00",
            keys=("PIPE-205",),
        )
    )
    out.append(
        pr(
            145,
            "Schema registry client for ingestion",
            G_PRIYA,
            "11-19 10:30",
            ("ingestion/schema_registry.py",),
            requests=(ask(G_JAMIE, "11-19 11:00"),),
            pushed="11-19 10:30",
        )
    )
    return out


def build() -> dict[str, object]:
    window = Window(
        start=datetime(2026, 10, 23, 16, 0, tzinfo=UTC),
        end=ANCHOR,
        history_start=datetime(2026, 8, 22, 16, 0, tzinfo=UTC),
    )
    dataset = Dataset(
        window=window,
        people=people(),
        work_items=work_items(),
        reviews=reviews(),
        sources=["jira", "github"],
    )
    return dataset_to_json(dataset)


def main() -> None:
    target = ROOT / "leadkit" / "demo" / "team.json"
    target.write_text(dumps(build()), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
