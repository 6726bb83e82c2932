"""The same team on GitLab and on GitHub: one tracker-neutral story (leadkit-gitlab's
``tests/story.py``) served by the fake GitLab and by the fake GitHub; both reports must show
review-queue, review-concentration and delegation alike, modulo how each tracker spells a merge
request's ref (``acme/api!9`` on GitLab, ``acme/api#9`` on GitHub) and its URL. Two plugins'
fakes: an integration test, so it lives in the core's tests.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.fakes import fake_github
from tests.fakes.fake_gitlab import FakeGitLab, story_module

_story = story_module()
Change, Ticket = _story.Change, _story.Ticket
GITLAB_SOURCE, PEOPLE = _story.GITLAB_SOURCE, _story.PEOPLE
as_gitlab, report, story = _story.as_gitlab, _story.report, _story.story
GITLAB_TOKEN = "glpat-sameStory0123456789"


GITHUB_SOURCE = """
[[sources]]
type = "github"
name = "code"
repos = ["acme/api"]
"""


def as_github(changes: list[Change], tickets: list[Ticket], gh: ModuleType) -> list[Any]:
    """The story for the fake GitHub (``gh``: ``tests.fakes.fake_github``)."""
    pulls = [
        gh.FakePull(
            c.number,
            c.title,
            c.author,
            c.created,
            c.merged or c.created + timedelta(minutes=10),
            state="MERGED" if c.merged else "OPEN",
            merged=c.merged,
            closed=c.merged,
            files=c.files,
            requests=[("requested", who, at, c.author) for who, at in c.requested],
            reviews=[(who, "APPROVED", at) for who, at in c.approved],
            last_commit=c.created,  # pushed when opened, as on GitLab
        )
        for c in changes
    ]
    issues = [
        gh.FakeIssue(
            k.number,
            k.title,
            k.author,
            k.created,
            k.closed or k.created,
            state="CLOSED" if k.closed else "OPEN",
            closed=k.closed,
            labels=k.labels,
            assignees=[k.assignee],
            events=[("closed", k.closed, k.assignee, None)] if k.closed else [],
        )
        for k in tickets
    ]
    return [gh.FakeRepo("acme/api", pulls=pulls, issues=issues)]


def neutral(finding: Any) -> Any:
    """A finding with tracker spellings made alike: MR refs, URLs, account keys."""
    text = json.dumps(finding, sort_keys=True)
    text = re.sub(r"acme/api!(\d+)", r"acme/api#\1", text)
    text = re.sub(r'"url": "[^"]*"', '"url": ""', text)
    text = re.sub(r'"sep": "[!#]"', '"sep": "#"', text)
    text = text.replace("gitlab:", "github:")
    return json.loads(text)


def test_a_gitlab_team_gets_the_same_findings_as_the_same_team_on_github(tmp_path: Path) -> None:
    changes, tickets = story()
    with FakeGitLab(as_gitlab(changes, tickets), token=GITLAB_TOKEN) as lab:
        gitlab_config = tmp_path / "gitlab.toml"
        gitlab_config.write_text(
            PEOPLE.format(tracker="gitlab") + GITLAB_SOURCE.format(url=lab.url), encoding="utf-8"
        )
        from_gitlab = report(gitlab_config, {"GITLAB_TOKEN": GITLAB_TOKEN})

    with fake_github.FakeGitHub(
        as_github(changes, tickets, fake_github), token="ghp_sameStory0123456789"
    ) as hub:
        github_config = tmp_path / "github.toml"
        github_config.write_text(PEOPLE.format(tracker="github") + GITHUB_SOURCE, encoding="utf-8")
        from_github = report(
            github_config, {"GITHUB_TOKEN": "ghp_sameStory0123456789", "GITHUB_API_URL": hub.url}
        )

    lab_findings = {f["id"]: f for f in from_gitlab["findings"]}
    hub_findings = {f["id"]: f for f in from_github["findings"]}
    for kind in ("review-queue", "review-concentration"):
        assert lab_findings[kind]["computed"] is True, lab_findings[kind]
        assert neutral(lab_findings[kind]) == neutral(hub_findings[kind]), kind
    # Delegation: its suggestions, what it keeps with the lead, and the ranked actions.
    for part in ("suggestions", "kept", "actions"):
        assert neutral(from_gitlab[part]) == neutral(from_github[part]), part

    queue = lab_findings["review-queue"]
    assert sorted(item["ref"] for item in queue["items"]) == [
        "acme/api!7",
        "acme/api!8",
        "acme/api!9",
    ]
    concentration = lab_findings["review-concentration"]["metrics"]
    assert len(concentration["merged_prs"]) == 6 and concentration["sole_approver_share"] == 1.0
    handed = {
        (s["action"], s["item"].get("ref") or s["item"]["key"], s["to"])
        for s in from_gitlab["suggestions"]
    }
    assert ("delegate", "acme/api#20", "owen") in handed
    assert ("review", "acme/api!8", "owen") in handed
