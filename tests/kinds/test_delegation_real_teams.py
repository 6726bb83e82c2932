"""Delegation on data shaped like real trackers: Jira's own types, a monorepo, loaded and quiet people."""

from __future__ import annotations

from datetime import timedelta

from leadkit.testing import (
    Team,
    ago,
    blocks,
    comment,
    finding,
    moved,
    request,
    suggestions,
)


def jira_dc_team() -> Team:
    """A Jira Data Center site: Story, Task, Sub-task, Bug and Epic only, no "Test" type.

    Jamie holds the checkout epic, an architecture Story, a testing Sub-task,
    a certificate-rotation Task, a Bug and a feature Story. Owen has built the
    payments code; Tommy runs the gateway; Priya works on search.
    """
    team = Team()
    team.person("owen", growth=["payments"])
    for n in range(3):
        team.item(
            f"CHK-{10 + n}",
            raw_type="Story",
            assignee="owen",
            status="Done",
            components=["payments"],
            updated=ago(8 + 3 * n),
        )
    for n in range(3):
        team.item(
            f"OPS-{10 + n}",
            raw_type="Task",
            assignee="tommy",
            status="Done",
            components=["gateway"],
            title=f"Renew the gateway certificates, batch {n}",
            updated=ago(12 + n),
        )
    team.item("SRCH-1", raw_type="Story", assignee="priya", status="Done", components=["search"])
    team.item(
        "CHK-100", raw_type="Epic", assignee="jamie", title="Checkout v2", components=["payments"]
    )
    team.item(
        "CHK-101",
        raw_type="Story",
        assignee="jamie",
        title="Split the checkout service",
        labels=["architecture"],
        components=["payments"],
    )
    team.item(
        "CHK-102",
        raw_type="Sub-task",
        assignee="jamie",
        status="To Do",
        title="Write integration tests for the payment retry",
        labels=["testing"],
        components=["payments"],
        parent="CHK-100",
    )
    team.item(
        "OPS-20",
        raw_type="Task",
        assignee="jamie",
        status="To Do",
        title="Rotate certificates on the staging gateway",
        components=["gateway"],
    )
    team.item(
        "CHK-103",
        raw_type="Bug",
        assignee="jamie",
        title="Refund emails are sent twice",
        components=["payments"],
        updated=ago(1),
    )
    team.item(
        "CHK-104",
        raw_type="Story",
        assignee="jamie",
        title="Saved carts",
        components=["payments"],
        updated=ago(1),
    )
    return team


def test_on_jira_types_the_leads_test_subtask_goes_to_the_right_person() -> None:
    doc = jira_dc_team().json()
    found = suggestions(doc, "CHK-102")
    assert [s["to"] for s in found][:1] == ["owen"]
    top = found[0]
    assert top["evidence"]["work_kind"] == "testing"
    assert top["evidence"]["work_kind_signal"] == "label 'testing'"
    assert top["evidence"]["rule"] == "no keep rule applies"
    assert top["rationale"].endswith("; testing work (label 'testing')")
    assert "touched payments 3 times in 90 days" in top["rationale"]


def test_on_jira_types_the_epic_and_the_architecture_story_are_kept_with_their_rules() -> None:
    doc = jira_dc_team().json()
    kept = {k["item"]["key"]: k["reason"] for k in doc["kept"]}
    assert kept == {
        "CHK-100": "epic items stay with the lead",
        "CHK-101": "label 'architecture' keeps it with the lead",
    }
    assert suggestions(doc, "CHK-100") == [] and suggestions(doc, "CHK-101") == []
    # Everything else the lead holds is a candidate: a suggestion or nobody fits.
    suggested = {s["item"]["key"] for s in doc["suggestions"] if s["action"] == "delegate"}
    assert suggested == {"CHK-102", "OPS-20", "CHK-103", "CHK-104"}


def test_the_kind_of_work_comes_from_type_then_labels_then_title_words() -> None:
    doc = jira_dc_team().json()
    kinds = {
        s["item"]["key"]: (s["evidence"]["work_kind"], s["evidence"]["work_kind_signal"])
        for s in doc["suggestions"]
        if s["action"] == "delegate"
    }
    assert kinds == {
        "CHK-102": ("testing", "label 'testing'"),
        "OPS-20": ("ops", "title word 'rotate'"),
        "CHK-103": ("bug", "type 'Bug'"),
        "CHK-104": ("feature", "type 'Story'"),
    }
    ops = suggestions(doc, "OPS-20")[0]
    assert ops["to"] == "tommy" and ops["rationale"].endswith("; ops work (title word 'rotate')")
    feature = suggestions(doc, "CHK-104")[0]
    assert feature["rationale"].endswith("; feature work (type 'Story') ranks lower")
    assert feature["evidence"]["rank_weight"] < 1 < ops["evidence"]["rank_weight"]


