"""The bundled demo tells the story in ../shared/lead-problems.md, through the public pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from leadkit.session import RunOptions, run_report
from leadkit.testing import finding, label, labels, suggestions

DEMO_NOW = "2026-11-20T16:00:00Z"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    report = run_report(RunOptions(demo=True, now=DEMO_NOW, environ={}, warn=lambda _m: None))
    return report.as_dict()


def test_jamie_is_the_review_bottleneck(doc: dict[str, Any]) -> None:
    queue = finding(doc, "review-queue")
    assert queue["severity"] in ("warn", "high")
    assert queue["metrics"]["pending"] == 3
    assert labels(queue) == ["acme/dataflow#141", "acme/dataflow#143", "acme/dataflow#145"]
    assert (
        queue["metrics"]["lead_median_pickup_hours"] > queue["metrics"]["team_median_pickup_hours"]
    )
    # Real working time, 09:00-17:00 London: Owen's #141 has waited Monday 10:00 to Friday
    # 16:00 and his #143 since Tuesday 09:00; Priya's #145 since Thursday 11:00.
    waits = [(w["pr"], w["waiting_hours"], w["waiting_days"]) for w in queue["metrics"]["waiting"]]
    assert waits == [
        ("acme/dataflow#141", 38.0, 4.75),
        ("acme/dataflow#143", 31.0, 3.88),
        ("acme/dataflow#145", 13.0, 1.62),
    ]
    assert "the oldest for 4.8 working days" in queue["message"]
    assert [i["note"] for i in queue["items"][:2]] == [
        "Owen Hart has waited 4.8 working days",
        "Owen Hart has waited 3.9 working days",
    ]
    concentration = finding(doc, "review-concentration")
    assert concentration["severity"] in ("warn", "high")
    assert concentration["metrics"]["lead_review_share"] >= 0.5
    assert [a["label"] for a in concentration["metrics"]["sole_reviewer_areas"]] == [
        "pipeline/ in acme/dataflow"
    ]
    assert "the only reviewer ever seen on pipeline/ in acme/dataflow" in concentration["message"]


def test_owen_is_the_top_candidate_for_jamies_pipeline_testing(doc: dict[str, Any]) -> None:
    found = suggestions(doc, "PIPE-201")
    assert found[0]["to"] == "owen"
    assert found[0]["from"] == "jamie"
    assert found[0]["parts"]["growth"] == 1.0
    assert "wants to learn pipeline design" in found[0]["rationale"]
    # PIPE-200 is code-complete and parked in testing: the action asks Owen for what is
    # left of it, the tests (PIPE-201), and for a review of its PR nobody was asked to review.
    (tests,) = [a for a in doc["actions"] if found[0]["id"] in a["suggestions"]]
    assert tests["kind"] == "delegate"
    assert tests["message"].startswith(
        "Ask Owen Hart to write the tests for PIPE-200 'Multi-stage pipeline runner' "
        "(parked in In Testing for 11 days), who touched pipeline"
    )
    assert tests["message"].endswith("; and ask for a review of acme/dataflow#139")
    assert tests["findings"] == ["stalled-own-work"]
    # Measured from Jamie's three finished testing Sub-tasks, not a default.
    assert tests["lead_hours_estimated"] is False
    assert found[0]["evidence"]["hours_basis"] == "median of 3 testing items the lead finished"
    assert found[0]["evidence"]["work_kind"] == "testing"


def test_tommy_whose_work_went_quiet_is_given_no_more_work(doc: dict[str, Any]) -> None:
    assert "tommy" not in {s["to"] for s in doc["suggestions"]}


def test_tommy_is_flagged_for_a_check_in(doc: dict[str, Any]) -> None:
    quiet = finding(doc, "quiet-work")
    assert quiet["people"] == ["tommy"]
    assert labels(quiet) == ["DATA-88"]
    assert quiet["metrics"]["quiet"][0]["days_idle"] >= 7
    assert any(
        a["kind"] == "check-in" and "Tommy Lindqvist" in a["message"] for a in doc["actions"]
    )


def test_the_architecture_epic_stays_with_jamie(doc: dict[str, Any]) -> None:
    assert suggestions(doc, "NGX-1") == []
    # Nothing hands it off; the one action on it is Jamie's own: block time for it.
    assert [a["kind"] for a in doc["actions"] if "NGX-1" in a["message"]] == ["block-time"]
    kept = {k["item"]["key"]: k["reason"] for k in doc["kept"]}
    assert kept["NGX-1"] == "epic items stay with the lead"
    assert kept["PIPE-210"] == "label 'design' keeps it with the lead"
    assert "PIPE-201" not in kept  # the pipeline testing is Jamie's to hand off


def test_the_actions_are_in_the_order_a_lead_would_act(doc: dict[str, Any]) -> None:
    """Priya blocked first; the PRs past the high mark, Owen at work; Jamie's own work in
    testing, as its remaining part; the check-in; at most two review hand-offs."""
    assert [a["kind"] for a in doc["actions"][:5]] == [
        "unblock",
        "hand-review",
        "review",
        "delegate",
        "check-in",
    ]
    assert "acme/dataflow#141" in doc["actions"][1]["message"]  # 4.8 working days
    assert "acme/dataflow#143" in doc["actions"][2]["message"]  # 3.9, past the mark of 3
    assert "PIPE-200" in doc["actions"][3]["message"]


def test_priya_is_unblocked_by_an_action_on_pipe_210(doc: dict[str, Any]) -> None:
    blocking = finding(doc, "blocking-work")
    assert blocking["people"] == ["jamie", "priya"]
    assert blocking["metrics"]["blocking"][0]["item"] == "PIPE-210"
    unblock = [a for a in doc["actions"] if a["kind"] == "unblock"]
    assert [a["message"] for a in unblock] == [
        "Unblock Priya Shah by finishing or handing off PIPE-210 "
        "'Decide the artifact storage format for stage outputs'"
    ]
    assert unblock[0]["people_unblocked"] == 1
    assert unblock[0]["findings"] == ["blocking-work"]


def test_jamies_pipeline_work_sits_in_testing_and_owen_pulls_jamie_in(doc: dict[str, Any]) -> None:
    stalled = finding(doc, "stalled-own-work")
    parked = [s for s in stalled["metrics"]["stalled"] if s["in_testing"]]
    assert [s["item"] for s in parked] == ["PIPE-200"]
    interrupts = finding(doc, "interrupt-load")
    assert interrupts["metrics"]["pulled_in_by"][0]["person"] == "owen"
    assert labels(interrupts)[0] == "PIPE-190"


def test_identity_merging_joined_each_persons_github_and_jira_accounts(doc: dict[str, Any]) -> None:
    people = {p["id"]: p for p in doc["people"]}
    assert sorted(people) == ["jamie", "owen", "priya", "tommy"]
    for person in people.values():
        assert sorted(person["accounts"]) == ["github", "jira"], person["id"]
        assert len(person["accounts"]["github"]) == 1 and len(person["accounts"]["jira"]) == 1
    assert people["owen"]["accounts"]["github"] == ["ohart"]  # matched by name, not config
    assert people["tommy"]["accounts"]["github"] == ["tlindqvist"]  # matched by email
    # Nobody appears twice under an account id.
    everyone = {pid for f in doc["findings"] for pid in f["people"]}
    everyone |= {s["to"] for s in doc["suggestions"]} | {s["from"] for s in doc["suggestions"]}
    assert everyone <= set(people)


def test_review_load_could_be_shared_with_priya(doc: dict[str, Any]) -> None:
    found = suggestions(doc, "acme/dataflow#141")
    assert found[0]["to"] == "priya" and found[0]["action"] == "review"
    assert all(s["to"] != "owen" for s in found)  # Owen wrote #141
    assert all(label(s["item"]) != "NGX-1" for s in doc["suggestions"])


def test_at_most_three_findings_are_high_and_each_says_why(doc: dict[str, Any]) -> None:
    high = [f for f in doc["findings"] if f["severity"] == "high"]
    assert 1 <= len(high) <= 3
    # HIGH is for what to act on this week: Priya blocked, PRs waiting past 3 working
    # days, Jamie's own work stalled past twice the threshold. Shares and loads warn.
    assert sorted(f["kind"] for f in high) == ["blocking-work", "review-queue", "stalled-own-work"]
    for f in high:
        reason = f["metrics"]["severity_reason"]
        assert reason and f"High: {reason}." in f["message"]
    blocking = finding(doc, "blocking-work")
    assert blocking["metrics"]["severity_reason"].startswith("Priya Shah is blocked by PIPE-210")
    for f in doc["findings"]:
        if f["severity"] != "high":
            assert "severity_reason" not in f["metrics"]


def test_jamies_time_went_to_others_and_own_work_got_half(doc: dict[str, Any]) -> None:
    """lead-time: where Jamie's hours went, by interrupt-load's categories, against the
    previous window; own work kept half of it, so it informs rather than warns."""
    time = finding(doc, "lead-time")
    assert time["severity"] == "info"
    parts = {p["category"]: p for p in time["metrics"]["parts"]}
    assert parts["answering"]["hours"] > parts["reviewing"]["hours"] > 0
    assert time["metrics"]["own_share"] < time["metrics"]["previous_own_share"]
    assert "Your own work got 52% of your time, down from 77%." in time["message"]
    assert time["message"].count("Hours are estimated") == 1


def test_jamies_architecture_epic_is_idle_with_its_due_date_near(doc: dict[str, Any]) -> None:
    """NGX-1, kept with Jamie, due 1 Dec, has had no progress for 16 days: after the five
    things to do first, the report says to block time for it."""
    big = finding(doc, "next-big-thing")
    assert big["severity"] == "warn"
    entries = {e["item"]: e for e in big["metrics"]["items"]}
    assert sorted(entries) == ["NGX-1", "PIPE-210"]  # what the rules keep with Jamie
    ngx = entries["NGX-1"]
    assert ngx["due"] == "2026-12-01T23:59:59Z" and ngx["at_risk"]
    assert big["metrics"]["share_too_low"]
    (block,) = [a for a in doc["actions"] if a["kind"] == "block-time"]
    assert block["message"] == "Block time for NGX-1: no progress for 16 days, due 1 Dec"
    assert block["rank"] == 6


def test_the_team_as_a_whole_merged_more_this_window(doc: dict[str, Any]) -> None:
    """team-flow: the team's delivery, shared with the team, in aggregates only."""
    flow = finding(doc, "team-flow")
    assert flow["severity"] == "info" and flow["people"] == []
    assert flow["message"].startswith("The team merged 2.2 PRs a week, up from 1.5;")
    assert "median open-to-merge 2.8 working days" in flow["message"]
    assert len(flow["metrics"]["weeks"]) == 5


