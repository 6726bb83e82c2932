"""The ranked actions: at most five, by lead hours freed plus people unblocked."""

from __future__ import annotations

from leadkit.testing import Team, ago, blocks, finding, moved, request


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
    for key, title in (("PIPE-300", "Runner"), ("PIPE-301", "Cache")):
        team.item(
            key,
            assignee="jamie",
            type="feature",
            title=title,
            components=["pipeline"],
            created=ago(20),
        )
    return team


def test_at_most_five_actions_ranked_on_what_is_measured() -> None:
    doc = busy_team().json()
    actions = doc["actions"]
    assert [a["rank"] for a in actions] == [1, 2, 3, 4, 5]
    got = [
        (a["kind"], a["lead_hours_freed"], a["lead_hours_estimated"], a["people_unblocked"])
        for a in actions
    ]
    assert got == [
        ("check-in", 0.0, False, 1),  # Tommy, 11 days quiet: 3 x (1 + 1) = 6
        ("review", 0.0, False, 1),  # Owen has waited 3 working days: 3 x (1 + 3/7)
        # PIPE-210 unblocks Priya, but the only evidence for handing it to anyone is the
        # PIPE project: weak, so no hand-off; finishing it or handing it off is the action.
        ("unblock", 0.0, False, 1),
        # PIPE-201 weighs 6 h x 1.5 (testing) = 9, but 6 h is a default, not history:
        # it never outranks unblocking a person.
        ("delegate", 6.0, True, 0),
        ("delegate", 4.0, True, 0),  # PIPE-300, feature work: 4 h x 0.75; PIPE-301 is sixth
    ]
    handed = {s["item"]["key"]: s for s in doc["suggestions"] if s["to"] == "priya"}
    assert handed["PIPE-210"]["evidence"]["strength"] == "weak"
    assert "touched the PIPE project once" in handed["PIPE-210"]["rationale"]
    assert "(has room: PIPE-215 waits on Jamie)" in handed["PIPE-210"]["rationale"]
    assert actions[2]["message"] == (
        "Unblock Priya by finishing or handing off PIPE-210 'Storage format'"
    )
    assert actions[2]["findings"] == ["blocking-work"]
    assert (
        actions[0]["message"] == "Check in with Tommy about DATA-88 'Kafka' (no update for 11 days)"
    )
    assert actions[1]["message"] == (
        "Review acme/app#41 yourself: nobody else has worked on its code, "
        "and Owen has waited 3.0 working days"
    )
    assert actions[3]["message"].startswith(
        "Delegate PIPE-201 'Pipeline tests' to Owen, who touched"
    )
    assert actions[3]["message"].endswith(
        "; testing work (type 'test'); frees about 6 h of your time, an estimate"
    )
    assert actions[3]["suggestions"] and actions[3]["findings"] == []
    assert actions[4]["message"].startswith("Delegate PIPE-300 'Runner' to ")
    assert "feature work (type 'feature') ranks lower" in actions[4]["message"]


def test_hours_from_the_leads_history_are_measured_and_rank_on_their_value() -> None:
    team = busy_team()
    # Jamie finished two testing Sub-tasks before, on 4 and 5 active days: a median of 4.5.
    for n, active in ((1, 4), (2, 5)):
        team.item(
            f"PIPE-{90 + n}",
            assignee="jamie",
            type="task",
            status="Done",
            labels=["testing"],
            title=f"Write integration tests for stage {n}",
            created=ago(60),
            transitions=[moved("In Progress", ago(59 - d), by="jamie") for d in range(active)],
        )
    doc = team.json()
    first = doc["actions"][0]
    assert (first["kind"], first["lead_hours_freed"], first["lead_hours_estimated"]) == (
        "delegate",
        9.0,
        False,
    )
    assert first["message"].startswith("Delegate PIPE-201 'Pipeline tests' to Owen")
    assert first["message"].endswith("; frees about 9 h of your time")
    s = next(x for x in doc["suggestions"] if x["id"] == first["suggestions"][0])
    assert s["lead_hours_estimated"] is False
    assert s["evidence"]["hours_basis"] == "median of 2 testing items the lead finished"


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
