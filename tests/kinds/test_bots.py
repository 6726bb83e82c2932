"""Bots and team requests are not people: not members, not in queues, shares or pickups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leadkit.config import parse_config
from leadkit.errors import ConfigError
from leadkit.model.data import Account, ReviewRequest
from leadkit.testing import Team, ago, comment, finding, labels, request, review


def bot_team(*, ignore: list[str] | None = None) -> Team:
    """Jamie's team with members found from activity, among dependency bots and CI accounts.

    - ``dependabot`` is a GitHub ``Bot`` actor (GraphQL gives the bare login);
    - ``renovate[bot]`` is a GitHub app as REST names it;
    - ``ci-runner`` is a service account with a human-looking login (``deployer7``) only
      ``ignore_users`` can name.
    """
    team = Team(members=None)
    for pid in ("owen", "priya"):
        team.person(pid)
    team.person(
        "dependabot",
        "dependabot",
        accounts=[Account("github", "dependabot", login="dependabot", bot=True)],
    )
    team.person(
        "renovate", "Renovate", accounts=[Account("github", "renovate[bot]", login="renovate[bot]")]
    )
    team.person(
        "ci-runner", "CI Runner", accounts=[Account("github", "deployer7", login="deployer7")]
    )
    if ignore is not None:
        team.analysis["ignore_users"] = ignore
    # The team has no work tracker: its members are who authored three PRs or more.
    for n, pid in enumerate(["owen", "priya"] * 2):
        team.merged_pr(30 + n, author=pid, reviewers=["jamie"], days_ago=20 + n)
    # Humans' PRs waiting on Jamie.
    team.pr(41, author="owen", created=ago(2), requests=[request("jamie", ago(2))])
    team.pr(42, author="priya", created=ago(1), requests=[request("jamie", ago(1))])
    # Bots' PRs waiting on Jamie, far older than any human's.
    for n, bot in ((50, "dependabot"), (51, "renovate"), (52, "ci-runner")):
        team.pr(
            n,
            author=bot,
            title=f"Bump lib{n} from 1.0 to 1.1",
            created=ago(9),
            requests=[request("jamie", ago(9), by=bot)],
            comments=[comment(bot, ago(8), question=True)],
        )
    return team


def test_bot_prs_waiting_on_the_lead_are_counted_apart_in_one_line() -> None:
    team = bot_team(ignore=["deployer7"])
    doc = team.json()
    f = finding(doc, "review-queue")
    assert f is not None
    assert labels(f) == ["acme/app#41", "acme/app#42"]
    assert f["metrics"]["pending"] == 2
    assert f["metrics"]["bot_prs_waiting"] == 3
    # Two working days (Wednesday 16:00 to Friday 16:00): the bots' 9 days are not the lead's.
    assert f["metrics"]["oldest_waiting_hours"] == 16.0
    assert f["metrics"]["oldest_waiting_days"] == 2.0
    assert f["severity"] == "warn"  # 2 working days, not the bots' 9 days: not high
    assert "Not counted above: 3 bot PRs." in f["message"]
    assert f["message"].count("bot") == 1
    assert set(f["people"]) == {"jamie", "owen", "priya"}


def test_bots_are_never_team_members_candidates_or_in_the_lead_wip() -> None:
    team = bot_team(ignore=["deployer7"])
    # A bug Jamie holds, in code the bots touch most: only people may be handed it.
    team.item("PIPE-9", assignee="jamie", type="bug", title="Lockfile drift breaks the build")
    for n, bot in ((60, "dependabot"), (61, "renovate"), (62, "owen")):
        team.merged_pr(n, author=bot, reviewers=["jamie"], linked=["PIPE-9"], days_ago=10)
    doc = team.json()
    handed = [s["to"] for s in doc["suggestions"] if s["item"].get("key") == "PIPE-9"]
    assert handed and set(handed) <= {"owen", "priya"}
    (summary,) = doc["teams"]
    assert summary["members"] == ["owen", "priya"]
    wip = finding(doc, "lead-wip")
    assert wip is not None and wip["metrics"]["pending_reviews"] == 2
    assert wip["metrics"]["members_compared"] == 2
    for f in doc["findings"]:
        assert not {"dependabot", "renovate", "ci-runner"} & set(f["people"]), f


@pytest.mark.parametrize("name", ["deployer7", "github:deployer7", "ci-runner", "GitHub:DEPLOYER7"])
def test_ignore_users_takes_a_login_an_account_key_or_a_person_id(name: str) -> None:
    doc = bot_team(ignore=[name]).json()
    assert doc["teams"][0]["members"] == ["owen", "priya"]
    f = finding(doc, "review-queue")
    assert f is not None and f["metrics"]["bot_prs_waiting"] == 3


def test_without_ignore_users_a_service_account_looks_like_a_person() -> None:
    doc = bot_team().json()
    # Not a member (one PR, fewer than min_samples), but its PR counts as a person's.
    assert doc["teams"][0]["members"] == ["owen", "priya"]
    f = finding(doc, "review-queue")
    assert f is not None
    assert f["metrics"]["bot_prs_waiting"] == 2 and f["metrics"]["pending"] == 3


def test_ignore_users_must_be_a_list_of_names() -> None:
    with pytest.raises(ConfigError, match=r"line 4: analysis.ignore_users must be a list"):
        parse_config('[team]\nlead = "jamie"\n[analysis]\nignore_users = "ci"\n')
    with pytest.raises(ConfigError, match=r"analysis\.ignore_users has an empty entry"):
        parse_config('[team]\nlead = "jamie"\n\n[analysis]\nignore_users = [" "]\n')


def test_bot_reviews_do_not_share_the_lead_s_review_load() -> None:
    """An auto-approving bot is not a second reviewer, and bumps merged are not others' work."""
    team = Team()
    team.person(
        "copilot", "Copilot", accounts=[Account("github", "copilot", login="Copilot", bot=True)]
    )
    team.person(
        "dependabot",
        "dependabot",
        accounts=[Account("github", "dependabot[bot]", login="dependabot[bot]")],
    )
    for n in range(4):
        team.merged_pr(
            60 + n,
            author="owen",
            reviewers=["jamie", "copilot"],
            days_ago=3 + n,
            paths=["pipeline/run.py"],
        )
    for n in range(6):
        team.merged_pr(70 + n, author="dependabot", reviewers=["priya"], days_ago=2 + n)
    doc = team.json()
    f = finding(doc, "review-concentration")
    assert f is not None
    assert f["metrics"]["merged_by_others"] == 4
    assert f["metrics"]["reviewed_by_lead"] == 4
    assert f["metrics"]["sole_approver"] == 4
    assert f["metrics"]["reviews_by_reviewer"] == {"jamie": 4}
    assert [a["label"] for a in f["metrics"]["sole_reviewer_areas"]] == ["pipeline/ in acme/app"]


