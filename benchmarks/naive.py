"""The naive baseline: how most scripts read GitHub with PyGithub and Jira with jira.

List the pull requests (100 per page, newest-updated first), then for each one
ask for its reviews, its requested reviewers, its conversation comments and its
review comments; search Jira (all pages), then for each issue fetch it again
with its changelog and fetch its comments. Same data leadkit reads, one or more
requests per item. Used only by ``benchmarks/run.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from github import Auth, Github
from jira import JIRA


def naive_github(base_url: str, token: str, repos: list[str], since: datetime) -> int:
    """Read every PR updated since ``since`` with per-PR calls; the number of PRs read."""
    gh = Github(
        auth=Auth.Token(token),
        base_url=base_url,
        per_page=100,
        retry=None,
        seconds_between_requests=0,  # the 0.25 s default throttle would only flatter leadkit
    )
    count = 0
    try:
        for name in repos:
            repo = gh.get_repo(name)
            for pr in repo.get_pulls(state="all", sort="updated", direction="desc"):
                if pr.updated_at < since:
                    break
                reviews = [(r.user.login if r.user else None, r.state) for r in pr.get_reviews()]
                users, teams = pr.get_review_requests()
                pending = [u.login for u in users] + [t.slug for t in teams]
                comments = [c.user.login for c in pr.get_issue_comments()]
                threads = [c.user.login for c in pr.get_review_comments()]
                _keep(reviews, pending, comments, threads)
                count += 1
    finally:
        gh.close()
    return count


def naive_jira(server: str, email: str, token: str, jql: str) -> int:
    """Search, then fetch each issue's changelog and comments; the number of issues read."""
    jira = JIRA(server=server, basic_auth=(email, token), max_retries=0)
    count = 0
    try:
        for issue in jira.search_issues(jql, maxResults=False):
            full = jira.issue(issue.key, expand="changelog")
            histories = [h.created for h in full.changelog.histories]
            comments = [c.created for c in jira.comments(issue.key)]
            _keep(histories, comments)
            count += 1
    finally:
        jira.close()
    return count


def _keep(*values: Any) -> None:
    """Stand-in for what a script would do with the data."""