def test_routine_work_outranks_the_leads_feature_work_among_actions() -> None:
    """Among strong delegations with a growth match (Owen wants to learn payments), the
    testing and bug work before the feature; they all come before a delegation that matches
    no growth goal (the ops work to Tommy), routine or not."""
    doc = jira_dc_team().json()
    order = [a["message"].split("'")[0].split()[-1] for a in doc["actions"]]
    delegations = [k for k in order if k in ("CHK-102", "OPS-20", "CHK-103", "CHK-104")]
    assert delegations == ["CHK-102", "CHK-103", "CHK-104", "OPS-20"]


def test_keep_types_also_match_the_trackers_own_type_name() -> None:
    team = jira_dc_team()
    team.item("CHK-105", raw_type="Spike", assignee="jamie", components=["payments"])
    team.delegation["keep_types"] = ["epic", "Spike"]
    doc = team.json()
    kept = {k["item"]["key"]: k["reason"] for k in doc["kept"]}
    assert kept["CHK-105"] == "Spike items stay with the lead"
    assert suggestions(doc, "CHK-105") == []


def test_delegable_types_and_labels_only_raise_the_rank() -> None:
    team = jira_dc_team()
    before = suggestions(team.json(), "CHK-104")[0]["evidence"]
    team.delegation["delegable_types"] = ["story"]
    after = suggestions(team.json(), "CHK-104")[0]["evidence"]
    assert after["rank_weight"] == round(before["rank_weight"] * 1.25, 3)
    assert after["rank_boost"] == "type 'Story' is in delegable_types"
    assert after["rule"] == "no keep rule applies"
    # An old config listing only its delegable types still suggests everything else too.
    team.delegation["delegable_types"] = ["test", "chore", "ops", "support", "bug", "docs"]
    delegated = {s["item"]["key"] for s in team.json()["suggestions"]}
    assert {"CHK-102", "OPS-20", "CHK-103", "CHK-104"} <= delegated


# -- familiarity at the area's own depth --------------------------------------------------


def monorepo_team() -> Team:
    """services/orders/ is Owen's (3 PRs); Tommy has landed 12 PRs in services/billing/."""
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
    for n in range(12):
        team.merged_pr(
            20 + n,
            author="tommy",
            reviewers=["priya"],
            repo="acme/platform",
            paths=[f"services/billing/invoice_{n}.py"],
            days_ago=2 + n,
        )
    team.item(
        "ORD-7",
        raw_type="Task",
        assignee="jamie",
        status="To Do",
        title="Cover order cancellation with tests",
    )
    # The lead's draft for ORD-7 shows where the work lives.
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


def test_touching_services_elsewhere_does_not_make_someone_the_orders_expert() -> None:
    doc = monorepo_team().json()
    found = suggestions(doc, "ORD-7")
    assert [s["to"] for s in found] == ["owen"]  # Tommy's 12 PRs are in services/billing/
    assert found[0]["evidence"]["area"] == "path:acme/platform:services/orders/"
    assert found[0]["rationale"].startswith("Owen touched services/orders/ 3 times in 90 days")


def test_a_review_in_orders_goes_to_who_knows_orders_not_who_knows_services() -> None:
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
    assert [s["to"] for s in found] == ["owen"]


def test_away_risk_sees_the_orders_area_not_the_whole_services_folder() -> None:
    team = monorepo_team()
    team.pr(
        61,
        author="priya",
        repo="acme/platform",
        paths=["services/orders/api/refund.py"],
        created=ago(2),
        requests=[request("jamie", ago(2))],
    )
    # Owen, the only other person who knows orders/, is away: Priya's PR would wait on Jamie,
    # however many reviews Priya did in services/billing/.
    team.person("owen", away=["2026-11-19..2026-11-30"])
    f = finding(team.json(), "away-risk")
    assert f["metrics"]["stalled_prs"] == [
        {
            "pr": "acme/platform#61",
            "areas": ["acme/platform:services/orders/"],
            "areas_total": 1,
        }
    ]


# -- who can take more -------------------------------------------------------------------


def pipeline_team() -> Team:
    """Owen knows pipeline best and wants to grow there; Priya has touched it once."""
    team = Team()
    team.person("owen", growth=["pipeline design"])
    for n in range(5):
        team.item(
            f"PIPE-{10 + n}",
            raw_type="Story",
            assignee="owen",
            status="Done",
            components=["pipeline"],
            updated=ago(5 + n),
        )
    team.item("PIPE-9", raw_type="Story", assignee="priya", status="Done", components=["pipeline"])
    team.item(
        "PIPE-201",
        raw_type="Sub-task",
        assignee="jamie",
        status="To Do",
        title="Write integration tests for the stage runner",
        labels=["testing"],
        components=["pipeline"],
    )
    return team


