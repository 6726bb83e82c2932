"""lead-wip: the lead's open load against the team median."""

from __future__ import annotations

from leadkit.testing import Team, ago, comment, finding, labels, request


def test_the_lead_holding_far_more_than_the_team_warns_and_is_listed() -> None:
    team = Team()
    for n in range(4):
        team.item(f"PIPE-{n}", assignee="jamie")
    team.pr(41, author="jamie", created=ago(1))
    team.pr(42, author="owen", created=ago(1), requests=[request("jamie", ago(1))])
    team.item("PIPE-10", assignee="owen")
    team.item("PIPE-11", assignee="priya")
    team.item("PIPE-12", assignee="tommy")
    team.item("PIPE-13", assignee="jamie", type="epic")  # epics are not load
    f = finding(team.json(), "lead-wip")
    assert f is not None
    # 6 against a median of 1 (owen also has PR 42 open: 2): a load to work down, never HIGH
    assert f["severity"] == "warn"
    m = f["metrics"]
    assert (m["lead_open"], m["in_progress"], m["open_prs"], m["pending_reviews"]) == (6, 4, 1, 1)
    assert m["lead_open"] == len(f["items"])
    assert labels(f) == ["PIPE-0", "PIPE-1", "PIPE-2", "PIPE-3", "acme/app#41", "acme/app#42"]
    assert m["team_median"] == 1 and m["ratio"] == 6.0 and m["members_compared"] == 3
    assert f["message"] == (
        "Jamie holds 6 open things (4 items in progress, 1 open PR, 1 pending review request), "
        "against a team median of 1 (6.0x)."
    )


def test_a_lead_holding_what_the_team_holds_is_info() -> None:
    team = Team()
    for pid in ("jamie", "owen", "priya", "tommy"):
        team.item(f"PIPE-{pid}", assignee=pid)
    f = finding(team.json(), "lead-wip")
    assert f is not None
    assert f["severity"] == "info"
    assert f["message"] == (
        "Jamie holds 1 open thing (1 item in progress, 0 open PRs, 0 pending review requests), "
        "against a team median of 1 (1.0x)."
    )


def test_a_lead_with_nothing_open_gets_no_finding() -> None:
    team = Team()
    team.item("PIPE-1", assignee="owen")
    assert finding(team.json(), "lead-wip") is None


def test_a_one_person_team_has_nothing_to_compare_with() -> None:
    team = Team(members=None)  # no members in config: the team is whoever is active
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(1))])
    team.item("PIPE-2", assignee="jamie")
    team.item("PIPE-3", assignee="jamie")
    doc = team.json()
    assert [(t["name"], t["lead"], t["members"]) for t in doc["teams"]] == [("core", "jamie", [])]
    f = finding(doc, "lead-wip")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
    assert "only person on the team" in f["message"]


def test_a_team_with_nothing_open_raises_no_alarm() -> None:
    """Members with no open work in the data is more likely missing data than imbalance."""
    team = Team()
    for n in range(5):
        team.item(f"PIPE-{n}", assignee="jamie")
    f = finding(team.json(), "lead-wip")
    assert f is not None
    assert f["severity"] == "info" and f["metrics"]["ratio"] is None
    assert f["message"].endswith("while the rest of the team holds none.")
