"""Delegation suggestions: what the lead could hand off, to whom, and why."""

from __future__ import annotations

import pytest

from leadkit.testing import Team, ago, comment, label, request, review, suggestions


def pipeline_team(**kw) -> Team:
    """Jamie holds pipeline testing; Owen has worked on pipeline items; Priya on ingestion."""
    team = Team(**kw)
    team.person("owen", growth=["pipeline design"])
    for n in range(3):
        team.item(
            f"PIPE-{10 + n}",
            assignee="owen",
            status="Done",
            components=["pipeline"],
            updated=ago(10 + n),
        )
    team.item("ING-1", assignee="priya", status="Done", components=["ingestion"], updated=ago(5))
    team.item(
        "PIPE-201",
        assignee="jamie",
        type="test",
        title="Integration tests for the pipeline",
        components=["pipeline"],
    )
    return team


def test_the_familiar_member_who_wants_to_grow_there_is_the_top_candidate() -> None:
    doc = pipeline_team().json()
    found = suggestions(doc, "PIPE-201")
    assert [s["to"] for s in found] == ["owen"]  # Priya and Tommy have no grounding here
    s = found[0]
    assert s["from"] == "jamie"
    assert s["action"] == "delegate"
    assert s["parts"]["growth"] == 1.0
    assert s["parts"]["capacity"] == 1.0  # nothing open
    assert 0 < s["parts"]["familiarity"] < 1
    assert s["score"] == pytest.approx(
        0.5 * s["parts"]["familiarity"] + 0.3 * s["parts"]["capacity"] + 0.2 * s["parts"]["growth"],
        abs=0.002,
    )
    assert s["rationale"] == (
        "Owen touched pipeline 3 times in 90 days, has nothing in progress and wants to learn "
        "pipeline design; testing work (type 'test')"
    )
    assert s["lead_hours_freed"] == 6.0  # default for testing work with no history
    assert s["lead_hours_estimated"] is True
    assert s["evidence"]["hours_basis"] == "default for testing work (little history)"
    assert s["evidence"]["rule"] == "no keep rule applies"
    assert (s["evidence"]["work_kind"], s["evidence"]["work_kind_signal"]) == (
        "testing",
        "type 'test'",
    )


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("epic", {"type": "epic"}),
        ("architecture label", {"labels": ["Architecture"]}),
        ("design label", {"labels": ["design"]}),
        ("security label", {"labels": ["Security"]}),
    ],
)
def test_kept_work_gets_no_suggestion(kind: str, extra: dict) -> None:
    team = pipeline_team()
    args = {"type": "test", "components": ["pipeline"], **extra}
    team.item("NGX-1", assignee="jamie", **args)
    assert suggestions(team.json(), "NGX-1") == [], kind


def test_a_per_item_override_keeps_or_delegates() -> None:
    team = pipeline_team()
    team.item("PIPE-300", assignee="jamie", type="feature", components=["pipeline"])
    team.overrides = {"PIPE-201": "keep", "PIPE-300": "delegate"}
    doc = team.json()
    assert suggestions(doc, "PIPE-201") == []
    found = suggestions(doc, "PIPE-300")
    assert [s["to"] for s in found] == ["owen"]
    assert found[0]["evidence"]["rule"] == "config override for PIPE-300"
    kept = {k["item"]["key"]: k["reason"] for k in doc["kept"]}
    assert kept["PIPE-201"] == "config override for PIPE-201"
    assert "PIPE-300" not in kept


def test_someone_away_is_never_suggested() -> None:
    team = pipeline_team()
    team.person("owen", away=["2026-11-18..2026-11-30"])
    assert [s["to"] for s in suggestions(team.json(), "PIPE-201")] == []


def test_someone_outside_the_team_is_never_suggested() -> None:
    team = pipeline_team()
    team.person("sam", growth=["pipeline design"])
    for n in range(5):
        team.item(
            f"PIPE-{50 + n}", assignee="sam", status="Done", components=["pipeline"], updated=ago(2)
        )
    doc = team.json()
    assert "sam" not in {s["to"] for s in doc["suggestions"]}
    assert "sam" not in {p["id"] for p in doc["people"]}