def test_an_overloaded_member_is_never_top_while_someone_with_room_knows_the_area() -> None:
    team = pipeline_team()
    for n in range(6):
        team.item(f"PIPE-{30 + n}", raw_type="Story", assignee="owen", updated=ago(1))
    team.item("SRCH-1", raw_type="Story", assignee="tommy", updated=ago(1))
    doc = team.json()
    found = suggestions(doc, "PIPE-201")  # by score, best first
    assert [s["to"] for s in found] == ["owen", "priya"]
    assert found[0]["score"] > found[1]["score"]  # Owen scores higher on familiarity and growth,
    top = next(a for a in doc["actions"] if "PIPE-201" in a["message"])
    assert "to Priya" in top["message"]  # but 6 open against a median of 1: Priya has room
    owen = found[0]
    assert owen["evidence"]["overloaded"] is True
    assert "(twice the team's median load or more)" in owen["rationale"]
    ranked = [s for s in doc["suggestions"] if s["item"]["key"] == "PIPE-201"]
    assert [s["to"] for s in ranked] == ["priya", "owen"]  # the report's own order


def test_with_nobody_else_familiar_the_loaded_expert_is_still_suggested() -> None:
    team = pipeline_team()
    team.items = [i for i in team.items if i.key != "PIPE-9"]
    for n in range(6):
        team.item(f"PIPE-{30 + n}", raw_type="Story", assignee="owen", updated=ago(1))
    assert [s["to"] for s in suggestions(team.json(), "PIPE-201")] == ["owen"]


def test_a_member_whose_work_has_gone_quiet_gets_no_more_work() -> None:
    team = pipeline_team()
    team.item(
        "PIPE-40",
        raw_type="Story",
        assignee="owen",
        created=ago(20),
        transitions=[moved("In Progress", ago(6))],
    )
    doc = team.json()
    assert [q["person"] for q in finding(doc, "quiet-work")["metrics"]["quiet"]] == ["owen"]
    assert "owen" not in {s["to"] for s in doc["suggestions"]}
    assert [s["to"] for s in suggestions(doc, "PIPE-201")] == ["priya"]


def test_once_the_lead_is_in_touch_the_same_member_is_suggested_again() -> None:
    team = pipeline_team()
    team.item(
        "PIPE-40",
        raw_type="Story",
        assignee="owen",
        created=ago(20),
        transitions=[moved("In Progress", ago(6))],
        comments=[comment("jamie", ago(6) + timedelta(hours=1))],
    )
    doc = team.json()
    assert finding(doc, "quiet-work") is None
    assert suggestions(doc, "PIPE-201")[0]["to"] == "owen"


def test_a_member_whose_work_has_stalled_gets_no_more_work_even_in_touch() -> None:
    team = pipeline_team()
    team.item(
        "PIPE-40",
        raw_type="Story",
        assignee="owen",
        created=ago(20),
        transitions=[moved("In Progress", ago(9))],  # past stalled_days (7)
        comments=[comment("jamie", ago(9) + timedelta(hours=1))],
    )
    assert "owen" not in {s["to"] for s in suggestions(team.json(), "PIPE-201")}


def test_someone_blocked_by_the_lead_has_room_and_the_rationale_says_so() -> None:
    team = pipeline_team()
    team.items = [i for i in team.items if i.key not in {f"PIPE-{10 + n}" for n in range(5)}]
    team.item(
        "PIPE-210",
        raw_type="Task",
        assignee="jamie",
        title="Decide the storage format",
        labels=["design"],
        links=[blocks("PIPE-215")],
    )
    # Priya's item has waited on the lead for 10 days: idle, but not quiet or stalled.
    team.item(
        "PIPE-215",
        raw_type="Story",
        assignee="priya",
        created=ago(12),
        transitions=[moved("In Progress", ago(10))],
    )
    s = next(s for s in suggestions(team.json(), "PIPE-201") if s["to"] == "priya")
    assert s["parts"]["capacity"] == 1.0  # the blocked item is not load
    assert s["evidence"]["waiting_on_lead"] == ["PIPE-215"]
    assert "(has room: PIPE-215 waits on Jamie)" in s["rationale"]


def test_an_estimate_is_labelled_in_the_text_report() -> None:
    from click.testing import CliRunner

    from leadkit.cli import cli
    from tests.conftest import DEMO_NOW

    result = CliRunner().invoke(cli, ["report", "--demo", "--now", DEMO_NOW])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "time, an estimate (default for support work (little history))" in text
    assert "time (median of 3 testing items the lead finished)" in text
