"""coaching: a member who keeps asking the lead about the topic they want to grow in is paired."""

from __future__ import annotations

from typing import Any

from leadkit.testing import Team, ago, comment, finding


def asks_the_lead(team: Team, asker: str, topic: str, times: int, *, key: str = "PIPE-5") -> None:
    """``asker`` asks the lead ``times`` questions on an item of ``topic`` (a component) that
    neither holds, and the lead answers each."""
    said = []
    for n in range(times):
        said.append(comment(asker, ago(10 - n, hours=2), question=True, mentions=["jamie"]))
        said.append(comment("jamie", ago(10 - n, hours=1)))
    team.item(
        key,
        assignee="tommy",
        components=[topic],
        title="Decide the storage format for stage outputs",
        created=ago(20),
        comments=said,
    )


def pairs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in doc["actions"] if a["kind"] == "pair"]


def test_a_member_asking_the_lead_about_their_growth_topic_is_paired() -> None:
    team = Team()
    team.person("priya", growth=["storage architecture"])
    asks_the_lead(team, "priya", "storage", 6)
    doc = team.json()
    f = finding(doc, "coaching")
    assert f is not None and f["severity"] == "info"
    assert f["people"] == ["jamie", "priya"]
    (entry,) = f["metrics"]["pairs"]
    assert (entry["person"], entry["topic"], entry["questions"]) == ("priya", "storage", 6)
    assert entry["goal"] == "storage architecture" and entry["items"] == ["PIPE-5"]
    (action,) = pairs(doc)
    assert action["message"] == (
        "Pair Priya on storage: 6 of their questions to you were about it, "
        "and they want to grow in storage architecture"
    )
    assert action["findings"] == ["coaching"]


def test_the_goal_may_match_what_was_asked_about_not_only_the_topic() -> None:
    team = Team()
    team.person("priya", growth=["format decisions"])
    asks_the_lead(team, "priya", "storage", 4)
    (action,) = pairs(team.json())
    assert "they want to grow in format decisions" in action["message"]


def test_no_pairing_without_a_growth_match_or_with_few_questions() -> None:
    team = Team()
    team.person("priya", growth=["frontend"])
    asks_the_lead(team, "priya", "storage", 6)  # not what she wants to learn
    team.person("owen", growth=["storage"])
    asks_the_lead(team, "owen", "storage", 2, key="PIPE-6")  # under pair_min_questions
    doc = team.json()
    assert finding(doc, "coaching") is None
    assert not pairs(doc)


def test_the_minimum_is_a_setting_and_someone_away_is_not_paired() -> None:
    team = Team()
    team.person("owen", growth=["storage"])
    asks_the_lead(team, "owen", "storage", 2)
    team.thresholds["pair_min_questions"] = 2
    assert len(pairs(team.json())) == 1
    team.person("owen", away=[f"{ago(1):%Y-%m-%d}..{ago(-10):%Y-%m-%d}"])
    assert not pairs(team.json())
