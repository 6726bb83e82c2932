"""interrupt-load: how much of the lead's activity is reactive or on others' items."""

from __future__ import annotations

from leadkit.testing import Team, ago, comment, finding, labels, moved


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
    assert (m["activity"], m["own"], m["others"], m["reactive"]) == (6, 1, 1, 4)
    assert m["own"] + m["others"] + m["reactive"] == m["activity"]
    assert m["interrupt_share"] == 0.833
    assert m["pulled_in_by"] == [
        {"person": "owen", "actions": 4},
        {"person": "priya", "actions": 1},
    ]
    assert f["people"] == ["jamie", "owen", "priya"]
    assert labels(f) == ["PIPE-190", "PIPE-191"]
    # Every interrupting action is traced to an item.
    assert sum(t["actions"] for t in m["interrupted_on"]) == m["others"] + m["reactive"]
    assert [t["item"] for t in m["interrupted_on"]] == ["PIPE-190", "PIPE-191"]
    # The weekly series covers the window and adds up.
    weeks = m["weekly"]
    assert weeks[0]["week"] == "2026-10-19" and weeks[-1]["week"] == "2026-11-16"
    assert sum(w["own"] + w["others"] + w["reactive"] for w in weeks) == m["activity"]
    # What pulls the lead in comes first, in words; who, with counts, only in the metrics.
    assert f["message"].endswith("Most of it went to PIPE (5), above all PIPE-190 and PIPE-191.")
    assert "Owen" not in f["message"] and "Priya" not in f["message"]
    assert m["topics"] == [{"topic": "PIPE", "actions": 5}]


def test_topics_come_from_components_and_code_folders_of_a_monorepo() -> None:
    """Jira components and a PR's folder of the same name are one topic, counted once each."""
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
    assert topics["orders"] == 3
    assert "Most of it went to" in f["message"] and "ORD-0" in f["message"]
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
        "Jamie has 1 recorded comment, review or status change in the window; "
        "too few (under 5) to judge interrupt load."
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
