"""interrupt-load: where the lead's actions went (own work, reviewing, others' items,
reactive work, answering questions), and how much of it interrupted them."""

from __future__ import annotations

from pathlib import Path

from leadkit.model.interchange import read_dataset_file
from leadkit.testing import Team, ago, comment, finding, labels, moved, review, run_report

PARTS = ("own", "reviewing", "others", "reactive", "answering")
REAL_HISTORY = Path(__file__).parent.parent / "data" / "real-history" / "golang-net.json"


def test_a_lead_pulled_into_others_bugs_warns_and_names_what_pulls() -> None:
    team = Team()
    team.item(
        "PIPE-190",
        assignee="owen",
        type="bug",
        comments=[comment("jamie", ago(d)) for d in (1, 2, 3, 4)],
    )
    team.item("PIPE-191", assignee="priya", comments=[comment("jamie", ago(5))])
    team.item(
        "PIPE-1",
        assignee="jamie",
        type="feature",
        transitions=[moved("In Progress", ago(6), by="jamie")],
    )
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    assert f["severity"] == "warn"  # 5 of 6 = 83%: a pattern over the window, never HIGH
    m = f["metrics"]
    assert [m[p] for p in ("activity", *PARTS)] == [6, 1, 0, 1, 4, 0]
    assert sum(m[p] for p in PARTS) == m["activity"]
    assert (m["interrupt_share"], m["review_share"]) == (0.833, 0.0)
    assert m["pulled_in_by"] == [
        {"person": "owen", "actions": 4},
        {"person": "priya", "actions": 1},
    ]
    # Who pulls the lead in is a count per person: in the metrics, never in `people`.
    assert f["people"] == ["jamie"]
    assert labels(f) == ["PIPE-190", "PIPE-191"]
    # Every interrupting action is traced to an item.
    assert sum(t["actions"] for t in m["interrupted_on"]) == m["others"] + m["reactive"]
    assert f["message"].startswith(
        "Of Jamie's 6 actions in the window: 0% reviewing, 83% others' items and questions, "
        "17% your own work (4 on reactive work, 1 on others' items, 1 on Jamie's own items and PRs)."
    )
    assert [t["item"] for t in m["interrupted_on"]] == ["PIPE-190", "PIPE-191"]
    # The weekly series covers the window and adds up.
    weeks = m["weekly"]
    assert weeks[0]["week"] == "2026-10-19" and weeks[-1]["week"] == "2026-11-16"
    assert sum(w[p] for w in weeks for p in PARTS) == m["activity"]
    # What pulls the lead in comes first, in words; who, with counts, only in the metrics.
    assert f["message"].endswith(
        "The interruptions went most to PIPE (5), above all PIPE-190 and PIPE-191."
    )
    assert "Owen" not in f["message"] and "Priya" not in f["message"]
    assert m["topics"] == [{"topic": "PIPE", "actions": 5}]


def test_topics_come_from_components_and_code_folders_of_a_monorepo() -> None:
    """A Jira component and a PR's code area of the same name (the service, not ``services/``)
    are one topic; the comments on the PR under services/orders/ are reviewing, not
    interruptions, so the topic counts the 3 comments on ORD items."""
    team = Team()
    for n, days in enumerate((1, 2, 3)):
        team.item(
            f"ORD-{n}",
            assignee="owen",
            type="bug",
            components=["orders"],
            comments=[comment("jamie", ago(days))],
        )
    team.pr(
        77,
        author="priya",
        paths=["services/orders/api/handlers.py"],
        comments=[comment("jamie", ago(d)) for d in (1, 2)],
    )
    team.item("CORE-1", assignee="jamie", transitions=[moved("In Progress", ago(4), by="jamie")])
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    topics = {t["topic"]: t["actions"] for t in f["metrics"]["topics"]}
    assert topics == {"orders": 3}
    assert "The interruptions went most to" in f["message"] and "ORD-0" in f["message"]
    assert "Owen" not in f["message"] and "Priya" not in f["message"]


