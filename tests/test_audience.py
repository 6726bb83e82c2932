"""``--audience lead|team``: the team's report names no one to check in with and counts no one.

The job summary, Slack, the report issue, the PR comment and a JSON artifact
rendered for the team carry no "check in with <name>" and no count per
person (``askers``, ``pulled_in_by``, ``reviews_by_reviewer``, a suggestion's
touches and load), in any format; the lead's report (a terminal, ``--output``
files) has everything. A plugin kind's per-person metrics and lead-only
findings get the same treatment, declared once on the kind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leadkit.builtins.publishers import slack_payload
from leadkit.cli import cli
from leadkit.model.interchange import read_dataset_file
from leadkit.present.audience import for_audience
from leadkit.testing import Team, ago, comment, host, moved, request, run_report

from .conftest import DEMO_NOW

FORMATS = ("text", "markdown", "json", "html")
PER_PERSON_KEYS = {
    "askers",
    "pulled_in_by",
    "reviews_by_reviewer",
    "area_touches",
    "load",
    "load_with_plan",
    "member_answers",
    "left_out",
    "authored",  # review-ownership's co-reviewers' PRs in the area
    "by_author",  # the plugin kind's below
}
DEMO_NAMES = ("Owen Hart", "Priya Shah", "Tommy Lindqvist")
COUNT_AFTER_NAME = re.compile(r"(Owen Hart|Priya Shah|Tommy Lindqvist|Zed) \\?\(\d+\\?\)")
COUNTS_ABOUT_A_PERSON = re.compile(r"\d+ times in \d+ days|has \d+ items? in progress|\bscore 0\.")

PLUGIN = """
from dataclasses import dataclass, field

from leadkit import hookimpl
from leadkit.api import PER_PERSON, Action, Finding
from leadkit.analyze.kinds import ActionCandidate, FindingKind


@dataclass
class Authors:
    open_prs: int
    by_author: dict = field(metadata=PER_PERSON)


class ByAuthor(FindingKind):
    kind = "by-author"
    order = 60

    def run(self, context):
        prs = [r for r in context.dataset.reviews if r.is_open]
        counts = {}
        for r in prs:
            counts[r.author] = counts.get(r.author, 0) + 1
        yield Finding(self.kind, "info", f"{len(prs)} PRs are open.", metrics=Authors(len(prs), counts))


class Nudge(FindingKind):
    kind = "nudge"
    order = 61
    lead_only = True
    acts_on_info = True

    def run(self, context):
        yield Finding(self.kind, "warn", "Zed has been quiet (9).", people=["owen"])

    def actions(self, finding, context):
        yield ActionCandidate(Action(0, "nudge", "Check in with Zed (9)", findings=[finding.id],
                                     people_unblocked=9), "zed")


@hookimpl
def register_analyses(register):
    register(ByAuthor())
    register(Nudge())
"""


def run(*args: str, env: dict[str, str] | None = None) -> str:
    config = (env or {}).get("LEADKIT_TEST_CONFIG")
    extra = ["--config", config] if config else []
    result = CliRunner().invoke(
        cli, ["report", "--demo", "--now", DEMO_NOW, *extra, *args], env=env
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def keys(value: Any) -> Iterator[str]:
    """Every key at any depth of a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys(v)


def assert_for_the_team(text: str, what: str) -> None:
    flat = " ".join(text.split())
    assert "Check in with" not in flat and "check in with" not in flat, what
    assert "Pulled in most" not in flat, what
    assert "Not suggested" not in flat, what  # a team's left_out: the lead's alone
    assert not COUNT_AFTER_NAME.search(flat), what
    assert not COUNTS_ABOUT_A_PERSON.search(flat), what
    assert "Zed" not in flat, what


