"""``--publish github-issue`` against the fake GitHub: one issue per team, kept in place.

The report is the demo team's (Jamie leads; Owen, Tommy, Priya). GitHub is
reached as in Actions: ``GITHUB_TOKEN``, ``GITHUB_API_URL``, ``GITHUB_REPOSITORY``.
"""

from __future__ import annotations

from click.testing import CliRunner

from leadkit.builtins.publishers import ISSUE_BODY_LIMIT, issue_body, issue_marker
from leadkit.cli import cli

from .fake_github import FakeGitHub, FakeRepo

TOKEN = "ghp_issueTOKEN0123456789abcdef"
REPO = "acme/team-reports"
NOW = "2026-11-20T16:00:00Z"


def publish(gh: FakeGitHub, **env: str) -> tuple[int, str]:
    environ = {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": gh.url,
        "GITHUB_REPOSITORY": REPO,
        **env,
    }
    result = CliRunner().invoke(
        cli,
        ["report", "--demo", "--now", NOW, "-o", "/dev/null", "--publish", "github-issue"],
        env=environ,
    )
    return result.exit_code, result.stderr


def team_issues(gh: FakeGitHub) -> list:
    return [i for i in gh.repos[REPO].issues if issue_marker("dataflow") in i.body]


def test_first_run_creates_the_issue_and_the_second_updates_it() -> None:
    with FakeGitHub([FakeRepo(REPO)], token=TOKEN, viewer="reports-bot") as gh:
        code, err = publish(gh)
        assert code == 0, err
        [issue] = gh.repos[REPO].issues
        assert (
            err.strip() == f"leadkit: github-issue: created {REPO}#{issue.number} for team dataflow"
        )
        assert issue.author == "reports-bot"
        assert issue.title == "leadkit report: team dataflow"
        assert issue.body.startswith(issue_marker("dataflow") + "\n# leadkit report")
        assert "Owen" in issue.body and "PIPE\\-210" in issue.body
        assert TOKEN not in issue.body
        first_body = issue.body

        issue.body = issue.body.replace("# leadkit report", "# stale", 1)
        code, err = publish(gh)
        assert code == 0, err
        assert (
            err.strip() == f"leadkit: github-issue: updated {REPO}#{issue.number} for team dataflow"
        )
        assert len(gh.repos[REPO].issues) == 1
        assert issue.body == first_body
        assert [(m, p) for m, p, _ in gh.writes] == [
            ("POST", f"/repos/{REPO}/issues"),
            ("PATCH", f"/repos/{REPO}/issues/{issue.number}"),
        ]


def test_an_imitation_by_another_account_is_never_adopted() -> None:
    with FakeGitHub([FakeRepo(REPO)], token=TOKEN, viewer="reports-bot") as gh:
        fake = gh.add_issue(
            REPO,
            "leadkit report: team dataflow",
            issue_marker("dataflow") + "\nmine now",
            "mallory",
        )
        code, err = publish(gh)
        assert code == 0, err
        assert fake.body.endswith("mine now")  # never edited
        ours = [i for i in team_issues(gh) if i.author == "reports-bot"]
        assert len(ours) == 1 and ours[0].number != fake.number
        assert f"created {REPO}#{ours[0].number}" in err


def test_actions_token_posts_as_the_actions_bot() -> None:
    """``GITHUB_TOKEN`` in Actions may not ask ``GET /user``: the issue is github-actions[bot]'s."""
    with FakeGitHub([FakeRepo(REPO)], token=TOKEN, viewer=None) as gh:
        gh.add_issue(REPO, "lookalike", issue_marker("dataflow") + "\n", "someone")
        for _ in range(2):
            code, err = publish(gh, GITHUB_ACTIONS="true")
            assert code == 0, err
        mine = [i for i in team_issues(gh) if i.author == "github-actions[bot]"]
        assert len(mine) == 1 and "updated" in err


def test_errors_are_one_line_exit_2() -> None:
    with FakeGitHub([FakeRepo(REPO)], token=TOKEN) as gh:
        gh.fail(403, {"message": "Resource not accessible by integration"}, method="POST")
        code, err = publish(gh)
        assert code == 2
        assert err.count("\n") == 1 and "issues: write" in err and "Traceback" not in err
        assert TOKEN not in err

        code, err = publish(gh, GITHUB_REPOSITORY="acme/missing")
        assert code == 2 and err.count("\n") == 1
        assert "acme/missing was not found" in err

        code, err = publish(gh, GITHUB_REPOSITORY="")
        assert code == 2 and "no repository" in err and err.count("\n") == 1

        code, err = publish(gh, GITHUB_TOKEN="")
        assert code == 2 and "GITHUB_TOKEN is not set" in err and err.count("\n") == 1
    assert not gh.repos[REPO].issues


