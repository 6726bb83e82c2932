"""Never a leaderboard: what the team reads names no colleague's score or count.

The job summary, Slack, the report issue, the PR comment and anything rendered
with ``--audience team`` are read by the whole team: no score, no count per
person, no prompt to check in with a named colleague, in any format (the JSON
too). The lead's report (a terminal, ``--output`` files) keeps everything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from leadkit.cli import cli
from leadkit.pr.flow import Target, select
from leadkit.testing import Team, ago, comment, finding, host, request

from .conftest import DEMO_NOW

PER_PERSON_COUNT = re.compile(r"(Owen Hart|Priya Shah|Tommy Lindqvist) \(\d+\)")


def report(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, ["report", "--demo", "--now", DEMO_NOW, *args], env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_only_the_leads_report_has_scores_and_who_pulls_the_lead_in() -> None:
    for fmt in ("text", "markdown"):
        text = " ".join(report("--format", fmt).replace("\\", "").split())
        assert "Pulled in most by Owen Hart (10), Priya Shah (1)" in text, fmt
        assert re.search(r"score 0\.\d\d \(familiarity", text), fmt
    doc = json.loads(report("--format", "json"))
    assert doc["audience"] == "lead"
    load = next(f for f in doc["findings"] if f["kind"] == "interrupt-load")
    assert load["metrics"]["pulled_in_by"][0] == {"person": "owen", "actions": 10}
    assert all("score" in s and "parts" in s for s in doc["suggestions"])  # kept in the JSON
    for fmt in ("text", "markdown", "html"):
        shared = report("--format", fmt, "--audience", "team")
        assert "Pulled in most" not in shared and not PER_PERSON_COUNT.search(shared), fmt
        assert "score 0." not in shared and "familiarity 0." not in shared, fmt
        assert "The interruptions went most to" in shared, fmt
        assert (
            "Priya Shah knows ingestion/, has room while waiting on the lead, wants to learn ingestion"
            in shared
        )


def test_the_job_summary_is_the_shared_report(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    report("--publish", "github-summary", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert "interrupt-load" in text and "The interruptions went most to" in text
    assert not PER_PERSON_COUNT.search(text) and "score 0." not in text
    assert "everyone else" in text


def monorepo_team() -> Team:
    """A monorepo: Owen works in services/orders/, a PR there waits on the lead."""
    team = Team(members=["owen", "priya", "tommy"])
    for n in range(6):
        team.merged_pr(
            200 + n,
            author="owen",
            reviewers=["jamie"],
            days_ago=10 + n,
            repo="acme/platform",
            paths=[f"services/orders/api/handler_{n}.py"],
        )
    team.pr(
        230,
        author="priya",
        title="Orders: idempotent retries",
        repo="acme/platform",
        paths=["services/orders/api/retry.py"],
        created=ago(3),
        requests=[request("jamie", ago(3))],
        comments=[comment("priya", ago(2))],
    )
    return team


def test_the_pr_comment_gives_reasons_in_words_not_scores() -> None:
    team = monorepo_team()
    built = team.report()
    waiting = [s for s in built.suggestions if s.action == "review"]
    assert waiting and waiting[0].to == "owen" and waiting[0].score > 0  # the score exists...
    offers, _ = select(
        built, team.dataset(), Target("acme/platform", 230), host().kinds, mentions=False
    )
    (offer,) = [o for o in offers if o.sid.endswith(":owen")]
    # ...but the comment says why in words: no score, no count of touches or items.
    assert offer.text.startswith("Ask Owen to review this pull request in place of Jamie: knows ")
    assert "services" in offer.text
    assert "score" not in offer.text and not re.search(r"\d", offer.text.split(": ", 1)[1])


def test_the_review_chart_is_the_lead_against_everyone_else() -> None:
    team = monorepo_team()
    for n in range(3):
        team.merged_pr(
            300 + n,
            author="priya",
            reviewers=["owen", "tommy"],
            days_ago=5 + n,
            repo="acme/platform",
            paths=["services/billing/invoice.py"],
        )
    doc = team.json()
    metrics = finding(doc, "review-concentration")["metrics"]
    assert (metrics["reviewed_by_lead"], metrics["reviewed_by_others"]) == (6, 3)
    from leadkit.present.outline import build_outline

    (chart,) = [c for c in build_outline(team.report()).teams[0].charts if c.key == "review-share"]
    assert chart.labels == ["Jamie", "everyone else"]
    assert chart.series == [("PRs reviewed", [6, 3])]  # Owen and Tommy both reviewed 3: one bar
    assert chart.total == 9


def test_actions_give_reasons_in_words_where_the_team_reads_them() -> None:
    """Counts about a named colleague stay in the lead's report (the JSON included)."""
    for fmt in ("text", "markdown", "html"):
        shared = " ".join(report("--format", fmt, "--audience", "team").split())
        actions = shared.split("Top actions", 1)[1].split("Findings", 1)[0]
        assert "Owen Hart to write the tests for PIPE" in actions, fmt
        # Owen's own PRs wait on Jamie: room, not load.
        assert (
            "who knows pipeline, has room while waiting on the lead, wants to learn pipeline design"
            in actions
        ), fmt
        assert "times in 90 days" not in actions and "open PR" not in actions, fmt
    team = json.loads(report("--format", "json", "--audience", "team"))
    assert not any("times in 90 days" in a["message"] for a in team["actions"])
    assert "who touched pipeline 19 times in 90 days" in " ".join(report().split())
    messages = [a["message"] for a in json.loads(report("--format", "json"))["actions"]]
    assert any("touched ingestion/ 8 times in 90 days" in m for m in messages)