def test_pickups_leave_out_bots_prs_and_team_requests() -> None:
    team = Team()
    team.person(
        "dependabot",
        "dependabot",
        accounts=[Account("github", "dependabot", login="dependabot", bot=True)],
    )
    for n in range(3):
        start = ago(14 + n, 2)  # a Friday, Thursday, Wednesday at 14:00
        # The lead is quick on colleagues' PRs...
        team.pr(
            80 + n,
            author="owen",
            created=start,
            merged=start + timedelta(days=1),
            requests=[request("jamie", start)],
            reviews=[review("jamie", start + timedelta(hours=2))],
        )
        # ...and leaves bumps and team-wide requests for days.
        team.pr(
            90 + n,
            author="dependabot",
            created=start,
            merged=start + timedelta(days=6),
            requests=[request("jamie", start)],
            reviews=[review("jamie", start + timedelta(days=5))],
        )
        team.pr(
            100 + n,
            author="priya",
            created=start,
            merged=start + timedelta(days=6),
            requests=[ReviewRequest("jamie", start, team="acme/core")],
            reviews=[review("jamie", start + timedelta(days=5))],
        )
    team.pr(110, author="owen", created=ago(0, 3), requests=[request("jamie", ago(0, 3))])
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert f["metrics"]["lead_pickups"] == 3
    assert f["metrics"]["lead_median_pickup_hours"] == 2.0


