"""How strong a suggestion's evidence is, on teams shaped like real trackers (issue 19, item 4).

Strong: the same code area at the depth where work is owned, or the same
component, touched recently. Weak: only the project, a label or a growth goal:
labelled in every format, never a top action, and never enough to hand away
work in an area only the lead reviews.
"""

from __future__ import annotations

from typing import Any

from leadkit.builtins.renderers import html, markdown, text
from leadkit.present.audience import for_audience
from leadkit.testing import Team, ago, host, request, suggestions


def monorepo_team() -> Team:
    """A monorepo: Owen works in services/orders/, Tommy in services/billing/."""
    team = Team()
    for n in range(3):
        team.merged_pr(
            10 + n,
            author="owen",
            reviewers=["jamie"],
            repo="acme/platform",
            paths=[f"services/orders/api/order_{n}.py"],
            days_ago=10 + n,
        )
    for n in range(6):
        team.merged_pr(
            20 + n,
            author="tommy",
            reviewers=["priya"],
            repo="acme/platform",
            paths=[f"services/billing/invoice_{n}.py"],
            days_ago=2 + n,
        )
    team.item("ORD-7", raw_type="Task", assignee="jamie", status="To Do", title="Order tests")
    team.pr(
        60,
        author="jamie",
        repo="acme/platform",
        draft=True,
        paths=["services/orders/api/cancel.py"],
        linked=["ORD-7"],
        created=ago(1),
    )
    return team


def jira_dc_project_team() -> Team:
    """Jira Data Center with no components: Kim only ever touched the PAY project."""
    team = Team(members=["kim", "sam"])
    for n in range(4):
        team.item(f"PAY-{n + 1}", raw_type="Story", assignee="kim", status="Done", updated=ago(6))
    team.item("PAY-90", raw_type="Task", assignee="jamie", status="To Do", title="Refund limits")
    return team


def test_the_same_owned_code_area_touched_recently_is_strong() -> None:
    found = suggestions(monorepo_team().json(), "ORD-7")
    assert [(s["to"], s["evidence"]["strength"]) for s in found] == [("owen", "strong")]
    assert "weak evidence" not in found[0]["rationale"]


def test_the_same_component_long_ago_is_moderate() -> None:
    team = Team(members=["owen"])
    team.item("PIPE-1", assignee="owen", status="Done", components=["pipeline"], updated=ago(80))
    team.item("PIPE-9", assignee="jamie", status="To Do", components=["pipeline"])
    [s] = suggestions(team.json(), "PIPE-9")
    assert s["evidence"]["strength"] == "moderate"


def test_project_level_evidence_is_weak_labelled_everywhere_and_never_a_top_action() -> None:
    team = jira_dc_project_team()
    report = team.report()
    doc = report.as_dict()
    [s] = suggestions(doc, "PAY-90")
    assert s["to"] == "kim"
    assert s["evidence"]["strength"] == "weak"
    assert "touched the PAY project 4 times" in s["rationale"]
    assert "(weak evidence: only the project, a label or a growth goal)" in s["rationale"]
    assert all("PAY-90" not in a["message"] for a in doc["actions"])
    team_report = for_audience(report, "team", host().kinds)
    for render in (text.render, markdown.render, html.render):
        for audience in (report, team_report):
            shown: Any = render(audience, {})
            assert "PAY-90" in shown and "weak evidence" in shown, render.__module__


def test_a_label_alone_is_weak() -> None:
    team = Team(members=["kim"])
    team.item("OPS-1", assignee="kim", status="Done", labels=["infra"], updated=ago(3))
    team.item("WEB-4", assignee="jamie", status="To Do", labels=["infra"])
    [s] = suggestions(team.json(), "WEB-4")
    assert s["evidence"]["area"] == "label:infra"
    assert s["evidence"]["strength"] == "weak"


def lead_only_core_team() -> Team:
    """Only Jamie reviews core/, where Sam (on leave) writes; Kim knows the CORE project only."""
    team = Team(members=["kim", "sam"])
    team.person("sam", away=["2026-11-16..2026-12-04"])
    for n in range(4):
        team.merged_pr(
            30 + n, author="sam", reviewers=["jamie"], repo="acme/app", paths=[f"core/m{n}.py"]
        )
    for n in range(3):
        team.merged_pr(
            40 + n, author="kim", reviewers=["sam"], repo="acme/app", paths=[f"web/p{n}.py"]
        )
        team.item(f"CORE-{n + 1}", assignee="kim", status="Done", updated=ago(4))
    team.item("CORE-9", assignee="jamie", status="To Do", title="Scheduler rewrite")
    team.pr(
        70,
        author="jamie",
        repo="acme/app",
        draft=True,
        paths=["core/scheduler.py"],
        linked=["CORE-9"],
        created=ago(2),
    )
    return team


def test_work_in_an_area_only_the_lead_reviews_is_not_handed_away_on_weak_evidence() -> None:
    doc = lead_only_core_team().json()
    concentration = next(f for f in doc["findings"] if f["kind"] == "review-concentration")
    assert [a["label"] for a in concentration["metrics"]["sole_reviewer_areas"]] == [
        "core/ in acme/app"
    ]
    # Kim touched the CORE project three times, but never core/: not enough to hand it away.
    assert suggestions(doc, "CORE-9") == []


def test_a_review_hand_off_needs_the_prs_own_code_area_so_it_is_never_weak() -> None:
    team = monorepo_team()
    team.pr(
        61,
        author="priya",
        repo="acme/platform",
        paths=["services/orders/api/refund.py"],
        created=ago(2),
        requests=[request("jamie", ago(2))],
    )
    found = suggestions(team.json(), "acme/platform#61")
    assert [(s["to"], s["evidence"]["strength"]) for s in found] == [("owen", "strong")]
