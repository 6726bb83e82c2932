"""Who is on a team when ``members`` is left out: the people its items are assigned to, else the
authors of its PRs; never commenters, reporters, reviewers, occasional PR authors or bots."""

from __future__ import annotations

from leadkit.analyze.context import AnalysisContext
from leadkit.model.data import Account
from leadkit.testing import Team, ago, comment, request, review


def context(team: Team) -> AnalysisContext:
    config = team.config()
    return AnalysisContext(team.dataset(), config, config.teams[-1], {"min_samples": 3})


def github_backlog_team() -> Team:
    """A GitHub-only team whose backlog is GitHub issues (``acme/app#N``)."""
    team = Team(members=None)
    for pid in ("ana", "ben", "sre", "pm", "reviewer"):
        team.person(pid)
    n = 0
    for pid, count in (("ana", 3), ("ben", 4), ("jamie", 5), ("pm", 0)):
        for _ in range(count):
            n += 1
            team.item(
                f"acme/app#{n}",
                assignee=pid,
                source="github",
                status="Done" if n % 2 else "In Progress",
                created=ago(30 + n),
                comments=[comment("pm", ago(20), question=True)],
            )
    team.item("acme/app#99", assignee="ana", source="github", created=ago(5))  # Ana: 4 in all
    for k in range(4):  # the SRE's PRs, merged, none of the team's issues
        team.merged_pr(200 + k, author="sre", reviewers=["reviewer"], days_ago=5 + k)
    team.pr(300, author="ben", requests=[request("jamie", ago(1), by="pm")])
    return team


def test_github_issues_as_a_backlog_make_the_team() -> None:
    ctx = context(github_backlog_team())
    assert ctx.membership.rule == "assigned"
    assert ctx.members == ("ana", "ben")
    assert ctx.why_not_member("ana") is None and ctx.why_not_member("jamie") is None
    assert ctx.why_not_member("sre") == (
        "authored 4 PRs in the team's repositories in the last 90 days "
        "but holds none of the team's items"
    )
    assert ctx.why_not_member("pm") == (
        "only commented 12 times, requested 1 review in the last 90 days: "
        "never assigned the team's items"
    )
    assert ctx.why_not_member("reviewer") == (
        "only reviewed 4 PRs in the last 90 days: never assigned the team's items"
    )
    assert {w.reason for w in ctx.membership.left_out} == {"not_member"}


def test_without_a_work_tracker_the_authors_of_its_prs_make_the_team() -> None:
    team = Team(members=None)
    for pid, count in (("owen", 3), ("priya", 5), ("kim", 2)):
        for k in range(count):
            team.merged_pr(
                len(team.prs) + 1, author=pid, reviewers=["jamie", "rita"], days_ago=3 + 7 * k
            )
    team.person("rita")
    ctx = context(team)
    assert ctx.membership.rule == "authored"
    assert ctx.members == ("owen", "priya")
    why = ctx.membership.why("priya")
    assert why is not None and why.reason == "authored"
    assert why.detail.startswith("authored 5 PRs in the team's repositories in the last 90 days")
    assert ctx.why_not_member("kim") == (
        "authored only 2 PRs in the last 90 days, fewer than min_samples (3)"
    )
    assert ctx.why_not_member("rita") == (
        "only reviewed 10 PRs in the last 90 days: authored no PRs"
    )


def test_an_old_assignment_outside_the_history_window_does_not_count() -> None:
    team = Team(members=None, history_days=90)
    for k in range(3):
        team.item(f"PIPE-{k}", assignee="owen", status="Done", created=ago(200), updated=ago(150))
        team.item(f"PIPE-{10 + k}", assignee="priya", status="Done", created=ago(40))
    ctx = context(team)
    assert ctx.members == ("priya",)


