"""The ranked actions: at most five, in the order a seasoned lead would act (a person
blocked first, then PRs past the high mark, the lead's own work done but untested or
unreviewed, a check-in, strong delegations with a growth match), then by what is measured."""

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
        # PIPE-210 blocks Priya: first. The only evidence for handing it to anyone is the
        # PIPE project: weak, so no hand-off; finishing it or handing it off is the action.
        ("unblock", 0.0, False, 1),
        ("review", 0.0, False, 1),  # Owen has waited 3 working days: the high mark
        ("check-in", 0.0, False, 1),  # Tommy, 11 days quiet
        # Strong delegations to Owen, who wants to learn pipeline design: PIPE-201 weighs
        # 6 h x 1.5 (testing) = 9, PIPE-300 (feature work) 4 h x 0.75; PIPE-301 is sixth.
        ("delegate", 6.0, True, 0),
        ("delegate", 4.0, True, 0),
    ]
    handed = {s["item"]["key"]: s for s in doc["suggestions"] if s["to"] == "priya"}
    assert handed["PIPE-210"]["evidence"]["strength"] == "weak"
    assert "touched the PIPE project once" in handed["PIPE-210"]["rationale"]
    assert "(has room: PIPE-215 waits on Jamie)" in handed["PIPE-210"]["rationale"]
    assert actions[0]["message"] == (
        "Unblock Priya by finishing or handing off PIPE-210 'Storage format'"
    )
    assert actions[0]["findings"] == ["blocking-work"]
    assert (
        actions[2]["message"] == "Check in with Tommy about DATA-88 'Kafka' (no update for 11 days)"
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
    first = next(a for a in doc["actions"] if a["kind"] == "delegate")
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


def leave_team() -> Team:
    """A team shaped like a real tracker's: Sam on leave with a PR waiting past the high mark,
    six PRs waiting on the lead with a reviewer who knows their code, a teammate blocked,
    the lead's feature code-complete and parked in testing with its PR nobody was asked to
    review, and Owen, who wants to learn testing, knows the code."""
    team = Team(members=["owen", "priya", "tommy", "sam"])
    team.person("sam", "Sam", away=["2026-11-09..2026-12-04"])
    team.person("owen", growth=["testing"])
    for n in range(6):  # Priya knows ingestion/: each PR below could go to her
        team.merged_pr(
            100 + n, author="owen", reviewers=["priya"], days_ago=5 + n, paths=["ingestion/a.py"]
        )
    for n in range(4):  # Owen knows pipeline/
        team.merged_pr(
            120 + n, author="owen", reviewers=["jamie"], days_ago=8 + n, paths=["pipeline/s.py"]
        )
    team.pr(
        40,
        author="sam",
        created=ago(12),
        paths=["ingestion/b.py"],
        requests=[request("jamie", ago(12))],
    )
    for n in range(5):
        team.pr(
            50 + n,
            author="tommy",
            created=ago(1 + n * 0.3),
            paths=["ingestion/c.py"],
            requests=[request("jamie", ago(1 + n * 0.3))],
        )
    team.item(
        "PIPE-12",
        assignee="jamie",
        type="feature",
        title="Stage runner",
        status="In Testing",
        components=["pipeline"],
        created=ago(30),
        transitions=[moved("In Testing", ago(10), by="jamie")],
    )
    team.pr(353, author="jamie", created=ago(10), paths=["pipeline/run.py"], linked=["PIPE-12"])
    team.item(
        "PIPE-13",
        assignee="jamie",
        type="test",
        title="Tests for the stage runner",
        parent="PIPE-12",
        components=["pipeline"],
        status="To Do",
    )
    team.item(
        "PIPE-20", assignee="jamie", title="Storage", created=ago(6), links=[blocks("PIPE-21")]
    )
    team.item("PIPE-21", assignee="priya", created=ago(6))
    return team


def test_a_lead_ranks_people_blocked_then_overdue_prs_then_own_work_then_growth() -> None:
    doc = leave_team().json()
    actions = doc["actions"]
    kinds = [a["kind"] for a in actions]
    # Priya is blocked by PIPE-20: first. Sam's PR has waited longest, but Sam is away:
    # nobody away counts as waiting, so it is no hurry and says no one is waiting.
    assert kinds[0] == "unblock" and "Priya" in actions[0]["message"]
    assert all("acme/app#40" not in a["message"] for a in actions[:3])
    assert all("Sam is waiting" not in a["message"] for a in actions)
    # The lead's code-complete work is offered as what is left of it, to Owen.
    (own,) = [a for a in actions if "PIPE-12" in a["message"]]
    assert own["message"].startswith(
        "Ask Owen to write the tests for PIPE-12 'Stage runner' (parked in In Testing for 10 days)"
    )
    assert own["message"].endswith("; and ask for a review of acme/app#353")
    assert not any(a["message"].startswith("Delegate PIPE-12 ") for a in actions)
    # At most two of the top five are review hand-offs, however many reviews wait; the
    # second owner for the area only Jamie reviews (co-review) is the lasting fix and ranks
    # with the growth work, and a third hand-off only follows below the top five.
    assert kinds[:5] == ["unblock", "delegate", "co-review", "hand-review", "hand-review"]
    assert kinds[5:] in ([], ["hand-review"])
    assert all(
        s["evidence"]["strength"] != "weak"
        for a in actions
        for s in doc["suggestions"]
        if s["id"] in a["suggestions"]
    )


def test_a_blocked_teammate_on_leave_does_not_count_as_waiting() -> None:
    team = Team()
    team.person("priya", away=["2026-11-01..2026-12-20"])
    team.item(
        "PIPE-20", assignee="jamie", title="Storage", created=ago(6), links=[blocks("PIPE-21")]
    )
    team.item("PIPE-21", assignee="priya", created=ago(6))
    team.item(
        "DATA-88",
        assignee="tommy",
        title="Kafka",
        created=ago(30),
        transitions=[moved("In Progress", ago(11))],
    )
    actions = team.json()["actions"]
    (unblock,) = [a for a in actions if a["kind"] == "unblock"]
    assert unblock["people_unblocked"] == 0
    assert actions[0]["kind"] == "check-in"  # someone at work comes first


def test_a_pr_nobody_was_asked_to_review_is_offered_as_a_review_to_ask_for() -> None:
    team = Team()
    team.pr(353, author="jamie", title="Cache layer", created=ago(12), paths=["cache/x.py"])
    actions = team.json()["actions"]
    assert actions[0]["message"] == (
        "Ask for a review of acme/app#353 'Cache layer' (nobody was asked; no progress for 12 days)"
    )


def test_own_work_in_testing_with_nobody_to_ask_still_says_what_is_left() -> None:
    team = Team(members=["owen"])
    team.item(
        "PIPE-12",
        assignee="jamie",
        type="feature",
        title="Stage runner",
        status="In Testing",
        created=ago(30),
        transitions=[moved("In Testing", ago(9), by="jamie")],
    )
    (action,) = team.json()["actions"]
    assert action["kind"] == "finish" and action["suggestions"] == []
    assert action["message"] == (
        "Ask someone to write the tests for PIPE-12 'Stage runner' (parked in In Testing for 9 days)"
    )