def test_a_lead_on_their_own_planned_work_is_info() -> None:
    team = Team()
    team.item(
        "PIPE-1",
        assignee="jamie",
        type="feature",
        comments=[comment("jamie", ago(d)) for d in (1, 2, 3, 4, 5, 6)],
    )
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    assert f["severity"] == "info"
    assert f["metrics"]["interrupt_share"] == 0.0
    assert f["metrics"]["pulled_in_by"] == [] and f["items"] == []


def test_questions_to_the_lead_and_the_answers_are_counted() -> None:
    team = Team()
    team.item(
        "PIPE-190",
        assignee="owen",
        type="bug",
        comments=[
            comment("owen", ago(3), question=True, mentions=["jamie"]),
            comment("jamie", ago(3) + (ago(0) - ago(0, 2))),  # two hours later
            comment("owen", ago(2), question=True),
            comment("priya", ago(1)),
        ],
    )
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(d)) for d in (1, 2, 3, 4)])
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    m = f["metrics"]
    assert m["questions_to_lead"] == 1
    assert m["answered_by_lead"] == 1
    assert m["lead_median_answer_hours"] is None  # one answer is under min_samples (3)
    assert m["questions_answered_by_others"] == 1
    assert m["askers"] == [{"person": "owen", "questions": 1}]


def test_too_little_activity_is_not_computed_and_raises_no_alarm() -> None:
    team = Team()
    team.item("PIPE-190", assignee="owen", type="bug", comments=[comment("jamie", ago(1))])
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
    assert f["message"] == (
        "Jamie has 1 recorded action in the window (comments, reviews, status changes, own PRs "
        "opened, pushed or merged); too few (under 5) to judge interrupt load."
    )


def test_activity_before_the_window_is_not_counted() -> None:
    team = Team()
    team.item(
        "PIPE-190",
        assignee="owen",
        type="bug",
        comments=[comment("jamie", ago(d)) for d in range(30, 40)],
    )
    f = finding(team.json(), "interrupt-load")
    assert f is not None and f["computed"] is False


def test_reviewing_a_teammates_pr_is_reviewing_not_an_interruption() -> None:
    """Reviews and review comments on others' PRs are their own part, apart from the
    interrupt share; a comment that answers a question on a PR is answering."""
    team = Team()
    for n in range(4):
        team.pr(
            10 + n,
            author="owen",
            reviews=[review("jamie", ago(n + 1), "changes_requested")],
            comments=[comment("jamie", ago(n + 1, 1))],
        )
    team.pr(
        20,
        author="priya",
        comments=[
            comment("priya", ago(2, 3), question=True, mentions=["jamie"]),
            comment("jamie", ago(2, 2)),
        ],
    )
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(d)) for d in (1, 2)])
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    m = f["metrics"]
    assert [m[p] for p in ("activity", *PARTS)] == [11, 2, 8, 0, 0, 1]
    assert (m["interrupt_share"], m["review_share"]) == (0.091, 0.727)
    assert f["severity"] == "info"  # reviewing is the lead's job, not an interruption
    assert m["interrupted_on"] == [{"item": "acme/app#20", "actions": 1}]
    assert f["message"].startswith(
        "Of Jamie's 11 actions in the window: 73% reviewing, 9% others' items and questions, "
        "18% your own work"
    )


def test_the_leads_own_prs_count_as_own_work() -> None:
    """Opened, pushed, merged and reviewed by others (a review asking for something) in the
    window: the lead's own work, though no comment of the lead's shows it."""
    team = Team()
    team.pr(
        30,
        author="jamie",
        created=ago(6),
        last_pushed=ago(4),
        merged=ago(2),
        reviews=[review("priya", ago(5), "changes_requested"), review("priya", ago(3))],
    )
    team.pr(31, author="jamie", created=ago(40), merged=ago(1))  # opened before the window
    team.pr(32, author="jamie", created=ago(3), comments=[comment("jamie", ago(2))])
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    m = f["metrics"]
    # #30: opened, pushed, merged, changes requested (the approval asks nothing); #31:
    # merged; #32: opened and the lead's own comment.
    assert [m[p] for p in ("activity", *PARTS)] == [7, 7, 0, 0, 0, 0]
    assert m["interrupt_share"] == 0.0 and f["severity"] == "info"
    assert "100% your own work" in f["message"]


