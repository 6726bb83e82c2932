"""Who has room, on teams shaped like real trackers (issue 19, items 2, 3 and 6).

- Work in progress: a GitHub issue with an assignee and no sign of work is
  backlog (in nobody's load, never stalled); stalled is work that had
  activity and stopped; a PR waiting on the lead's review waits on the lead.
- The suggestions are one plan: each counts those made before it.
- "has room" is said only where the capacity the lead's text prints is above 0.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from leadkit.builtins.renderers import markdown, text
from leadkit.present.audience import for_audience
from leadkit.testing import Team, ago, blocks, comment, finding, host, moved, request, suggestions


def github_backlog_team() -> Team:
    """GitHub issues as the backlog: each member is assigned a few, untouched for a month.

    Kim built the billing code (merged PRs in billing/); Jamie holds a billing issue.
    """
    team = Team(members=["kim", "sam", "lee"])
    for n, person in enumerate(("kim", "kim", "kim", "sam", "sam", "lee")):
        team.item(
            f"acme/app#{100 + n}",
            source="github",
            assignee=person,
            status="open",
            title=f"Backlog idea {n}",
            components=["acme/app"],
            created=ago(40 + n),
            updated=ago(33),
        )
    for n in range(3):
        team.merged_pr(
            10 + n, author="kim", reviewers=["jamie"], paths=[f"billing/b{n}.py"], days_ago=20 + n
        )
    team.item(
        "acme/app#200",
        source="github",
        assignee="jamie",
        status="open",
        title="Invoice rounding",
        components=["acme/app"],
    )
    team.pr(90, author="jamie", draft=True, paths=["billing/round.py"], linked=["acme/app#200"])
    return team


def test_an_assigned_github_issue_with_no_sign_of_work_is_backlog_not_stalled() -> None:
    doc = github_backlog_team().json()
    assert finding(doc, "quiet-work") is None
    found = suggestions(doc, "acme/app#200")
    # Lee only touched the repository (GitHub's "component"): weak evidence, and billing/ is
    # reviewed by Jamie alone, so Kim, who wrote it, is the only suggestion.
    assert [s["to"] for s in found] == ["kim"]
    kim = found[0]
    assert kim["evidence"]["load"]["items"] == []  # three assigned issues, none started
    assert kim["rationale"].startswith("Kim touched billing/ 3 times in 90 days and has nothing")
    lead_wip = finding(doc, "lead-wip")
    assert lead_wip is None or lead_wip["metrics"]["team_median"] == 0


def test_an_issue_the_assignee_worked_on_and_left_is_stalled() -> None:
    team = github_backlog_team()
    team.items = [i for i in team.items if i.key != "acme/app#100"]
    team.item(
        "acme/app#100",
        source="github",
        assignee="kim",
        status="open",
        created=ago(40),
        comments=[comment("kim", ago(12))],  # in the window, then nothing
    )
    doc = team.json()
    assert "kim" not in {s["to"] for s in doc["suggestions"]}


def test_a_linked_open_pr_is_a_sign_of_work() -> None:
    team = github_backlog_team()
    for n in range(3):
        team.merged_pr(
            30 + n, author="sam", reviewers=["jamie"], paths=[f"billing/s{n}.py"], days_ago=15
        )
    team.pr(91, author="sam", paths=["billing/fx.py"], linked=["acme/app#103"], created=ago(1))
    sam = next(s for s in team.json()["suggestions"] if s["to"] == "sam")
    assert sam["evidence"]["load"]["items"] == ["github:acme/app#103"]  # #104 is still backlog
    assert sam["evidence"]["load"]["prs"] == ["acme/app#91"]


def test_work_whose_pr_waits_on_the_leads_review_waits_on_the_lead_not_stalled() -> None:
    team = github_backlog_team()
    # Kim started #101 two weeks ago and opened a PR for it, which waits on Jamie since.
    team.items = [i for i in team.items if i.key != "acme/app#101"]
    team.item(
        "acme/app#101",
        source="github",
        assignee="kim",
        status="open",
        created=ago(30),
        comments=[comment("kim", ago(14))],
    )
    team.pr(
        92,
        author="kim",
        paths=["billing/tax.py"],
        linked=["acme/app#101"],
        created=ago(14),
        last_pushed=ago(14),
        requests=[request("jamie", ago(14))],
    )
    doc = team.json()
    assert finding(doc, "quiet-work") is None
    kim = suggestions(doc, "acme/app#200")[0]
    assert kim["to"] == "kim"
    assert kim["evidence"]["waiting_on_lead"] == ["acme/app#101", "acme/app#92"]
    assert kim["parts"]["capacity"] == 1.0  # what waits on the lead is room, not load
    assert "(has room: acme/app#101 and acme/app#92 wait on Jamie)" in kim["rationale"]


# -- one plan ------------------------------------------------------------------------------


def payments_team() -> Team:
    """Jira: Kim knows payments best, Sam knows it too; Jamie holds four payments tickets."""
    team = Team(members=["kim", "sam", "lee"])
    for n in range(4):
        team.item(
            f"PAY-{n + 1}", assignee="kim", status="Done", components=["payments"], updated=ago(3)
        )
    for n in range(2):
        team.item(
            f"PAY-{n + 10}", assignee="sam", status="Done", components=["payments"], updated=ago(6)
        )
    team.item("WEB-1", assignee="lee", components=["web"], updated=ago(1))
    for n in range(4):
        team.item(
            f"PAY-{n + 50}",
            assignee="jamie",
            status="To Do",
            title=f"Payments chore {n}",
            components=["payments"],
        )
    return team


def test_the_suggestions_are_one_plan_each_counting_those_made_before() -> None:
    doc = payments_team().json()
    picks = {}
    for key in ("PAY-50", "PAY-51", "PAY-52", "PAY-53"):
        found = [s for s in doc["suggestions"] if s["item"]["key"] == key]
        picks[key] = found[0]  # the report lists each item's plan pick first
    by_person: dict[str, list[int]] = defaultdict(list)
    for s in picks.values():
        by_person[s["to"]].append(s["evidence"]["load_with_plan"])
        assert s["evidence"]["load_with_plan"] == 1 + len(s["evidence"]["planned"])
    # Kim knows most, but not all four: Sam, who knows payments too, takes some.
    assert set(by_person) == {"kim", "sam"}
    for loads in by_person.values():
        assert sorted(loads) == list(range(1, len(loads) + 1))
    second = next(s for s in picks.values() if s["evidence"]["planned"])
    assert "is given 1 other hand-off in this plan" in second["rationale"]


def test_nobody_is_pushed_to_twice_the_median_while_someone_who_knows_has_room() -> None:
    doc = payments_team().json()
    for key in ("PAY-50", "PAY-51", "PAY-52", "PAY-53"):
        found = [s for s in doc["suggestions"] if s["item"]["key"] == key]
        top, others = found[0], found[1:]
        if top["evidence"]["overloaded"]:
            assert all(
                o["evidence"]["overloaded"] or o["evidence"]["strength"] == "weak" for o in others
            )


def test_an_overloaded_member_never_has_room_in_any_format() -> None:
    team = Team(members=["kim", "sam", "lee"])
    team.item("LEE-1", assignee="lee", created=ago(3), transitions=[moved("In Progress", ago(1))])
    for n in range(3):
        team.item(f"CORE-{n + 1}", assignee="kim", status="Done", components=["core"])
    for n in range(8):
        team.item(f"CORE-{n + 20}", assignee="kim", components=["core"], updated=ago(1))
    team.item(
        "CORE-9",
        assignee="jamie",
        status="To Do",
        title="Decide the queue",
        labels=["design"],
        links=[blocks("CORE-20")],
    )
    team.item("CORE-30", assignee="jamie", status="To Do", title="Tidy", components=["core"])
    team.item("SAM-1", assignee="sam", created=ago(3), transitions=[moved("In Progress", ago(1))])
    report = team.report()
    [s] = suggestions(report.as_dict(), "CORE-30")
    assert s["to"] == "kim" and s["evidence"]["overloaded"] is True
    assert s["evidence"]["waiting_on_lead"] == ["CORE-20"]
    assert s["parts"]["capacity"] < 0.5
    assert "has room" not in s["rationale"]
    lead: Any = text.render(report, {})
    shared: Any = markdown.render(for_audience(report, "team", host().kinds), {})
    assert "(twice the team's median load or more)" in " ".join(lead.split())
    assert "has room" not in shared
    assert "would be at twice the team" in shared
