"""GraphQL points: what the fake charges by GitHub's documented rule, and what leadkit spends.

The fake GitHub charges every query by GitHub's documented rule (each
connection costs the requests needed to fulfil it, the product of its parents'
``first``/``last``; the sum divided by 100, at least 1), counting every
connection in the query text, ``@include``-switched parts too. These tests pin
the rule on GitHub's own example, and hold leadkit's spending near one nested
connection per list it needs, without losing anything the analyses use.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from leadkit_github.graphql import threads_first

from leadkit.cli import cli
from leadkit.testing import org, org_config

from .conftest import NOW, TOKEN, WINDOW, make_adapter
from .fake_github import (
    FakeIssue,
    FakePull,
    FakeRepo,
    generate_pulls,
    github_repos,
    github_users,
)

AUTHORS = ["owen", "priya", "tommy", "jamie"]

HERE = Path(__file__).parent
BEFORE = HERE / "data" / "cost_before.json"
"""The dataset the adapter collected from :func:`org_repos` before the cost work (``export``)."""


def org_repos() -> list[FakeRepo]:
    """Generated PRs plus the shapes that overflow small nested pages, and real-looking issues."""
    members = org()
    logins = [m.github for m in members]
    repos = github_repos(240, now=NOW, members=members, repos=2, days=80)
    t = NOW - timedelta(days=3)
    busy = repos[0].pulls[0]
    # Many threads, one long thread, many files, comments and reviews: the rare overflow.
    busy.threads = [[(logins[1], t, f"Thread {k}: why this name?")] for k in range(7)]
    busy.threads.append(
        [(logins[k % 4], t + timedelta(minutes=k), f"reply {k} @{logins[0]}") for k in range(27)]
    )
    busy.files = [f"services/api/deep/path/module_{k}.py" for k in range(130)]
    busy.comments = [(logins[k % 5], t + timedelta(hours=k), f"c{k}?") for k in range(63)]
    busy.reviews = [(logins[1 + k % 3], "COMMENTED", t + timedelta(hours=k)) for k in range(55)]
    busy.updated = NOW - timedelta(hours=1)
    # An open PR nobody touched for months: read by the stale stream.
    repos[1].pulls.append(
        FakePull(
            999,
            "PIPE-7: stalled migration",
            logins[2],
            NOW - timedelta(days=200),
            NOW - timedelta(days=150),
            files=["db/migrations/0007.sql"],
            requests=[("requested", logins[0], NOW - timedelta(days=199), logins[2])],
        )
    )
    issues = []
    for n in range(1, 31):
        at = NOW - timedelta(days=n)
        issues.append(
            FakeIssue(
                1000 + n,
                f"Issue {n}",
                logins[n % 6],
                at - timedelta(days=2),
                at,
                state="CLOSED" if n % 3 == 0 else "OPEN",
                closed=at if n % 3 == 0 else None,
                labels=["bug"] if n % 2 else ["enhancement", "task"],
                assignees=[logins[n % 4]],
                comments=[
                    (logins[(n + k) % 5], at - timedelta(hours=k), f"@{logins[0]} ok?")
                    for k in range(n % 4)
                ],
                events=[("assigned", at - timedelta(days=1), logins[0], logins[n % 4])]
                + ([("closed", at, logins[n % 4], None)] if n % 3 == 0 else []),
            )
        )
    issues[0].comments = [(logins[k % 5], NOW - timedelta(hours=k + 2), f"n{k}") for k in range(70)]
    issues.append(
        FakeIssue(
            2000,
            "Flaky deploy, assigned long ago",
            logins[3],
            NOW - timedelta(days=300),
            NOW - timedelta(days=250),
            assignees=[logins[0]],
        )
    )
    repos[0].issues = issues
    return repos


def write_config(tmp_path: Path, url: str | None) -> Path:
    """The org's config reading the fake GitHub, or (``url`` None) the recorded dataset."""
    if url is None:
        source = f'type = "file"\nname = "gh"\npath = "{BEFORE}"\n'
    else:
        source = f'type = "github"\nname = "gh"\nbase_url = "{url}"\n'
        source += 'repos = ["acme/repo0", "acme/repo1"]\n'
    config = tmp_path / ("leadkit.toml" if url else "before.toml")
    config.write_text(org_config(org(), sources="[[sources]]\n" + source), encoding="utf-8")
    return config