def test_answers_to_questions_are_their_own_part_before_reactive_work() -> None:
    team = Team()
    team.item(
        "OPS-7",
        assignee="owen",
        type="bug",
        comments=[
            comment("owen", ago(3, 4), question=True, mentions=["jamie"]),
            comment("jamie", ago(3, 3)),
            comment("jamie", ago(2)),
        ],
    )
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(d)) for d in (1, 2, 4)])
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    m = f["metrics"]
    assert [m[p] for p in ("activity", *PARTS)] == [5, 3, 0, 0, 1, 1]
    assert m["interrupt_share"] == 0.4 and m["answered_by_lead"] == 1


def test_weekly_parts_add_up_and_the_chart_stacks_own_reviewing_and_interruptions() -> None:
    team = Team()
    team.pr(10, author="owen", reviews=[review("jamie", ago(d)) for d in (1, 8)])
    team.item("OPS-1", assignee="owen", type="bug", comments=[comment("jamie", ago(2))])
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(d)) for d in (1, 9, 10)])
    report = team.report()
    f = finding(report.as_dict(), "interrupt-load")
    assert f is not None
    weeks = f["metrics"]["weekly"]
    assert {p: sum(w[p] for w in weeks) for p in PARTS} == {p: f["metrics"][p] for p in PARTS}
    chart = next(c for c in report.teams[0].charts if c.key == "weekly-activity")
    assert [name for name, _ in chart.series] == [
        "own work",
        "reviewing",
        "others' items and questions",
    ]
    assert [sum(values) for _, values in chart.series] == [3, 2, 1]


def test_a_real_gerrit_team_whose_lead_merges_dozens_of_changes_and_reviews_most() -> None:
    """golang.org/x/net's history (tests/data/real-history): Tess Rossi merged 24 changes of
    her own in the 90 days and reviewed 50 of the others'. That is half reviewing, half her
    own work, and no interruption: never "100% ... against 0 on the lead's own work"."""
    dataset = read_dataset_file(REAL_HISTORY)
    config = (
        '[team]\nname = "net"\nlead = "tess"\n\n[people.tess]\ngerrit = "u43210@golang.org"\n\n'
        '[analysis]\nsince = "90d"\nhistory_days = 180\n'
    )
    f = finding(run_report(dataset, config).as_dict(), "interrupt-load")
    assert f is not None
    m = f["metrics"]
    assert m["reviewing"] == 50  # each of the others' merged changes she approved
    # 24 merged, 23 opened in the window (one was opened before it); every review of hers
    # is an approval at merge time, which asks nothing of her.
    assert m["own"] == 47
    assert (m["others"], m["reactive"], m["answering"]) == (0, 0, 0)
    assert (m["interrupt_share"], m["review_share"]) == (0.0, 0.515)
    assert f["severity"] == "info"
    assert f["message"] == (
        "Of Tess Rossi's 97 actions in the window: 52% reviewing, 0% others' items and "
        "questions, 48% your own work (50 on others' PRs, 47 on Tess Rossi's own items and PRs)."
    )


def test_shares_are_whole_percentages_that_add_up_to_100() -> None:
    team = Team()
    team.pr(10, author="owen", reviews=[review("jamie", ago(1))])
    team.item("OPS-1", assignee="owen", type="bug", comments=[comment("jamie", ago(2))])
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(1))])
    team.thresholds["min_activity"] = 3
    f = finding(team.json(), "interrupt-load")
    assert f is not None
    assert "34% reviewing, 33% others' items and questions, 33% your own work" in f["message"]