def test_owen_who_keeps_asking_jamie_about_the_test_environment_is_paired_on_it(
    doc: dict[str, Any],
) -> None:
    """Owen pulls Jamie in with eight questions on test-env, which he wants to grow in:
    the lasting fix is to pair him on it, not to keep answering."""
    coaching = finding(doc, "coaching")
    assert [(p["person"], p["topic"], p["questions"]) for p in coaching["metrics"]["pairs"]] == [
        ("owen", "test-env", 8)
    ]
    (pair,) = [a for a in doc["actions"] if a["kind"] == "pair"]
    assert pair["message"] == (
        "Pair Owen Hart on test-env: 8 of their questions to you were about it, "
        "and they want to grow in test environments"
    )


def test_owen_who_wrote_most_of_pipeline_is_offered_as_its_second_reviewer(
    doc: dict[str, Any],
) -> None:
    """Only Jamie reviews pipeline/; Owen wrote most of it: the lasting fix is a second
    owner, with the CODEOWNERS line that makes it so."""
    ownership = finding(doc, "review-ownership")
    (area,) = ownership["metrics"]["areas"]
    assert area["label"] == "pipeline/ in acme/dataflow" and area["co_reviewers"] == ["owen"]
    assert area["codeowners_line"] == "/pipeline/ @jrivera-dev @ohart"
    (co,) = [a for a in doc["actions"] if a["kind"] == "co-review"]
    assert co["message"].startswith("Make Owen Hart a co-reviewer of pipeline/ in acme/dataflow")


def test_monday_morning_owen_and_priya_wait_on_jamie_and_tommy_is_quiet(
    doc: dict[str, Any],
) -> None:
    """member-status: one line per member, in the team's order, the same facts as the
    delegation and quiet-work findings."""
    status = {s["person"]: s for s in doc["teams"][0]["members_status"]}
    assert [s["person"] for s in doc["teams"][0]["members_status"]] == doc["teams"][0]["members"]
    assert {p: s["state"] for p, s in status.items()} == {
        "owen": "waiting on you",
        "tommy": "quiet",
        "priya": "waiting on you",
    }
    assert [o["item"] for o in status["tommy"]["on"]] == ["DATA-88"]
    assert "acme/dataflow#141" in {w["item"] for w in status["owen"]["waits_on"]}
    assert "Tommy Lindqvist: quiet; on DATA-88" in finding(doc, "member-status")["message"]