def test_top_n_candidates_per_item() -> None:
    team = pipeline_team()
    for pid in ("priya", "tommy"):
        team.item(
            f"PIPE-{pid}", assignee=pid, status="Done", components=["pipeline"], updated=ago(3)
        )
    assert [s["to"] for s in suggestions(team.json(), "PIPE-201")] == ["owen", "priya"]  # default 2
    team.delegation["candidates"] = 3
    assert len(suggestions(team.json(), "PIPE-201")) == 3
    team.delegation["candidates"] = 1
    assert [s["to"] for s in suggestions(team.json(), "PIPE-201")] == ["owen"]


def test_a_loaded_member_scores_lower_on_capacity() -> None:
    team = pipeline_team()
    for n in range(4):
        team.item(f"OWN-{n}", assignee="owen", updated=ago(1))
    team.item("PRI-1", assignee="priya", updated=ago(1))
    team.item("TOM-1", assignee="tommy", updated=ago(1))
    s = suggestions(team.json(), "PIPE-201")[0]
    assert s["parts"]["capacity"] == 0.0  # 4 open against a median of 1
    assert "has 4 items in progress" in s["rationale"]


def review_team() -> Team:
    """Owen's PR in ingestion/ waits on Jamie; Priya and Owen both know ingestion/."""
    team = Team()
    team.person("priya", growth=["code review"])
    for n in range(3):
        team.merged_pr(
            10 + n, author="priya", reviewers=["owen"], paths=["ingestion/load.py"], days_ago=10 + n
        )
    team.merged_pr(20, author="owen", reviewers=["priya"], paths=["ingestion/load.py"], days_ago=9)
    team.pr(
        41,
        author="owen",
        title="Retry failed ingestion batches",
        created=ago(3),
        paths=["ingestion/retry.py"],
        requests=[request("jamie", ago(3))],
    )
    return team


def test_a_review_is_never_handed_to_the_prs_author() -> None:
    doc = review_team().json()
    found = suggestions(doc, "acme/app#41")
    assert [s["to"] for s in found] == ["priya"]
    assert found[0]["action"] == "review"
    assert found[0]["evidence"]["author"] == "owen"
    assert found[0]["evidence"]["waited_days"] == 3.0


def test_a_review_is_not_handed_to_someone_already_asked() -> None:
    team = review_team()
    pr = team.prs.pop()
    team.pr(
        41,
        author="owen",
        created=pr.created,
        paths=pr.paths,
        requests=[request("jamie", ago(3)), request("priya", ago(3))],
    )
    assert suggestions(team.json(), "acme/app#41") == []


def test_a_reviewer_with_no_history_in_the_code_is_not_suggested() -> None:
    team = review_team()
    team.prs.pop()
    team.pr(
        41,
        author="owen",
        created=ago(3),
        paths=["billing/invoice.py"],
        requests=[request("jamie", ago(3))],
    )
    assert suggestions(team.json(), "acme/app#41") == []


def test_review_delegation_can_be_switched_off() -> None:
    team = review_team()
    team.delegation["delegate_reviews"] = False
    assert [s for s in team.json()["suggestions"] if s["action"] == "review"] == []


def test_answering_is_shared_with_the_member_who_already_answers() -> None:
    team = Team()
    asks = []
    for d in (2, 3, 4):
        asks += [
            comment("owen", ago(d), question=True),
            comment("jamie", ago(d) + (ago(0) - ago(0, 1))),
        ]
    asks += [comment("tommy", ago(1), question=True), comment("priya", ago(0, 20))]
    team.item("ING-5", assignee="owen", components=["ingestion"], comments=asks)
    found = [s for s in team.json()["suggestions"] if s["action"] == "answer"]
    assert [(label(s["item"]), s["to"]) for s in found] == [("ingestion", "priya")]
    assert found[0]["evidence"]["lead_answers"] == 3
    assert found[0]["rationale"].startswith(
        "Priya already answered 1 of the 4 questions on ingestion in the window (the lead answered 3)"
    )


def test_no_open_lead_items_means_no_suggestions() -> None:
    team = Team()
    team.item("PIPE-1", assignee="owen", type="test")
    team.pr(
        41, author="owen", reviews=[review("jamie", ago(1))], requests=[request("jamie", ago(2))]
    )
    assert team.json()["suggestions"] == []
