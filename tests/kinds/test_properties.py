"""Properties of every report: deterministic, traceable, honest on thin data, no leaderboards."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from leadkit.errors import ConfigError
from leadkit.testing import (
    Team,
    ago,
    assert_no_alarm,
    blocks,
    comment,
    finding,
    label,
    labels,
    moved,
    request,
    review,
)

ROOT = Path(__file__).resolve().parents[2]


def rich_team() -> Team:
    """A bit of everything, so that every finding kind and suggestion appears."""
    team = Team()
    team.person("owen", growth=["pipeline design"])
    team.person("priya", growth=["code review"])
    for n in range(4):
        team.merged_pr(
            10 + n, author="owen", reviewers=["jamie"], paths=["pipeline/run.py"], days_ago=3 + n
        )
    team.merged_pr(20, author="priya", reviewers=["owen"], paths=["ingest/load.py"], days_ago=4)
    team.merged_pr(21, author="owen", reviewers=["priya"], paths=["ingest/load.py"], days_ago=5)
    for n, who in enumerate(["owen", "priya", "owen"]):
        team.pr(
            40 + n,
            author=who,
            created=ago(4 - n),
            paths=["ingest/x.py" if who == "owen" else "pipeline/y.py"],
            requests=[request("jamie", ago(4 - n))],
        )
    team.pr(45, author="jamie", created=ago(12), last_pushed=ago(10))
    team.item(
        "PIPE-200",
        assignee="jamie",
        status="In Testing",
        components=["pipeline"],
        transitions=[moved("In Testing", ago(11), by="jamie")],
    )
    team.item(
        "PIPE-201", assignee="jamie", type="test", components=["pipeline"], title="Pipeline tests"
    )
    team.item("NGX-1", assignee="jamie", type="epic", labels=["architecture"])
    team.item("PIPE-210", assignee="jamie", links=[blocks("PIPE-215")], created=ago(18))
    team.item("PIPE-215", assignee="priya", created=ago(14))
    team.item(
        "PIPE-190",
        assignee="owen",
        type="bug",
        components=["pipeline"],
        comments=[comment("owen", ago(d), question=True, mentions=["jamie"]) for d in (1, 2, 3)]
        + [comment("jamie", ago(d, -1)) for d in (1, 2, 3, 4, 5, 6)],
    )
    team.item(
        "DATA-88", assignee="tommy", created=ago(30), transitions=[moved("In Progress", ago(11))]
    )
    for n in range(3):
        team.item(
            f"PIPE-{100 + n}",
            assignee="owen",
            status="Done",
            components=["pipeline"],
            updated=ago(8 + n),
        )
    return team


def report_text(team: Team) -> str:
    return json.dumps(team.json(), indent=2)


def test_the_rich_team_shows_every_finding_kind() -> None:
    doc = rich_team().json()
    kinds = {f["kind"] for f in doc["findings"] if f["computed"]}
    assert kinds == {
        "review-queue",
        "review-concentration",
        "blocking-work",
        "stalled-own-work",
        "interrupt-load",
        "lead-time",
        "quiet-work",
        "lead-wip",
        "team-flow",
        "member-status",
        "away-risk",
        "next-big-thing",
        "coaching",
        "review-ownership",
    }
    assert {s["action"] for s in doc["suggestions"]} >= {"delegate", "review"}


def test_same_dataset_and_now_give_byte_identical_json() -> None:
    assert report_text(rich_team()) == report_text(rich_team())


def test_input_order_does_not_change_the_json() -> None:
    base = report_text(rich_team())
    for seed in range(3):
        team = rich_team()
        rng = random.Random(seed)
        rng.shuffle(team.items)
        rng.shuffle(team.prs)
        people = list(team.people.items())
        rng.shuffle(people)
        team.people = dict(people)
        assert report_text(team) == base, f"shuffle seed {seed}"


def test_json_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "import json, sys; from tests.kinds.test_properties import rich_team; "
        "sys.stdout.write(json.dumps(rich_team().json(), indent=2))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_every_count_traces_to_the_items_listed() -> None:
    doc = rich_team().json()
    f = finding(doc, "review-queue")
    assert f["metrics"]["pending"] == len(f["items"]) == len(f["metrics"]["waiting"])
    assert labels(f) == [w["pr"] for w in f["metrics"]["waiting"]]
    f = finding(doc, "review-concentration")
    assert f["metrics"]["reviewed_by_lead"] == len(f["items"])
    assert f["metrics"]["merged_by_others"] == len(f["metrics"]["merged_prs"])
    assert set(labels(f)) <= set(f["metrics"]["merged_prs"])
    assert (
        sum(1 for i in f["items"] if i["note"].startswith("only approver"))
        == f["metrics"]["sole_approver"]
    )
    f = finding(doc, "blocking-work")
    waiting = [b["item"] for e in f["metrics"]["blocking"] for b in e["blocked"]]
    assert len(waiting) == f["metrics"]["blocked_items"]
    assert set(labels(f)) == {e["item"] for e in f["metrics"]["blocking"]} | set(waiting)
    assert f["metrics"]["blocked_people"] == len(f["people"]) - 1
    f = finding(doc, "stalled-own-work")
    assert labels(f) == [s["item"] for s in f["metrics"]["stalled"]]
    f = finding(doc, "interrupt-load")
    m = f["metrics"]
    parts = ("own", "reviewing", "others", "reactive", "answering")
    assert sum(m[p] for p in parts) == m["activity"]
    interruptions = m["others"] + m["reactive"] + m["answering"]
    assert sum(t["actions"] for t in m["interrupted_on"]) == interruptions
    assert labels(f) == [t["item"] for t in m["interrupted_on"]][:5]
    f = finding(doc, "quiet-work")
    assert labels(f) == [q["item"] for q in f["metrics"]["quiet"]]
    f = finding(doc, "lead-wip")
    m = f["metrics"]
    assert (
        m["lead_open"] == m["in_progress"] + m["open_prs"] + m["pending_reviews"] == len(f["items"])
    )
    f = finding(doc, "away-risk")
    m = f["metrics"]
    assert labels(f) == [p["pr"] for p in m["stalled_prs"]] + [
        b["item"] for b in m["blocked_items"]
    ]
    # Suggestions: the load they cite is the load in their evidence.
    for s in doc["suggestions"]:
        if s["action"] in ("delegate", "review"):
            load = s["evidence"]["load"]
            n = len(load["items"])
            assert (f"{n} item" in s["rationale"]) or (
                n == 0 and "nothing in progress" in s["rationale"]
            )


FORBIDDEN = {
    "leaderboard",
    "productivity",
    "output",
    "velocity",
    "throughput",
    "performance",
    "ranking",
    "commits",
    "lines_changed",
    "story_points",
}


def walk(value: Any, path: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            out.append((path, key))
            out.extend(walk(inner, f"{path}.{key}"))
    elif isinstance(value, list):
        for inner in value:
            out.extend(walk(inner, f"{path}[]"))
    return out


def test_no_per_person_score_or_leaderboard_anywhere() -> None:
    doc = rich_team().json()
    keys = walk(doc)
    assert not [(p, k) for p, k in keys if any(word in k.lower() for word in FORBIDDEN)]
    # Scores exist only on suggestions (fit of one person for one item), never on people.
    assert {p for p, k in keys if k == "score"} == {".suggestions[]"}
    assert {p for p, k in keys if k == "rank"} == {".actions[]"}
    assert all(set(p) == {"id", "name", "accounts"} for p in doc["people"])
    # left_out: who was never suggested and why (a reason, never a score or a count).
    assert set(doc["teams"][0]) == {
        "name",
        "lead",
        "members",
        "trend",
        "working_time",
        "left_out",
        "members_status",
    }
    assert all(set(x) == {"person", "reason", "detail"} for x in doc["teams"][0]["left_out"])
    # Trends are the team's and the lead's numbers, never one per member.
    assert all(set(t) == {"metric", "kind", "now", "previous"} for t in doc["teams"][0]["trend"])
    # No finding is about a member's output: members appear only as people who wait,
    # could take work, or might want a check-in.
    for f in doc["findings"]:
        if f["kind"] == "team-flow":
            assert f["people"] == []  # the team as a whole, nobody in it
        elif f["kind"] == "member-status":
            assert f["people"] == doc["teams"][0]["members"]  # each, in the team's order
        elif f["kind"] != "quiet-work":
            assert f["people"][:1] == ["jamie"], f["kind"]


def test_suggestions_never_go_to_the_lead_the_author_or_outside_the_team() -> None:
    doc = rich_team().json()
    members = set(doc["teams"][0]["members"])
    for s in doc["suggestions"]:
        assert s["from"] == "jamie"
        assert s["to"] in members
        if s["action"] == "review":
            assert s["to"] != s["evidence"]["author"]
    assert not [s for s in doc["suggestions"] if label(s["item"]) == "NGX-1"]


# -- thin data ------------------------------------------------------------------------


def test_an_empty_window_raises_no_alarm_and_says_why() -> None:
    doc = Team().json()
    assert_no_alarm(doc)
    assert doc["actions"] == [] and doc["suggestions"] == []
    not_computed = {f["kind"]: f["message"] for f in doc["findings"] if not f["computed"]}
    assert set(not_computed) == {
        "review-queue",
        "review-concentration",
        "interrupt-load",
        "lead-time",
        "team-flow",
        "away-risk",
    }
    assert all(message.endswith(".") and len(message) > 30 for message in not_computed.values())


def test_old_data_only_is_an_empty_window() -> None:
    team = Team()
    team.merged_pr(10, author="owen", reviewers=["jamie"], days_ago=60)
    team.item("PIPE-1", assignee="owen", status="Done", comments=[comment("jamie", ago(60))])
    doc = team.json()
    assert_no_alarm(doc)
    assert finding(doc, "interrupt-load")["computed"] is False
    assert finding(doc, "review-concentration")["computed"] is False


def test_a_lead_with_no_activity_is_an_error_not_a_quiet_report() -> None:
    team = Team(lead="ghost", members=["owen", "priya"])
    del team.people["ghost"]
    for n in range(4):
        team.merged_pr(10 + n, author="owen", reviewers=["priya"])
    team.item("PIPE-1", assignee="owen", transitions=[moved("In Progress", ago(1))])
    # A report without the lead's data would say nothing is wrong and pass every gate.
    with pytest.raises(ConfigError, match="the lead 'ghost' matches no tracker account"):
        team.json()


def test_a_one_person_team_has_no_false_alarms() -> None:
    team = Team(members=None)
    team.item("PIPE-1", assignee="jamie", comments=[comment("jamie", ago(d)) for d in range(1, 3)])
    team.pr(41, author="jamie", created=ago(2), last_pushed=ago(1))
    doc = team.json()
    assert_no_alarm(doc)
    assert doc["suggestions"] == []
    assert finding(doc, "lead-wip")["computed"] is False


@pytest.mark.parametrize("missing", ["request", "review-time-only"])
def test_missing_timestamps_raise_no_alarm(missing: str) -> None:
    team = Team()
    if missing == "request":
        for n in range(2):
            team.pr(41 + n, author="owen", created=ago(30), requests=[request("jamie", None)])
    else:
        team.pr(
            41,
            author="owen",
            created=ago(30),
            requests=[request("jamie", None)],
            reviews=[review("jamie", ago(1))],
        )
    doc = team.json()
    f = finding(doc, "review-queue")
    if f is not None:
        assert f["severity"] == "info"
        assert all(w["waiting_hours"] is None for w in f["metrics"]["waiting"])
    assert all(a["kind"] != "review" or "is waiting" in a["message"] for a in doc["actions"])