@pytest.fixture
def plugin_env(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "per_person_kinds.py"
    path.write_text(PLUGIN, encoding="utf-8")
    # Room for every action, the plugin's lead-only one included.
    config = tmp_path / "more-actions.toml"
    config.write_text("[analysis]\nmax_actions = 12\n", encoding="utf-8")
    return {"LEADKIT_PLUGINS": str(path), "LEADKIT_TEST_CONFIG": str(config)}


def test_every_format_for_the_team_names_no_one_to_check_in_with_and_counts_no_one(
    plugin_env: dict[str, str],
) -> None:
    for fmt in FORMATS:
        text = run("--format", fmt, "--audience", "team", env=plugin_env)
        assert_for_the_team(text, fmt)
        assert "quiet-work" not in text and "nudge" not in text, fmt
    doc = json.loads(run("--format", "json", "--audience", "team", env=plugin_env))
    assert doc["audience"] == "team"
    assert not PER_PERSON_KEYS & set(keys(doc))
    by_author = next(f for f in doc["findings"] if f["kind"] == "by-author")
    assert by_author["metrics"] == {"open_prs": 4}  # the plugin's count kept, its per person not
    # The actions are ranked again without the lead-only ones: 1, 2, 3 ... with no gap.
    assert [a["rank"] for a in doc["actions"]] == list(range(1, len(doc["actions"]) + 1))
    for s in doc["suggestions"]:
        assert not re.search(r"\d", s["rationale"]), s["rationale"]


def test_the_leads_report_has_everything(plugin_env: dict[str, str]) -> None:
    text = " ".join(run(env=plugin_env).split())
    assert "Check in with Tommy Lindqvist about DATA-88" in text
    assert "Check in with Zed (9)" in text
    assert "Pulled in most by Owen Hart (10)" in text
    markdown = run("--format", "markdown", env=plugin_env)
    assert "Check in with Tommy Lindqvist" in markdown  # an --output file is the lead's
    doc = json.loads(run("--format", "json", env=plugin_env))
    assert doc["audience"] == "lead"
    found = set(keys(doc))
    assert {"askers", "pulled_in_by", "reviews_by_reviewer", "area_touches", "by_author"} <= found
    assert any(f["kind"] == "quiet-work" for f in doc["findings"])


def test_publishing_is_for_the_team_unless_the_lead_asks(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    out = tmp_path / "report.json"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    run("--format", "json", "-o", str(out), "--publish", "github-summary", env=env)
    assert_for_the_team(summary.read_text(encoding="utf-8"), "job summary")
    assert json.loads(out.read_text(encoding="utf-8"))["audience"] == "lead"
    summary.unlink()
    run("--publish", "github-summary", "--audience", "lead", env=env)
    assert "Check in with Tommy Lindqvist" in summary.read_text(encoding="utf-8")


def test_slack_and_the_report_issue_read_the_teams_report() -> None:
    report = leave_and_quiet_team().report()
    team = for_audience(report, "team", host().kinds)
    payload = json.dumps(slack_payload(team, None))
    assert_for_the_team(payload, "slack")
    lead_payload = json.dumps(slack_payload(report, None))
    assert "Check in with Tommy" in lead_payload  # what the lead alone would get
    markdown = host().renderer("markdown").render(team, {})
    assert_for_the_team(markdown, "report issue")


def leave_and_quiet_team() -> Team:
    """A team like a real tracker's: a member on leave whose PR waits on the lead, a quiet
    member, questions to the lead, a teammate blocked, reviews spread over people."""
    team = Team(members=["owen", "priya", "tommy", "sam"])
    team.person("sam", "Sam Okafor", away=["2026-11-10..2026-12-04"])
    team.person("owen", growth=["testing"])
    team.pr(40, author="sam", created=ago(6), requests=[request("jamie", ago(6))])
    team.pr(41, author="priya", created=ago(2), requests=[request("jamie", ago(2))])
    for n in range(6):
        team.merged_pr(60 + n, author="owen", reviewers=["jamie", "priya"], days_ago=3 + n)
    team.item(
        "DATA-88",
        assignee="tommy",
        created=ago(30),
        updated=ago(12),
        transitions=[moved("In Progress", ago(12), by="tommy")],
        comments=[comment("tommy", ago(30))],
    )
    team.item(
        "OPS-3",
        assignee="owen",
        type="bug",
        comments=[comment("owen", ago(d, 2), question=True, mentions=["jamie"]) for d in (1, 2, 3)]
        + [comment("jamie", ago(d, 1)) for d in (1, 2, 3)],
    )
    team.item("PIPE-9", assignee="jamie", type="testing", title="Tests for the pipeline")
    return team


def test_a_real_tracker_like_team_for_the_team_has_no_names_to_check_in_with() -> None:
    team = leave_and_quiet_team()
    report = team.report()
    lead_doc = report.as_dict()
    assert any(a["kind"] == "check-in" for a in lead_doc["actions"])
    shared = for_audience(report, "team", host().kinds)
    doc = shared.as_dict()
    assert doc["audience"] == "team"
    assert not any(a["kind"] == "check-in" for a in doc["actions"])
    assert not PER_PERSON_KEYS & set(keys(doc))
    for fmt in FORMATS:
        assert_for_the_team(host().renderer(fmt).render(shared, {}), fmt)
    # The lead's report is left as it was.
    assert report.as_dict() == lead_doc


def test_a_real_gerrit_history_for_the_team_counts_no_reviewer() -> None:
    """golang.org/x/net's history (tests/data/real-history): the lead's report counts each
    reviewer's reviews; the team's carries the shares and none of those counts."""
    data = Path(__file__).parent / "data" / "real-history" / "golang-net.json"
    config = (
        '[team]\nname = "net"\nlead = "tess"\n\n[people.tess]\ngerrit = "u43210@golang.org"\n\n'
        '[analysis]\nsince = "90d"\nhistory_days = 180\n'
    )
    report = run_report(read_dataset_file(data), config)
    lead = next(f for f in report.as_dict()["findings"] if f["kind"] == "review-concentration")
    assert lead["metrics"]["reviews_by_reviewer"]["tess"] == 49  # others' changes merged in it
    shared = for_audience(report, "team", host().kinds)
    doc = shared.as_dict()
    team = next(f for f in doc["findings"] if f["kind"] == "review-concentration")
    assert team["metrics"]["lead_review_share"] == lead["metrics"]["lead_review_share"]
    assert not PER_PERSON_KEYS & set(keys(doc))
    for fmt in FORMATS:
        assert_for_the_team(host().renderer(fmt).render(shared, {}), fmt)


ISSUE_21_KINDS = ("team-flow", "lead-time")
"""Kinds of issue 21 the team's report keeps: in aggregates, never a figure about a colleague."""


def test_the_teams_view_and_the_leads_time_carry_no_figure_about_a_colleague() -> None:
    doc = json.loads(run("--format", "json", "--audience", "team"))
    members = {"owen", "priya", "tommy"}
    for kind in ISSUE_21_KINDS:
        (found,) = [f for f in doc["findings"] if f["kind"] == kind]
        assert not members & set(found["people"]), kind
        flat = json.dumps(found)
        assert not any(m in flat for m in members), kind
        assert not any(name in flat for name in DEMO_NAMES), kind
    # member-status is the lead's alone: no finding, no teams[].members_status.
    assert "members_status" not in doc["teams"][0]
    assert not [f for f in doc["findings"] if f["kind"] == "member-status"]
    for fmt in FORMATS:
        text = " ".join(run("--format", fmt, "--audience", "team").split())
        assert_for_the_team(text, fmt)
        assert "The team merged" in text and "Your own work got" in text, fmt
        assert "member-status" not in text and "waiting on you" not in text, fmt


def test_issue_21s_coaching_is_the_leads_and_no_format_for_the_team_counts_its_questions() -> None:
    """The demo pairs Owen on test-env (his 8 questions to Jamie): the lead's report says so;
    every format for the team leaves the coaching finding and its ``pair`` action out, and
    next-big-thing, about the lead's own work, carries no figure about a colleague."""
    lead = json.loads(run("--format", "json"))
    assert any(a["kind"] == "pair" for a in lead["actions"])
    assert any(f["kind"] == "coaching" for f in lead["findings"])
    for fmt in FORMATS:
        text = " ".join(run("--format", fmt, "--audience", "team").split())
        assert_for_the_team(text, fmt)
        assert "Pair Owen" not in text and "questions to you" not in text, fmt
        assert "coaching" not in text, fmt
    doc = json.loads(run("--format", "json", "--audience", "team"))
    assert not any(a["kind"] == "pair" for a in doc["actions"])
    big = next(f for f in doc["findings"] if f["kind"] == "next-big-thing")
    assert big["people"] == ["jamie"]  # the lead's own strategic work


def test_issue_21s_co_review_for_the_team_names_the_area_and_counts_no_one() -> None:
    """The co-review action and its CODEOWNERS line reach the team; how many PRs the
    co-reviewer wrote stays in the lead's report."""
    lead = json.loads(run("--format", "json"))
    (mine,) = [a for a in lead["actions"] if a["kind"] == "co-review"]
    assert "wrote 13 of its merged PRs" in mine["message"]
    doc = json.loads(run("--format", "json", "--audience", "team"))
    (shared,) = [a for a in doc["actions"] if a["kind"] == "co-review"]
    assert shared["message"] == (
        "Make Owen Hart a co-reviewer of pipeline/ in acme/dataflow: wrote much of its code and "
        "has room; add '/pipeline/ @jrivera-dev @ohart' to CODEOWNERS"
    )
    for fmt in FORMATS:
        text = " ".join(run("--format", fmt, "--audience", "team").split())
        assert "wrote 13" not in text, fmt