def report(config: Path) -> tuple[dict, str]:
    """The JSON report of a fresh run, and the ``--stats`` table."""
    args = ["report", "--config", str(config), "--now", NOW.isoformat(), "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "--stats"], env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def dataset(config: Path, out: Path) -> dict:
    """The collected dataset (accounts as collected), as ``leadkit export`` writes it."""
    args = ["export", "--config", str(config), "--now", NOW.isoformat(), "--output", str(out)]
    result = CliRunner().invoke(cli, args, env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


DOCS_EXAMPLE = """
query {
  viewer {
    login
    repositories(first: 100) {
      edges { node { id
        issues(first: 50) {
          totalCount
          edges { node { id
            labels(first: 60) { totalCount edges { node { id name } } }
          } }
        }
      } }
    }
  }
}
"""


def test_the_fake_charges_the_documented_example_and_counts_switched_off_parts(serve):
    fake = serve([])
    # GitHub's worked example: 1 + 100 + 100 x 50 = 5,101 requests, 51 points.
    assert fake.cost(DOCS_EXAMPLE, {}) == 51
    # Tiny queries cost at least one point; results round to the nearest whole number.
    assert fake.cost("query { viewer { login } }", {}) == 1
    switched = """
    query Q($on: Boolean!, $n: Int!) {
      repository(owner: "a", name: "b") {
        pullRequests(first: $n) { nodes { files(first: 3) { nodes { path } } } }
        issues(first: 100) @include(if: $on) {
          nodes { ...F }
        }
      }
      rateLimit { cost }
    }
    fragment F on Issue { labels(first: 5) { nodes { name } } comments(last: 9) { totalCount } }
    """
    # 1 + 100 (files of 100 PRs) + 1 + 100 + 100 (labels and comments of 100 issues) = 302.
    assert fake.cost(switched, {"on": False, "n": 100}) == 3
    # Each reply carries the charge in rateLimit.cost, and the budget counts down.
    reply = fake.graphql(switched, {"on": False, "n": 100}, cost=3)
    assert reply["data"]["rateLimit"]["cost"] == 3


def gql_points(stats: str) -> int:
    """The ``gql pts`` column of the ``--stats`` table's ``gh`` row."""
    header, *rows = stats.strip().splitlines()
    column = header.split().index("gql")  # "gql pts" is one column of two words
    row = next(r for r in rows if r.split()[0] == "gh")
    return int(row.split()[column])


def test_nothing_the_analyses_use_is_lost_and_stats_show_the_points_github_reports(
    serve, tmp_path: Path
):
    fake = serve(org_repos(), users=github_users(org()))
    config = write_config(tmp_path, fake.url)
    data, stats = report(config)
    # --stats sums the rateLimit.cost of every reply: the points GitHub charged.
    assert gql_points(stats) == fake.points() > 0
    charged = [s.cost for s in fake.requests if s.query]
    assert all(c >= 1 for c in charged) and len(charged) == fake.count(graphql=True)
    # Everything collected, and so every finding, is what the adapter collected before.
    before_config = write_config(tmp_path, None)
    assert dataset(config, tmp_path / "now.json") == dataset(before_config, tmp_path / "b.json")
    assert data["findings"] == report(before_config)[0]["findings"]


POINTS_PER_100_PRS = 10.0
"""The issue's target: 1.5 x one nested connection per list leadkit needs (6.6), about 10."""


def test_points_per_100_prs_stay_near_one_connection_per_list(serve):
    repos = github_repos(600, now=NOW, members=org(), repos=2)
    fake = serve(repos)
    data = make_adapter(fake.url, repos=["acme/repo0", "acme/repo1"]).collect(WINDOW)
    assert len(data.reviews) == 600
    assert fake.count(graphql=True) == 6  # ceil(300/100) per repository: the lower bound
    # Per page of 100 PRs: the page, then per PR its last commit, closing issues, files, one
    # timeline (review requests, reviews, comments), review threads, and 3 threads' comments.
    assert [s.cost for s in fake.requests if "stalePullRequests" not in s.reads][-1] == 8
    assert fake.points() * 100 / 600 <= POINTS_PER_100_PRS  # 54 points: 9 per 100 PRs


def test_threads_per_pr_are_sized_from_what_prs_hold(serve):
    t = NOW - timedelta(days=2)
    busy = generate_pulls(300, now=NOW, authors=AUTHORS, seed=3)
    for pull in busy:  # a repository where every PR gets a real review: 8 threads each
        pull.threads = [[("jamie", t, f"why {k}?"), ("owen", t, "fixed")] for k in range(8)]
    quiet = generate_pulls(300, now=NOW, authors=AUTHORS, seed=4)
    for pull in quiet:
        pull.threads = []
    fake = serve([FakeRepo("acme/busy", pulls=busy), FakeRepo("acme/quiet", pulls=quiet)])
    data = make_adapter(fake.url, repos=["acme/busy", "acme/quiet"]).collect(WINDOW)
    assert all(len(r.comments) >= 16 for r in data.reviews if r.repo == "acme/busy")
    sizes = {
        repo: [
            re.search(r"reviewThreads\(first: (\d+)\)", s.query).group(1)  # type: ignore[union-attr]
            for s in fake.requests
            if s.operation == "RepoPage" and s.variables["name"] == repo
        ]
        for repo in ("busy", "quiet")
    }
    assert sizes == {"busy": ["3", "8", "8"], "quiet": ["3", "1", "1"]}
    # The first page's 100 overflowing PRs are completed in two batched follow-ups; the
    # later pages ask for what PRs hold and need none.
    assert fake.count(operation="FollowUp") == 2
    assert fake.count(graphql=True) <= 1.2 * 6 + 1


def test_threads_asked_cover_95_percent_of_prs_between_1_and_30():
    assert threads_first([]) == 3  # a repository's first page: nothing known yet
    assert threads_first([0] * 95 + [9] * 5) == 1  # 5% overflow, completed in follow-ups
    assert threads_first([0] * 94 + [9] * 6) == 9
    assert threads_first([50] * 10) == 30  # capped: a page stays far below the node limit