def test_gitlab_token_users_and_ci_accounts_are_never_members() -> None:
    team = Team(members=None)
    bot = Account(
        "gitlab", "project_123_bot_3f9c2a", "deploy token", login="project_123_bot_3f9c2a"
    )
    team.person("project-bot", "deploy token", accounts=[bot])
    team.person(
        "ci", "Acme CI", accounts=[Account("gitlab", "acme-ci", "Acme CI", login="acme-ci")]
    )
    for _ in range(4):
        for pid in ("project-bot", "ci", "dana"):
            team.item(
                f"acme/api#{len(team.items) + 1}", assignee=pid, source="gitlab", created=ago(9)
            )
            team.merged_pr(
                len(team.prs) + 1,
                author=pid,
                reviewers=["jamie"],
                source="gitlab",
                ref_sep="!",
                repo="acme/api",
            )
    ctx = context(team)
    assert ctx.members == ("dana",)
    assert ctx.bot_reason("project-bot") == (
        "'project_123_bot_3f9c2a' is named like a service account"
    )
    assert ctx.why_not_member("ci") == (
        "a bot or service account: 'acme-ci' is named like a service account"
    )


def test_another_team_s_people_are_not_members_of_a_team_without_a_list() -> None:
    team = Team(lead="jamie", members=None, name="core")
    team.add_team("payments", "pat", ["quinn"])
    for k in range(3):
        for pid in ("owen", "quinn", "pat"):
            team.item(f"PIPE-{pid}-{k}", assignee=pid, created=ago(9 + k))
    config = team.config()
    ctx = AnalysisContext(team.dataset(), config, config.teams[0], {"min_samples": 3})
    assert ctx.members == ("owen",)
    assert ctx.why_not_member("quinn") == "on team payments"
    assert ctx.why_not_member("pat") == "on team payments"


def test_the_reports_team_is_the_assigned_people_and_nobody_else() -> None:
    team = github_backlog_team()
    team.pr(400, author="sre", requests=[request("jamie", ago(2))], reviews=[review("ben", ago(1))])
    doc = team.json()
    assert doc["teams"][0]["members"] == ["ana", "ben"]
    assert not {"sre", "pm", "reviewer"} & {s["to"] for s in doc["suggestions"]}


def test_on_a_real_gerrit_history_the_team_is_who_authored_its_changes() -> None:
    """golang.org/x/net's merged history (tests/data/real-history): no work tracker, two people
    with a work and an alias email, one bot account; the lead is configured by one account."""
    import json
    from collections import Counter
    from pathlib import Path

    from leadkit.model.interchange import dataset_from_json
    from leadkit.testing import run_report

    folder = Path(__file__).resolve().parents[1] / "data" / "real-history"
    data = dataset_from_json(json.loads((folder / "golang-net.json").read_text(encoding="utf-8")))
    facts = json.loads((folder / "golang-net.facts.json").read_text(encoding="utf-8"))
    lead = facts["lead"].split(":", 1)[1]
    config = f'[team]\nlead = "lia"\n[people.lia]\ngerrit = "{lead}"\n[analysis]\nsince = "90d"\n'
    doc = run_report(data, config).as_dict()
    (team,) = doc["teams"]
    people = {p["id"]: p for p in doc["people"]}
    # Members: whoever authored three changes or more in the history window, each once.
    authored: Counter[str] = Counter()
    alias = {b: a for a, b in facts["people_with_two_emails_under_one_name"]}
    for change in data.reviews:
        if change.author and change.author != facts["lead"]:
            authored[alias.get(change.author, change.author)] += 1
    bots = {p.id for p in data.people if p.is_automation}
    name = {p.id: p.name for p in data.people}
    expected = {name[a] for a, n in authored.items() if n >= 3 and a not in bots}
    members = [people[m]["name"] for m in team["members"]]
    assert sorted(members) == sorted(expected) == ["Cleo Larsen", "Tess Rossi", "Wes Castro"]
    # The project's bot authored 8 changes, outside contributors one or two: none is a member.
    assert authored[next(iter(bots))] == 8
