"""lead-time: where the lead's time went in estimated working hours, by the categories
interrupt-load separates, and what the lead's own work got against the previous window."""

from __future__ import annotations

from leadkit.present.gates import evaluate
from leadkit.testing import Team, ago, comment, finding, host, moved

PARTS = ["own", "reviewing", "others", "reactive", "answering"]


def pulled_away() -> Team:
    """A lead who worked on their own item last window and on others' bugs this one."""
    team = Team()
    team.item(
        "PIPE-1",
        assignee="jamie",
        created=ago(60),
        transitions=[moved("In Progress", ago(d), by="jamie") for d in (30, 33, 36, 40, 45)]
        + [moved("In Progress", ago(2), by="jamie")],
    )
    team.item(
        "PIPE-190",
        assignee="owen",
        type="bug",
        comments=[comment("jamie", ago(d)) for d in (1, 3, 4, 5, 6, 8)],
    )
    team.item("PIPE-191", assignee="priya", comments=[comment("jamie", ago(d)) for d in (9, 10)])
    return team


def test_a_lead_pulled_away_from_their_own_work_warns_with_the_opportunity_cost() -> None:
    f = finding(pulled_away().json(), "lead-time")
    assert f is not None
    assert f["severity"] == "warn"
    m = f["metrics"]
    # Hours as the delegation estimates them: 2 h per active day on an item.
    assert [p["category"] for p in m["parts"]] == PARTS
    assert {p["category"]: p["hours"] for p in m["parts"]} == {
        "own": 2.0,
        "reviewing": 0.0,
        "others": 4.0,
        "reactive": 12.0,
        "answering": 0.0,
    }
    assert m["hours"] == 18.0 and m["own_share"] == 0.111
    assert m["previous_own_share"] == 1.0
    assert abs(sum(p["share"] for p in m["parts"]) - 1.0) < 0.01
    assert m["estimated"] is True  # no review history: the review hours are a default
    assert f["message"].startswith(
        "Jamie's time in the window, about 18 h of working time: reactive work 12 h (67%), "
        "others' items 4 h (22%), your own work 2 h (11%). "
        "Your own work got 11% of your time, down from 100%. Hours are estimated: "
    )
    # How the hours are estimated is said once.
    assert f["message"].count("estimated") == 1
    assert "1 h per PR reviewed (default for a review (little history))" in m["basis"]


def test_a_lead_with_time_for_their_own_work_gets_no_warning() -> None:
    team = Team()
    team.item(
        "PIPE-1",
        assignee="jamie",
        transitions=[moved("In Progress", ago(d), by="jamie") for d in (1, 2, 3, 5, 8, 9)],
    )
    team.item("PIPE-191", assignee="priya", comments=[comment("jamie", ago(4))])
    f = finding(team.json(), "lead-time")
    assert f is not None
    assert f["severity"] == "info"
    assert f["metrics"]["own_share"] == 0.857
    assert (
        "Your own work got 86% of your time (the previous window has too little data"
        in (f["message"])
    )


def test_too_few_actions_say_so_instead_of_guessing() -> None:
    team = Team()
    team.item("PIPE-191", assignee="priya", comments=[comment("jamie", ago(4))])
    f = finding(team.json(), "lead-time")
    assert f is not None
    assert f["computed"] is False and f["severity"] == "info"
    assert "too few" in f["message"]


def test_the_own_work_share_is_a_trend_and_a_lower_bound_gate() -> None:
    team = pulled_away()
    doc = team.json()
    (trend,) = [t for t in doc["teams"][0]["trend"] if t["metric"] == "own_work_share"]
    assert (trend["kind"], trend["now"], trend["previous"]) == ("lead-time", 0.111, 1)
    report = team.report()
    (held,) = evaluate(report, {"min_own_work_share": 0.1}, host().kinds)
    (failed,) = evaluate(report, {"min_own_work_share": 0.2}, host().kinds)
    assert (held.status, failed.status) == ("pass", "fail")
    assert failed.line() == (
        "gate min_own_work_share failed: the lead's own work got 11.1% of their estimated "
        "time, limit 20% (team core)"
    )
