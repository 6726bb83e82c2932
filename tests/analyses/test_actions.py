"""The ranked actions: at most five, by lead hours freed plus people unblocked."""

from __future__ import annotations

from tests.builders import Team, ago, blocks, finding, moved, request


def busy_team() -> Team:
    team = Team()
    team.person("owen", growth=["pipeline design"])
    for n in range(3):
        team.item(
            f"PIPE-{10 + n}",
            assignee="owen",
            status="Done",
            components=["pipeline"],
            updated=ago(9),
        )
    team.item(
        "PIPE-201", assignee="jamie", type="test", components=["pipeline"], title="Pipeline tests"
    )
    team.item(
        "PIPE-210",
        assignee="jamie",
        title="Storage format",
        created=ago(3),
        links=[blocks("PIPE-215")],
    )
    team.item("PIPE-215", assignee="priya", created=ago(2))
    team.pr(
        41,
        author="owen",
        created=ago(3),
        paths=["billing/x.py"],
        requests=[request("jamie", ago(3))],
    )
    team.item(
        "DATA-88",
        assignee="tommy",
        title="Kafka",
        created=ago(30),
        transitions=[moved("In Progress", ago(11))],
    )
    team.item("PIPE-300", assignee="jamie", type="feature", title="Runner", created=ago(20))
    team.item("PIPE-301", assignee="jamie", type="feature", title="Cache", created=ago(20))
    return team


def test_at_most_five_actions_ranked_by_hours_freed_and_people_unblocked() -> None:
    doc = busy_team().json()
    actions = doc["actions"]
    assert [a["rank"] for a in actions] == [1, 2, 3, 4, 5]
    assert [(a["kind"], a["lead_hours_freed"], a["people_unblocked"]) for a in actions] == [
        ("delegate", 6.0, 0),  # 6 hours of the lead's time
        ("check-in", 0.0, 1),  # Tommy, 11 days quiet: 3 x (1 + 1) = 6, ties break by kind
        ("review", 0.0, 1),  # Owen has waited 3 working days: 3 x (1 + 3/7)
        ("unblock", 0.0, 1),  # Priya, 2 days: 3 x (1 + 2/7)
        ("finish", 1.0, 0),  # PIPE-300; PIPE-301 is the sixth and is left out
    ]
    assert actions[0]["message"].startswith(
        "Delegate PIPE-201 'Pipeline tests' to Owen, who touched"
    )
    assert actions[0]["suggestions"] and actions[0]["findings"] == []
    assert (
        actions[1]["message"] == "Check in with Tommy about DATA-88 'Kafka' (no update for 11 days)"
    )
    assert actions[2]["message"] == (
        "Review acme/app#41 yourself: nobody else has worked on its code, "
        "and Owen has waited 3.0 working days"
    )
    assert (
        actions[3]["message"]
        == "Unblock Priya by finishing or handing off PIPE-210 'Storage format'"
    )
    assert actions[3]["findings"] == ["blocking-work"]
    assert actions[4]["message"] == "Finish or hand off PIPE-300 'Runner' (no progress for 20 days)"


def test_every_action_points_at_findings_or_suggestions_that_exist() -> None:
    doc = busy_team().json()
    finding_ids = {f["id"] for f in doc["findings"]}
    suggestion_ids = {s["id"] for s in doc["suggestions"]}
    for action in doc["actions"]:
        assert action["findings"] or action["suggestions"]
        assert set(action["findings"]) <= finding_ids
        assert set(action["suggestions"]) <= suggestion_ids


def test_max_actions_is_configurable_and_zero_means_none() -> None:
    team = busy_team()
    team.analysis["max_actions"] = 2
    assert [a["rank"] for a in team.json()["actions"]] == [1, 2]
    team.analysis["max_actions"] = 0
    assert team.json()["actions"] == []


def test_info_findings_other_than_check_ins_make_no_action() -> None:
    team = Team()
    team.pr(
        41,
        author="owen",
        created=ago(0, 3),
        paths=["billing/x.py"],
        requests=[request("jamie", ago(0, 3))],
    )
    doc = team.json()
    assert finding(doc, "review-queue")["severity"] == "info"
    assert doc["actions"] == []
