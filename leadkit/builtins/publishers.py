"""Built-in publishers, registered through ``register_publishers``.

``github-summary`` appends the markdown report to the job summary file that
GitHub Actions names in ``$GITHUB_STEP_SUMMARY``. Outside Actions the variable
is unset; that is normal (a local run, GitLab CI), so the publisher says so in
its summary line and the run goes on with exit 0.

``github-issue`` keeps one open issue per team with the markdown report as its
body, edited in place on every run. leadkit finds its issue by a hidden marker
*and* by who opened it (the token's own account, found as ``leadkit comment``
finds it): an issue someone else opened with the same marker is never
adopted, as with the pull-request comment (see :mod:`leadkit.pr.trust`).

``slack`` posts a short digest (the top actions, each finding with the number
of items it counts, a link to the CI run) to a Slack incoming webhook, as Block Kit. The
webhook URL is a secret: it is read from the variable ``[publish.slack]
webhook_env`` names and never shown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import requests

from leadkit import hookimpl
from leadkit.config import REPO_RE
from leadkit.errors import ConfigError, LeadkitError
from leadkit.hookspecs import PublisherRegister
from leadkit.http import CrossHost, OneHostSession
from leadkit.model.data import cut
from leadkit.model.report import Report
from leadkit.present.escape import plain, slack
from leadkit.present.outline import SEVERITY_LABEL
from leadkit.present.publish import PublishContext
from leadkit.secrets import redact, secret_from_env

SUMMARY_LIMIT = 1024 * 1024
"""GitHub rejects a step's summary over 1 MiB, and then shows none of it."""

ISSUE_BODY_LIMIT = 65_536
"""GitHub refuses an issue body longer than this many characters."""
ISSUE_TITLE_LIMIT = 256
"""GitHub refuses a longer issue title (422): a long team name is cut to fit."""

SLACK_TIMEOUT = 20.0
SLACK_SECTION_LIMIT = 3000
"""Slack refuses a section block whose text is longer."""


def github_summary(report: Report, context: PublishContext) -> str:
    """Append the markdown report to ``$GITHUB_STEP_SUMMARY`` (never overwrite: other steps write there)."""
    target = context.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if not target:
        return "skipped: GITHUB_STEP_SUMMARY is not set (not running in GitHub Actions)"
    path = Path(target)
    text = context.render("markdown")
    try:
        used = path.stat().st_size if path.exists() else 0
        payload = text.encode("utf-8")
        if used + len(payload) + 1 > SUMMARY_LIMIT:
            note = (
                f"\n> leadkit: the report ({len(payload)} bytes) would push this job summary over "
                "GitHub's 1 MiB limit, so it was left out; write it with --output instead.\n"
            )
            payload = note.encode("utf-8")
        with path.open("ab") as handle:
            if used:
                handle.write(b"\n")
            handle.write(payload)
    except OSError as exc:
        raise LeadkitError(
            f"cannot append to the job summary {target} (GITHUB_STEP_SUMMARY): {exc.strerror}"
        ) from None
    return f"appended the markdown report to {target}"


# -- github-issue -----------------------------------------------------------------------


def issue_marker(team: str) -> str:
    """The hidden line that marks a team's report issue (the name quoted: it cannot close the comment)."""
    return f"<!-- leadkit:report-issue team={quote(team, safe='')} -->"


def issue_body(marker: str, markdown: str, limit: int = ISSUE_BODY_LIMIT) -> str:
    """The marker and the report, cut at a line (and any open code fence closed) to fit ``limit``."""
    body = f"{marker}\n{markdown}"
    if len(body) <= limit:
        return body
    note = (
        f"\n> leadkit: the report ({len(markdown):,} characters) was cut here to fit GitHub's "
        f"{limit:,}-character issue body; the job summary or --output has all of it.\n"
    )
    room = limit - len(marker) - 1 - len(note) - len("```\n")
    kept = markdown[:room]
    kept = kept[: kept.rfind("\n") + 1] if "\n" in kept else ""
    fence = "```\n" if sum(line.startswith("```") for line in kept.splitlines()) % 2 else ""
    return f"{marker}\n{kept}{fence}{note}"


def _issue_repo(context: PublishContext) -> str:
    configured = context.config.publish.get("github-issue", {}).get("repo")
    if configured:
        return str(configured)
    repo = context.environ.get("GITHUB_REPOSITORY", "").strip()
    if not repo:
        raise ConfigError(
            "--publish github-issue: no repository: set [publish.github-issue] repo = "
            '"OWNER/NAME" (or GITHUB_REPOSITORY, which GitHub Actions sets)'
        )
    if not REPO_RE.match(repo):
        raise ConfigError(
            f"--publish github-issue: GITHUB_REPOSITORY must be OWNER/NAME, got {repo!r}"
        )
    return repo


