"""Config validation (no network) and every query shape against GitHub's published schema."""

from __future__ import annotations

from itertools import combinations

import pytest
from leadkit_github.graphql import (
    ISSUE_CONNECTIONS,
    PR_CONNECTIONS,
    STREAMS,
    FollowUp,
    follow_up_query,
    item_query,
    repo_page_query,
)

from leadkit.errors import ConfigError

from .conftest import TOKEN, assert_valid, make_adapter


def test_every_repo_page_and_item_query_is_valid(schema):
    for size in range(1, len(STREAMS) + 1):
        for streams in combinations(STREAMS, size):
            assert_valid(schema, repo_page_query(frozenset(streams)))
    assert_valid(schema, item_query("pr"))
    assert_valid(schema, item_query("issue"))


def test_every_follow_up_shape_is_valid(schema):
    items = [FollowUp("pr", 7, name, "Y3Vyc29y") for name in PR_CONNECTIONS]
    items += [FollowUp("issue", 8, name, None) for name in ISSUE_CONNECTIONS]
    items.append(FollowUp("thread", 7, "comments", "Y3Vyc29y", "PRRT_kwDOA"))
    query, variables = follow_up_query(items)
    assert_valid(schema, query)
    thread = len(items) - 1
    assert variables[f"t{thread}"] == "PRRT_kwDOA" and variables["c0"] == "Y3Vyc29y"


def test_a_thread_only_follow_up_is_valid(schema):
    query, _ = follow_up_query([FollowUp("thread", 1, "comments", None, "PRRT_1")])
    assert_valid(schema, query)


def test_a_full_page_stays_far_below_the_node_limit():
    # GitHub counts first x nested first: 100 PRs x (files 100 + at most 30 threads x 20
    # comments + timeline 100 + closing 10 + commits 1), twice (both PR streams), plus
    # issues twice.
    from leadkit_github import graphql as g

    per_pr = (
        g.FILES_FIRST
        + g.MAX_THREADS_FIRST * (1 + g.THREAD_COMMENTS_FIRST)
        + g.TIMELINE_FIRST
        + g.CLOSING_FIRST
        + 1
    )
    per_issue = g.LABELS_FIRST + g.ASSIGNEES_FIRST + g.TIMELINE_FIRST
    nodes = 2 * 100 * (1 + per_pr) + 2 * 100 * (1 + per_issue)
    assert nodes < 500_000 / 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"repos": ["acme"]}, "entry 'acme' is not"),
        ({"repos": "acme/api", "concurrency": 0}, "concurrency must be between 1 and 16"),
        ({"repos": ["a/b"], "base_url": "ftp://x"}, r"base_url must be an http\(s\) URL"),
        ({"repos": ["a/b"], "include_issues": "yes"}, "include_issues must be true or false"),
        ({"repos": ["a/b"], "max_wait": "1h"}, "max_wait must be a number, got '1h'"),
        ({"repos": ["a/b"], "page_size": 500}, "page_size must be between 1 and 100"),
        ({"repos": ["a/b"], "repo": "x"}, "repo is not a known option"),
        ({"repos": ["a/b"], "token_env": "not a var"}, "token_env must name an environment"),
    ],
)
def test_bad_config_names_the_key(options, message):
    repos = options.pop("repos")
    with pytest.raises(ConfigError, match=message) as err:
        base_url = options.pop("base_url", "https://api.github.com")
        make_adapter(base_url, repos=repos if isinstance(repos, list) else [repos], **options)
    assert str(err.value).startswith("source 'gh': ")


def test_empty_repos_list_is_rejected():
    from leadkit_github import GitHubSource

    from leadkit.collect.sources import CollectContext, SourceConfig, SourceStats

    context = CollectContext(stats=SourceStats("gh"), environ={"GITHUB_TOKEN": TOKEN})
    with pytest.raises(ConfigError, match="repos is required"):
        GitHubSource(SourceConfig("gh", "github", {"repos": []}), context)


def test_missing_token_names_the_variable():
    with pytest.raises(ConfigError, match="MY_TOKEN is not set"):
        make_adapter(None, env={}, token_env="MY_TOKEN")


def test_base_url_defaults(monkeypatch):
    assert make_adapter(None).options.base_url == "https://api.github.com"
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": "https://ghe.example.com/api/v3/"}
    adapter = make_adapter(None, env=env)
    assert adapter.options.base_url == "https://ghe.example.com/api/v3"
    assert adapter.transport().graphql_url == "https://ghe.example.com/api/graphql"
    explicit = make_adapter("https://ghe.example.com/api/v3", env=env)
    assert explicit.options.base_url == "https://ghe.example.com/api/v3"


def test_defaults():
    options = make_adapter(None).options
    assert (options.token_env, options.include_issues, options.concurrency) == (
        "GITHUB_TOKEN",
        True,
        4,
    )
    assert options.max_wait == 900.0


def test_the_pr_comment_queries_are_valid(schema):
    """The token's account (``viewer``) and a comment's edit history (``userContentEdits``)."""
    from leadkit_github.writes import HISTORY_QUERY, VIEWER_QUERY

    assert_valid(schema, VIEWER_QUERY)
    assert_valid(schema, HISTORY_QUERY)
