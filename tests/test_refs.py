"""Tracker-aware refs: a GitLab merge request and an issue with the same number stay apart.

GitLab numbers merge requests and issues separately, so MR !143 and issue #143
of one project both exist. The MR is a review named ``group/name!143``; the
issue a work item keyed ``group/name#143``. Every finding, suggestion, metric
and the JSON keep them distinct, so the lead's work on the MR is never credited
to the issue.
"""

from __future__ import annotations

import json

from leadkit.testing import Team, ago, finding, label, labels, request, review, suggestions

REPO = "acme/dataflow"


def _gitlab_team() -> Team:
    team = Team()
    team.item(
        f"{REPO}#143",
        assignee="jamie",
        raw_type="Task",
        title="Retry the nightly export",
        source="gitlab",
        created=ago(10),
        components=["loader"],
    )
    team.item(
        f"{REPO}#120",
        assignee="priya",
        raw_type="Task",
        status="Done",
        source="gitlab",
        components=["loader"],
    )
    team.pr(
        143,
        author="owen",
        title="Speed up the loader",
        repo=REPO,
        source="gitlab",
        ref_sep="!",
        url=f"https://gitlab.com/{REPO}/-/merge_requests/143",
        created=ago(3),
        requests=[request("jamie", ago(3))],
        paths=["loader/fast.py"],
    )
    for n in range(140, 143):
        team.merged_pr(
            n,
            author="priya",
            reviewers=["jamie"],
            repo=REPO,
            source="gitlab",
            ref_sep="!",
            paths=["loader/slow.py"],
        )
    return team


def test_an_mr_and_an_issue_with_one_number_are_two_items_everywhere() -> None:
    team = _gitlab_team()
    doc = team.json()
    queue = finding(doc, "review-queue")
    assert queue is not None
    assert labels(queue) == [f"{REPO}!143"]
    assert [w["pr"] for w in queue["metrics"]["waiting"]] == [f"{REPO}!143"]
    assert queue["items"][0]["ref"] == f"{REPO}!143"
    assert queue["items"][0]["url"].endswith("/merge_requests/143")

    concentration = finding(doc, "review-concentration")
    assert concentration is not None
    assert concentration["metrics"]["merged_prs"] == [f"{REPO}!140", f"{REPO}!141", f"{REPO}!142"]

    # The review suggestion is about the MR, the delegation about the issue: both survive
    # the ranking (which keeps one suggestion per item) and neither borrows the other's title.
    by_item = {label(s["item"]): s for s in suggestions(doc)}
    assert by_item[f"{REPO}!143"]["action"] == "review"
    assert by_item[f"{REPO}!143"]["item"]["title"] == "Speed up the loader"
    assert by_item[f"{REPO}#143"]["action"] == "delegate"
    assert by_item[f"{REPO}#143"]["item"]["title"] == "Retry the nightly export"

    # Nowhere in the JSON does the MR appear under the issue's name.
    text = json.dumps(doc)
    assert f'"{REPO}#143"' in text
    for f in doc["findings"]:
        for item in f["items"]:
            if item.get("key") == f"{REPO}#143":
                assert item["title"] == "Retry the nightly export"


def test_github_prs_keep_the_hash() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(2), requests=[request("jamie", ago(2))])
    team.pr(40, author="owen", merged=ago(1), reviews=[review("jamie", ago(1))])
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert [i["ref"] for i in f["items"]] == ["acme/app#41"]