def test_a_long_report_is_cut_to_githubs_limit_with_a_note() -> None:
    marker = issue_marker("a team -->")
    assert "-->" not in marker[4:-3]
    report = "# leadkit report\n\n```mermaid\n" + "x-axis line\n" * 20_000 + "```\n"
    body = issue_body(marker, report)
    assert len(body) <= ISSUE_BODY_LIMIT
    assert body.startswith(marker + "\n# leadkit report")
    assert "was cut here to fit GitHub's 65,536-character issue body" in body
    fences = [line for line in body.splitlines() if line.startswith("```")]
    assert len(fences) % 2 == 0  # the note is not swallowed by an open code block
    assert issue_body(marker, "short\n") == marker + "\nshort\n"


def test_one_issue_per_team_each_with_its_own_part(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from leadkit.model.interchange import dataset_to_json, dumps
    from leadkit.testing.builders import Team, ago, request

    team = Team(lead="jamie", members=["owen", "priya"], name="data")
    team.add_team("web", "sam", ["tommy"])
    team.pr(
        41,
        author="owen",
        paths=["pipeline/run.py"],
        created=ago(5),
        requests=[request("jamie", ago(5))],
    )
    team.pr(
        77, author="tommy", paths=["web/app.tsx"], created=ago(4), requests=[request("sam", ago(4))]
    )
    (tmp_path / "data.json").write_text(dumps(dataset_to_json(team.dataset())), encoding="utf-8")
    config = tmp_path / "leadkit.toml"
    config.write_text(
        team.config_text()
        + "".join(f'\n[people.{p}]\ngithub = "{p}"\n' for p in team.people)
        + '\n[[sources]]\ntype = "file"\nname = "f"\npath = "data.json"\n',
        encoding="utf-8",
    )
    with FakeGitHub([FakeRepo(REPO)], token=TOKEN, viewer="reports-bot") as gh:
        env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url, "GITHUB_REPOSITORY": REPO}
        args = ["report", "--config", str(config), "--now", "2026-11-20T16:00:00Z"]
        for _ in range(2):
            result = CliRunner().invoke(
                cli, [*args, "-o", str(tmp_path / "r.txt"), "--publish", "github-issue"], env=env
            )
            assert result.exit_code == 0, result.output
        issues = {i.title: i for i in gh.repos[REPO].issues}
        assert sorted(issues) == ["leadkit report: team data", "leadkit report: team web"]
        data, web = issues["leadkit report: team data"], issues["leadkit report: team web"]
        assert data.body.startswith(issue_marker("data")) and web.body.startswith(
            issue_marker("web")
        )
        assert "acme/app\\#\u200b41" in data.body and "\\#\u200b77" not in data.body
        assert "\\#\u200b77" in web.body and "Team data" not in web.body
        assert result.stderr.count("updated") == 2


def test_a_team_name_past_githubs_title_limit_is_cut_and_the_issue_is_made(tmp_path) -> None:
    """GitHub refuses an issue title over 256 characters (422, the fake too)."""
    from leadkit import demo

    name = "data" + "f" * 296
    text = (demo.directory() / "leadkit.toml").read_text(encoding="utf-8")
    text = text.replace('name = "dataflow"', f'name = "{name}"')
    text = text.replace('path = "team.json"', f'path = "{demo.directory() / "team.json"}"')
    config = tmp_path / "leadkit.toml"
    config.write_text(text, encoding="utf-8")
    with FakeGitHub([FakeRepo(REPO)], token=TOKEN, viewer="reports-bot") as gh:
        env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url, "GITHUB_REPOSITORY": REPO}
        args = ["report", "--config", str(config), "--now", NOW, "-o", "/dev/null"]
        result = CliRunner().invoke(cli, [*args, "--publish", "github-issue"], env=env)
        assert result.exit_code == 0, result.output
        [issue] = gh.repos[REPO].issues
        assert len(issue.title) == 256 and issue.title.endswith("\u2026")
        assert issue.title.startswith("leadkit report: team datafff")
        assert issue_marker(name) in issue.body  # found again by its marker, whatever the title
        again = CliRunner().invoke(cli, [*args, "--publish", "github-issue"], env=env)
        assert again.exit_code == 0, again.output
        assert len(gh.repos[REPO].issues) == 1