def test_a_request_to_a_team_the_lead_is_in_is_not_a_request_to_the_lead() -> None:
    team = Team()
    team.pr(41, author="owen", created=ago(2), requests=[request("jamie", ago(2))])
    # The team acme/core (Jamie and Priya) was asked on Tommy's PR, 5 days ago.
    team.pr(
        43,
        author="tommy",
        created=ago(5),
        requests=[
            ReviewRequest(None, ago(5), team="acme/core", by="tommy"),
            ReviewRequest("jamie", ago(5), team="acme/core", by="tommy"),
            ReviewRequest("priya", ago(5), team="acme/core", by="tommy"),
        ],
    )
    doc = team.json()
    f = finding(doc, "review-queue")
    assert f is not None
    assert labels(f) == ["acme/app#41"]
    assert f["metrics"]["team_requests_waiting"] == 1
    assert f["metrics"]["oldest_waiting_hours"] == 16.0
    assert "1 PR asking a team Jamie is in, not Jamie by name" in f["message"]
    wip = finding(doc, "lead-wip")
    assert wip is not None and wip["metrics"]["pending_reviews"] == 1


def test_a_request_by_name_after_a_team_request_is_the_lead_s() -> None:
    team = Team()
    team.pr(
        43,
        author="tommy",
        created=ago(5),
        requests=[
            ReviewRequest("jamie", ago(5), removed=ago(1), team="acme/core", by="tommy"),
            ReviewRequest("jamie", ago(2), by="tommy"),
        ],
    )
    f = finding(team.json(), "review-queue")
    assert f is not None
    assert labels(f) == ["acme/app#43"]
    assert f["metrics"]["waiting"][0]["waiting_hours"] == 16.0  # since asked by name, 2 days ago
    assert f["metrics"]["team_requests_waiting"] == 0


@pytest.mark.parametrize(
    ("account", "bot"),
    [
        # Jira Data Center: users have a name and a display name, no email, no account type.
        (Account("jira", "jenkins", "Jenkins", login="jenkins"), True),
        (Account("jira", "svc-deploy", "svc-deploy", login="svc-deploy"), True),
        (Account("jira", "automation", "Automation for Jira", login="automation"), True),
        (Account("jira", "bamboo2", "Bamboo Agent", login="bamboo2"), True),
        (Account("jira", "mjenkins", "Jenkins, Mary", login="mjenkins"), False),
        (Account("jira", "JIRAUSER10100", "Abbot, Talbot"), False),
        # Jira Cloud: opaque account ids; apps are marked by the tracker.
        (
            Account("jira", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "Automation for Jira"),
            True,
        ),
        (Account("jira", "5b10ac8d82e05b22cc7d4ef5", "Jira Ci"), False),
        # GitLab: project and group access tokens act as users; CI accounts.
        (Account("gitlab", "project_123_bot", "deploy token", login="project_123_bot"), True),
        (Account("gitlab", "group_7_bot_3f9c2a", "group token", login="group_7_bot_3f9c2a"), True),
        (Account("gitlab", "acme-ci", "Acme CI", login="acme-ci"), True),
        (Account("gitlab", "talbot", "Ann Talbot", login="talbot"), False),
        # GitHub (Enterprise): service users are plain User actors there.
        (Account("github", "svc-deploy", login="svc-deploy"), True),
        (Account("github", "ci-runner", login="ci-runner"), True),
        (Account("github", "release-bot", login="release-bot"), True),
        (Account("github", "renovate[bot]", login="renovate[bot]"), True),
        (Account("github", "jenkins", "Jenkins", login="jenkins"), True),
        (Account("github", "marco-ci", login="marco-ci"), True),
        (Account("github", "luci", "Lucia Ci", login="luci"), False),
        (Account("github", "jose", "José", login="jose"), False),
        # An email-shaped id (git, Gerrit) is never read as a service login.
        (Account("gerrit", "dev@acme.ci", "Dev Ci", "dev@acme.ci", "dev"), False),
    ],
)
def test_one_rule_for_bots_and_service_accounts_on_every_tracker(
    account: Account, bot: bool
) -> None:
    reason = account.automation_reason()
    assert (reason is not None) is bot, reason
    assert account.is_automation is bot