def github_issue(report: Report, context: PublishContext) -> str:
    """Create or update each team's report issue; which issues, in one line."""
    from leadkit.pr.flow import identity, issue_host

    if context.session is None:
        raise LeadkitError("--publish github-issue needs a leadkit session (run it from the CLI)")
    repo = _issue_repo(context)
    labels = context.config.publish.get("github-issue", {}).get("labels", ())
    host = issue_host(context.session, repo)
    try:
        me = identity(host, context.session)
        done = []
        for team in report.teams:
            marker = issue_marker(team.name)
            title = cut(f"leadkit report: team {plain(team.name)}", ISSUE_TITLE_LIMIT)
            body = issue_body(marker, context.render_team("markdown", team.name))
            found = host.find_issue(repo, marker, me)
            if found is None:
                made = host.create_issue(repo, title, body, labels)
                done.append(f"created {repo}#{made.number} for team {plain(team.name)}")
            else:
                host.edit_issue(repo, found.number, title, body)
                done.append(f"updated {repo}#{found.number} for team {plain(team.name)}")
    finally:
        close = getattr(host, "close", None)
        if callable(close):
            close()
    return "; ".join(done) or "no team in the report: no issue written"


# -- slack ------------------------------------------------------------------------------


def run_url(environ: Any) -> str | None:
    """The CI run's page (GitHub Actions), where the job summary holds the full report."""
    server = environ.get("GITHUB_SERVER_URL", "").strip().rstrip("/")
    repo = environ.get("GITHUB_REPOSITORY", "").strip()
    run = environ.get("GITHUB_RUN_ID", "").strip()
    if not (server and REPO_RE.match(repo) and run.isdigit()):
        return None
    if not re.match(r"^https?://[^\s<>|]+$", server):
        return None
    return f"{server}/{repo}/actions/runs/{run}"


def _said(text: str | None) -> str:
    """Tracker text for mrkdwn (secrets are masked before escaping: see :func:`plain`)."""
    return slack(text)


def _section(text: str) -> dict[str, Any]:
    if len(text) > SLACK_SECTION_LIMIT:
        text = text[: SLACK_SECTION_LIMIT - 1].rstrip() + "\u2026"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_payload(report: Report, link: str | None) -> dict[str, Any]:
    """The digest as Block Kit: per team its top actions, and each finding with its severity
    and how many items it counts (the job summary or the report issue has the rest)."""
    blocks: list[dict[str, Any]] = []
    counts_total = 0
    for team in report.teams:
        header = f"leadkit: team {plain(team.name)}"
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": header[:150]}})
        actions = [a for a in report.actions if a.team == team.name]
        lines = [f"{n}. {_said(a.shared or a.message)}" for n, a in enumerate(actions, start=1)]
        blocks.append(
            _section("*Top actions*\n" + ("\n".join(lines) or "Nothing stands out this window."))
        )
        findings = [f for f in report.findings if f.team == team.name and f.computed]
        counts_total += len(findings)
        counted = [
            f"• {SEVERITY_LABEL.get(f.severity, f.severity.upper())} `{_said(f.kind)}`: "
            f"{len(f.items)} item{'' if len(f.items) == 1 else 's'}"
            for f in findings
        ]
        blocks.append(_section("*Findings*\n" + ("\n".join(counted) or "No findings.")))
    start, end = report.window.start, report.window.end
    footer = f"{start:%Y-%m-%d} → {end:%Y-%m-%d}"
    if link:
        footer = f"<{link}|Full report in the CI run> · {footer}"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    # The top-level text is the notification's, and Slack reads it as mrkdwn too.
    names = ", ".join(_said(t.name) for t in report.teams) or "no team"
    text = f"leadkit report for {names}: {len(report.actions)} actions, {counts_total} findings"
    return {"text": text, "blocks": blocks[:50]}


def slack_post(report: Report, context: PublishContext) -> str:
    """Post the digest to the webhook; a refusal is one line with the URL masked."""
    variable = context.config.publish.get("slack", {}).get("webhook_env", "SLACK_WEBHOOK_URL")
    url = secret_from_env(
        variable, purpose="--publish slack posts to this Slack webhook", environ=context.environ
    )
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"environment variable {variable} must hold a Slack webhook URL (https://hooks.slack.com/...); "
            "its value is not shown"
        )
    where = f"the Slack webhook in {variable}"
    payload = slack_payload(report, run_url(context.environ))
    try:
        with OneHostSession() as session:  # a 307/308 never re-posts the digest elsewhere
            response = session.post(url, json=payload, timeout=SLACK_TIMEOUT)
    except CrossHost as exc:
        raise LeadkitError(f"{where}: {exc}") from None
    except requests.RequestException as exc:
        raise LeadkitError(
            f"cannot reach {where}: {type(exc).__name__} (the URL is not shown)"
        ) from None
    if response.status_code >= 300:
        # secret_from_env masks the URL's path and its key segment in every form an echo takes.
        said = redact(" ".join(response.text.split()))[:120]
        raise LeadkitError(
            f"{where} answered HTTP {response.status_code}" + (f": {said}" if said else "")
        )
    return f"posted the digest to {where}"


@hookimpl
def register_publishers(register: PublisherRegister) -> None:
    register(
        "github-summary",
        github_summary,
        description="append the markdown report to $GITHUB_STEP_SUMMARY (GitHub Actions)",
    )
    register(
        "github-issue",
        github_issue,
        description="keep one issue per team with the markdown report, updated in place",
    )
    register(
        "slack",
        slack_post,
        description="post a short digest to a Slack incoming webhook ([publish.slack])",
    )
